"""Validating the whole store with the shapes compiled to SPARQL; pyshacl as the reference.

pyshacl needs minutes for a million triples (it first copies the store into an rdflib graph);
the compiled checks (shacl_sparql.py) run on an in-memory copy of the store, in parallel, or on
the embedded store itself when it is too large to copy. pyshacl stays the reference:
it runs when a shape does not compile, or on request (`engine="pyshacl"`).
tests/test_store_validation.py checks that both engines report the same results.
"""

from __future__ import annotations

import pyoxigraph as ox

from commons_graph.shacl_sparql import (
    Result,
    Unsupported,
    hierarchy_quads,
    report_graph,
    run_checks_in_parallel,
    service_checks,
)
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.validation import ValidationReport, Violation, store_graph, validate

ENGINES = ("auto", "sparql", "pyshacl")


def validate_store(store: Store, *, lang: str = "en", engine: str = "auto") -> ValidationReport:
    """The whole store (every graph together) against the service's shapes.

    `engine`: "sparql" (compiled checks only; raises Unsupported if a shape does not compile),
    "pyshacl", or "auto" (the compiled checks unless the data meets a shape they cannot check).
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine != "pyshacl":
        try:
            return _report(run_checks_in_parallel(_queryable(store), service_checks()), lang)
        except Unsupported:
            if engine == "sparql":
                raise
    return validate(store_graph(store), lang=lang, inplace=True)


# Checks run about 5x faster on an in-memory copy than on the on-disk store, even counting the
# copy (1M quads: 15 s copy + 13 s checks, against 65 s on disk), but the copy takes ~0.5 GB
# per million quads: larger embedded stores are checked where they are.
_COPY_AT_MOST = 5_000_000


def _queryable(store: Store) -> ox.Store:
    """What to run the checks on: a copy in memory, or the embedded store itself."""
    if isinstance(store, EmbeddedStore):
        native = store.native
        if len(native) > _COPY_AT_MOST and _holds_hierarchy(store):
            return native
        copy = ox.Store()
        copy.bulk_load(input=native.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    else:
        copy = ox.Store()
        copy.bulk_extend(store.quads())
    # The ontology's subclass axioms, for sh:class, whether or not the store holds them.
    copy.bulk_extend(hierarchy_quads())
    return copy


def _holds_hierarchy(store: Store) -> bool:
    return all(
        store.ask("ASK { ?s ?p ?o }", {"s": q.subject, "p": q.predicate, "o": q.object})
        for q in hierarchy_quads()
    )


def _report(results: list[Result], lang: str) -> ValidationReport:
    """A ValidationReport, with its SHACL report graph, from the compiled checks' results."""
    unique = list(dict.fromkeys(results))
    violations = sorted(
        {
            Violation(r.focus, r.path, r.value, r.message(lang), r.severity, r.component)
            for r in unique
        },
        key=lambda v: (v.focus, v.path or "", v.component, v.value or ""),
    )
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, violations, report_graph(unique, conforms))
