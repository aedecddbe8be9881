"""Validating the whole store with the compiled checks; pyshacl as the reference.

pyshacl needs minutes for a million triples (it first copies the store into an rdflib graph);
the compiled checks (compiled.py) run on an in-memory copy of the store, in parallel, or on
the embedded store itself when it is too large to copy. pyshacl stays the reference: it runs
when the compiled checks decline, or on request (Engine.PYSHACL). The store holds the data as
it is (its literals canonical): both engines judge the same terms.
tests/validation/test_whole_store.py checks that both engines report the same results.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.validation.compiled import (
    Result,
    report_graph,
    run_checks_in_parallel,
    service_checks,
)
from commons_graph.validation.context import store_graph
from commons_graph.validation.engine import Engine, with_fallback
from commons_graph.validation.reference import validate
from commons_graph.validation.report import ValidationReport, blocking, in_order
from commons_graph.validation.shapes import hierarchy_quads


def validate_store(
    store: Store,
    *,
    lang: str = "en",
    engine: Engine | str = Engine.AUTO,
    progress: Callable[[int, int | None], None] | None = None,
) -> ValidationReport:
    """The whole store (every graph together) against the service's shapes.

    `engine`: Engine.COMPILED raises Unsupported when the compiled checks decline,
    Engine.PYSHACL runs pyshacl alone, Engine.AUTO falls back to pyshacl when they decline.
    `progress(checks done, checks in all)` is told as the compiled checks end.
    """
    report, _ = with_fallback(
        engine,
        lambda: _report(
            run_checks_in_parallel(_queryable(store), service_checks(), progress), lang
        ),
        lambda: validate(store_graph(store), lang=lang, inplace=True),
    )
    return report


# The derived relations (relations/keeper.py) are the service's own output, derived again from
# the facts after every write: no shape targets their nodes or constrains their links, and
# they are about as many statements as the facts themselves. The in-memory copy leaves them
# out (half the copy's time and memory at 100k); a store checked in place reads them as is.
SKIPPED_GRAPHS = frozenset({DERIVED_RELATIONS_GRAPH})

# Checks run about 5x faster on an in-memory copy than on the on-disk store, even counting the
# copy (1M quads: 11-13 s copy + 6-13 s checks, against 65 s of checks on disk), but the copy
# takes ~0.5 GB per million quads (~1 GB at its peak): larger embedded stores are checked where
# they are.
_COPY_AT_MOST = 5_000_000


def _queryable(store: Store) -> ox.Store:
    """What to run the checks on: a copy in memory, or the embedded store itself."""
    if isinstance(store, EmbeddedStore):
        native = store.native
        if len(native) > _COPY_AT_MOST and _holds_hierarchy(store):
            return native
        copy = _copy_in_memory(native)
    else:
        copy = ox.Store()
        copy.bulk_extend(q for q in store.quads() if q.graph_name not in SKIPPED_GRAPHS)
    # The ontology's subclass axioms, for sh:class, whether or not the store holds them.
    copy.bulk_extend(hierarchy_quads())
    return copy


# Reading a statement back from disk costs ~12 µs (its terms are looked up one by one), and a
# dump does it on one thread: the copy is read in pieces (a graph's statements with one
# predicate) on two threads, which pyoxigraph lets run together. 1M quads: 16 s -> ~11 s.
# The pieces are SELECT results in TSV, whose rows are Turtle terms with blank nodes' labels
# (CONSTRUCT renames them per query), loaded as one TriG document so that a blank node
# described in several pieces or graphs stays one.
_READERS = 2
_PAIRS = "SELECT DISTINCT ?g ?p WHERE { GRAPH ?g { ?s ?p ?o } }"
_PIECE = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_DEFAULT_GRAPH = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
_Graph = ox.NamedNode | ox.DefaultGraph


def _copy_in_memory(native: ox.Store) -> ox.Store:
    """An in-memory copy of the on-disk `native` store, read in parallel."""
    pairs = native.query(_PAIRS)
    assert isinstance(pairs, ox.QuerySolutions)
    pieces: list[tuple[_Graph, ox.NamedNode | None]] = [
        (row["g"], row["p"]) for row in pairs if row["g"] not in SKIPPED_GRAPHS
    ]
    pieces.append((ox.DefaultGraph(), None))

    def read(piece: tuple[_Graph, ox.NamedNode | None]) -> bytes:
        """The piece's statements as Turtle triples."""
        graph, predicate = piece
        if isinstance(graph, ox.NamedNode) and predicate is not None:
            bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
                ox.Variable("g"): graph,
                ox.Variable("p"): predicate,
            }
            rows, end = native.query(_PIECE, substitutions=bound), f"\t{graph}\n".encode()
        else:
            rows, end = native.query(_DEFAULT_GRAPH), b"\n"
        assert isinstance(rows, ox.QuerySolutions)
        tsv = rows.serialize(format=ox.QueryResultsFormat.TSV) or b""
        # Each row ends with `end`, which TSV's escapes keep out of the terms: "s p o ." lines.
        return tsv.partition(b"\n")[2].replace(end, b" .\n")

    texts: dict[_Graph, list[bytes]] = {}
    with ThreadPoolExecutor(_READERS) as pool:
        for (graph, _), text in zip(pieces, pool.map(read, pieces), strict=True):
            texts.setdefault(graph, []).append(text)
    document: list[bytes] = []
    for graph, parts in texts.items():
        opening = b"{\n" if isinstance(graph, ox.DefaultGraph) else f"{graph} {{\n".encode()
        document += [opening, *parts, b"}\n"]
    texts.clear()
    copy = ox.Store()
    copy.bulk_load(input=b"".join(document), format=ox.RdfFormat.TRIG, lenient=True)
    return copy


def _holds_hierarchy(store: Store) -> bool:
    return all(
        store.ask("ASK { ?s ?p ?o }", {"s": q.subject, "p": q.predicate, "o": q.object})
        for q in hierarchy_quads()
    )


def _report(results: list[Result], lang: str) -> ValidationReport:
    """A ValidationReport, with its SHACL report graph, from the compiled checks' results."""
    unique = list(dict.fromkeys(results))
    violations = in_order(r.violation(lang) for r in unique)
    conforms = not blocking(violations)
    return ValidationReport(conforms, violations, report_graph(unique, conforms))
