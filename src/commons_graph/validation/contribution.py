"""SHACL validation of a contribution with the service's shapes and just the context it needs.

The context is read from the store for the resources the contribution mentions only: their
types (so sh:targetClass and sh:class see them) and, for the resources it describes that
already exist, their current statements on the properties the shapes read (so
sh:minCount/sh:maxCount judge the union that readers will see; `shapes.read_properties`). The
cost grows with the contribution and what the shapes read of it, not with the store nor with
what else an organisation holds (ten thousand statements of its own on other properties cost
it nothing here: they did, under the write lock, for every write about it).
A contribution is blamed only for what it touches: results about statements it does not
contain (an older gap in the seed data, say) are dropped.

Two engines, one verdict: pyshacl costs ~15-20 ms per contribution, nearly all of its time
(docs/benchmarks.md), so the compiled checks (compiled.py) are tried first on a store holding
only the contribution and its context. They can only let a contribution through: when they find
anything it is blamed for, or it holds a literal whose lexical form only pyshacl verifies, they
decline and pyshacl judges it, so refusals and their reports are pyshacl's.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SH

from commons_graph.rdf.conversion import rdflib_graph, to_rdflib
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block, values_rows
from commons_graph.validation.compiled import (
    CHECKABLE_DATATYPES,
    Unsupported,
    report_graph,
    run_checks,
    service_checks,
)
from commons_graph.validation.context import types_from_store
from commons_graph.validation.engine import Engine, with_fallback
from commons_graph.validation.reference import validate
from commons_graph.validation.report import ValidationReport, Violation, blocking
from commons_graph.validation.shapes import (
    hierarchy_quads,
    read_properties,
    shapes_for_classes,
    shapes_version,
)
from commons_graph.validation.written import store_as_written

# The graph holding the contribution in the scratch store of the compiled checks.
_CONTRIBUTION = ox.NamedNode("urn:commons-graph:contribution")
# The classes of the resources the contribution describes; "new" when it types the resource.
_CLASSES_OF_DESCRIBED = f"""
SELECT DISTINCT ?class ?new WHERE {{
  GRAPH <{_CONTRIBUTION.value}> {{ ?resource ?p ?o }}
  ?resource a ?type . ?type <{RDFS.subClassOf}>* ?class
  BIND(EXISTS {{ GRAPH <{_CONTRIBUTION.value}> {{ ?resource a ?any }} }} AS ?new)
}}"""
_TRUE = ox.Literal(True)
_XSD = "http://www.w3.org/2001/XMLSchema#"
# Literals the compiled checks judge exactly as pyshacl: strings, and the checked datatypes.
_JUDGED_ALIKE = {f"{_XSD}string", f"{_XSD}gYear", f"{_XSD}gYearMonth", str(RDF.langString)} | {
    str(d) for d in CHECKABLE_DATATYPES
}


class _Finding(Protocol):
    """A result of either engine: what it is about."""

    @property
    def focus(self) -> str: ...
    @property
    def path(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...


# The store beside one graph (the one a write replaces); #VALUES# names the resources.
_TYPES_BESIDE = """
CONSTRUCT { ?r a ?t } WHERE { #VALUES# GRAPH ?g { ?r a ?t } FILTER(isIRI(?t) && ?g != ?replaced) }
"""
_STATEMENTS_BESIDE = """
CONSTRUCT { ?r ?p ?o } WHERE { #VALUES# GRAPH ?g { ?r ?p ?o } FILTER(?g != ?replaced) }
"""
# Up to this many (resource, property) pairs, the pairs themselves are given: each is an index
# lookup (0.5 ms for an organisation holding 10,000 other statements, against 23 ms for the
# resources and the properties apart, which scan the resources' statements).
_PAIRS_AT_MOST = 2_000


def store_context(
    store: Store, triples: list[ox.Triple], *, replacing: ox.NamedNode | None = None
) -> list[ox.Triple]:
    """Types of every IRI the contribution mentions and statements of those it describes (on
    the properties the shapes read).

    `replacing` is the graph the write replaces (PUT, revert, replay): the store is judged as it
    will be afterwards, without that graph's current statements.
    """
    # Imported here: the contributions package imports this module (its service checks with it).
    from commons_graph.contributions.terms import mentioned, subjects

    described = subjects(triples)
    if replacing is None:
        found = types_from_store(store, mentioned(triples))
        if described:
            # VALUES inside the pattern: some servers (Virtuoso) refuse one after a CONSTRUCT.
            block = _described_block(described)
            found.extend(store.construct(f"CONSTRUCT {{ ?r ?p ?o }} WHERE {{ {block} ?r ?p ?o }}"))
        return found
    context: list[ox.Triple] = []
    replaced = values_block("replaced", [replacing])
    types = mentioned(triples)
    if types:
        block = f"{replaced} {values_block('r', types)}"
        context.extend(store.construct(_TYPES_BESIDE.replace("#VALUES#", block)))
    if described:
        block = f"{replaced} {_described_block(described)}"
        context.extend(store.construct(_STATEMENTS_BESIDE.replace("#VALUES#", block)))
    return context


def _described_block(described: list[ox.NamedNode]) -> str:
    """VALUES giving ?r the described resources and ?p the properties the shapes read."""
    properties = _read_properties()
    if properties is None:
        return values_block("r", described)
    if len(described) * len(properties) <= _PAIRS_AT_MOST:
        return values_rows(("r", "p"), ((r, p) for r in described for p in properties))
    return f"{values_block('r', described)} {values_block('p', properties)}"


@cache
def _read_properties() -> tuple[ox.NamedNode, ...] | None:
    """The properties the shapes read, as terms (None: all of them)."""
    properties = read_properties()
    return None if properties is None else tuple(ox.NamedNode(p) for p in sorted(properties))


def check(
    store: Store,
    triples: list[ox.Triple],
    lang: str,
    *,
    engine: Engine | str = Engine.AUTO,
    replacing: ox.NamedNode | None = None,
) -> ValidationReport:
    """Validate the contribution; the report keeps only results the contribution causes.

    Engine.AUTO lets the compiled checks accept it first; Engine.PYSHACL always runs pyshacl;
    Engine.COMPILED raises Unsupported for any contribution they do not accept. `replacing`
    names the graph the write replaces, whose statements are not counted.
    """
    context = store_context(store, triples, replacing=replacing)

    def compiled() -> ValidationReport:
        if not passes_compiled_checks(triples, context):
            raise Unsupported("refusals and their reports are pyshacl's")
        return ValidationReport(True, [], report_graph([], conforms=True))

    def reference() -> ValidationReport:
        data = rdflib_graph(triples)
        # Blank nodes too: an address or a history entry written inline is judged with its owner.
        described = {to_rdflib(t.subject) for t in triples}  # type: ignore[arg-type]
        report = validate(data, context=rdflib_graph(context), lang=lang, described=described)
        touched = _touched(triples)
        kept = [v for v in report.violations if _concerns(v, touched)]
        conforms = not blocking(kept)
        return ValidationReport(conforms, kept, _filtered_graph(report.graph, kept, conforms))

    report, _ = with_fallback(engine, compiled, reference)
    return report


def prepare_checks(_store: Store | None = None) -> None:
    """Compile the shapes and read the class hierarchy now (once per process): the first
    contribution after a start otherwise waited for both (~0.3 s at 1M statements)."""
    service_checks()
    hierarchy_quads()
    shapes_version()


def passes_compiled_checks(triples: list[ox.Triple], context: list[ox.Triple]) -> bool:
    """Whether the compiled checks find nothing the contribution is blamed for.

    They run the node shapes aimed at the classes of the resources it describes, as pyshacl
    does below, on the contribution, its context and the class hierarchy.
    """
    if not all(_judged_alike(t.object) for t in triples):
        return False
    try:
        # Strictly as written: a value rewritten could merge with one of the context's.
        scratch, _ = store_as_written(
            ox.Quad(t.subject, t.predicate, t.object, _CONTRIBUTION) for t in triples
        )
    except Unsupported:
        return False
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in context)
    scratch.extend(hierarchy_quads())
    solutions = scratch.query(_CLASSES_OF_DESCRIBED, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    classes = [(str(s["class"].value), s["new"] == _TRUE) for s in solutions]
    # The statements as the store holds them (as written: store_as_written checked it).
    stored = scratch.quads_for_pattern(None, None, None, _CONTRIBUTION)
    touched = _touched([ox.Triple(q.subject, q.predicate, q.object) for q in stored])
    # `_concerns` keeps a result on a resource the contribution does not introduce only if
    # its path is one the contribution states: the other checks of its shapes can be skipped.
    # The datatypes of the literals as the scratch store holds them (what the declines read).
    datatypes = {q.object.datatype.value for q in scratch if isinstance(q.object, ox.Literal)}
    checks = (
        service_checks()
        .narrowed(
            shapes_for_classes(cls for cls, _ in classes),
            whole=shapes_for_classes(cls for cls, new in classes if new),
            paths={p for stated in touched.values() for p, _ in stated},
        )
        .for_datatypes(datatypes)
    )
    try:
        found = run_checks(scratch, checks)
        return not any(_concerns(result, touched) for result in found)
    except Unsupported:
        return False


def _judged_alike(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> bool:
    return not isinstance(term, ox.Literal) or term.datatype.value in _JUDGED_ALIKE


def _touched(triples: list[ox.Triple]) -> dict[str, set[tuple[str, str]]]:
    """For each subject: the (predicate, object) pairs the contribution states about it."""
    touched: dict[str, set[tuple[str, str]]] = {}
    for t in triples:
        subject = str(to_rdflib(t.subject))  # type: ignore[arg-type]
        value = str(to_rdflib(t.object))  # type: ignore[arg-type]
        touched.setdefault(subject, set()).add((t.predicate.value, value))
    return touched


def _concerns(violation: _Finding, touched: dict[str, set[tuple[str, str]]]) -> bool:
    """Whether a result is about something the contribution states."""
    stated = touched.get(violation.focus)
    if stated is None:
        # The focus is only referred to (a value, a theme): its own description is not ours.
        return False
    if violation.path is None:
        return True
    if violation.value is not None and violation.value != violation.focus:
        return (violation.path, violation.value) in stated
    return any(path == violation.path for path, _ in stated) or _is_new(stated)


def _is_new(stated: set[tuple[str, str]]) -> bool:
    """A resource the contribution types is one it introduces: missing values are its gaps."""
    return any(path == str(RDF.type) for path, _ in stated)


def _filtered_graph(report: Graph, kept: list[Violation], conforms: bool) -> Graph:
    """The SHACL report graph with only the kept results."""
    keys = {(v.focus, v.path, v.value, v.component) for v in kept}
    filtered = Graph()
    filtered.bind("sh", SH)
    root = next(report.subjects(RDF.type, SH.ValidationReport), None)
    if root is None:
        return report

    filtered.add((root, RDF.type, SH.ValidationReport))
    filtered.add((root, SH.conforms, Literal(conforms)))
    for result in report.objects(root, SH.result):
        key = (
            str(report.value(result, SH.focusNode)),
            _opt(report.value(result, SH.resultPath)),
            _opt(report.value(result, SH.value)),
            str(report.value(result, SH.sourceConstraintComponent)),
        )
        if key in keys:
            filtered.add((root, SH.result, result))
            for triple in report.cbd(result):
                filtered.add(triple)
    return filtered


def _opt(node: object) -> str | None:
    return None if node is None else str(node)
