"""SHACL validation of a contribution with the service's shapes and just the context it needs.

The context is read from the store for the resources the contribution mentions only: their
types (so sh:targetClass and sh:class see them) and, for the resources it describes that
already exist, their current statements (so sh:minCount/sh:maxCount judge the union that
readers will see). The cost grows with the contribution, not with the store.
A contribution is blamed only for what it touches: results about statements it does not
contain (an older gap in the seed data, say) are dropped.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from commons_graph.contributions.terms import mentioned, subjects
from commons_graph.store.base import Store, values_block
from commons_graph.terms import rdflib_graph, to_rdflib
from commons_graph.validation import ValidationReport, Violation, types_from_store, validate


def store_context(store: Store, triples: list[ox.Triple]) -> Graph:
    """Types of every IRI the contribution mentions and statements of those it describes."""
    context = types_from_store(store, mentioned(triples))
    described = subjects(triples)
    if described:
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n" + values_block("s", described)
        rdflib_graph(store.construct(query), context)
    return context


def check(store: Store, triples: list[ox.Triple], lang: str) -> ValidationReport:
    """Validate the contribution; the report keeps only results the contribution causes."""
    data = rdflib_graph(triples)
    # Blank nodes too: an address or a history entry written inline is judged with its owner.
    described = {to_rdflib(t.subject) for t in triples}  # type: ignore[arg-type]
    report = validate(data, context=store_context(store, triples), lang=lang, described=described)
    touched = _touched(triples)
    kept = [v for v in report.violations if _concerns(v, touched)]
    conforms = not any(v.severity == "Violation" for v in kept)
    return ValidationReport(conforms, kept, _filtered_graph(report.graph, kept, conforms))


def _touched(triples: list[ox.Triple]) -> dict[str, set[tuple[str, str]]]:
    """For each subject: the (predicate, object) pairs the contribution states about it."""
    touched: dict[str, set[tuple[str, str]]] = {}
    for t in triples:
        subject = str(to_rdflib(t.subject))  # type: ignore[arg-type]
        value = str(to_rdflib(t.object))  # type: ignore[arg-type]
        touched.setdefault(subject, set()).add((t.predicate.value, value))
    return touched


def _concerns(violation: Violation, touched: dict[str, set[tuple[str, str]]]) -> bool:
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
