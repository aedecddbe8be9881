"""Statistics of a store, counted by SPARQL: the CLI's `stats` and the VoID description use them."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store

# VoID's statistics count distinct triples of the union of all graphs: what SPARQL clients see.
_DISTINCT = "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_TOTALS = f"""
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE {_DISTINCT}
"""
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_CLASSES = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c
"""
_PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {_DISTINCT} GROUP BY ?p ORDER BY ?p"


def _count(term: object) -> int:
    """The integer value of a count literal (0 when unbound)."""
    return int(term.value) if isinstance(term, Literal) else 0


def class_counts(store: Store) -> dict[str, int]:
    """The number of distinct entities of each class (an IRI), by class IRI."""
    return {
        row[0].value: _count(row[1])
        for row in store.select(_CLASSES).rows
        if isinstance(row[0], NamedNode)
    }


@dataclass(frozen=True)
class Statistics:
    """Counts of the dataset, as VoID states them."""

    triples: int
    entities: int
    properties: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int]
    property_triples: dict[str, int]


def statistics(store: Store) -> Statistics:
    """Count triples, entities (IRI subjects), classes and properties: four queries."""
    totals = store.select(_TOTALS).dicts()[0]
    properties = {
        row[0].value: _count(row[1])
        for row in store.select(_PROPERTIES).rows
        if isinstance(row[0], NamedNode)
    }
    return Statistics(
        triples=_count(totals.get("triples")),
        entities=_count(store.select(_ENTITIES).rows[0][0]),
        properties=_count(totals.get("properties")),
        distinct_subjects=_count(totals.get("subjects")),
        distinct_objects=_count(totals.get("objects")),
        classes=class_counts(store),
        property_triples=properties,
    )


@dataclass(frozen=True)
class Summary:
    """What `commons-graph stats` prints: quads, named graphs, entities per class."""

    triples: int
    graphs: int
    entities_per_class: list[tuple[str, int]]


def summary(store: Store) -> Summary:
    """Count the store's quads, named graphs and the entities of each class (most first)."""
    per_class = sorted(class_counts(store).items(), key=lambda item: (-item[1], item[0]))
    return Summary(store.count(), len(store.named_graphs()), per_class)


_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def graph_counts(store: Store) -> dict[str, int]:
    """The number of statements (quads) in each named graph, by graph IRI: one query.

    These are the store's own counts, the same as `store.count(graph)`; a dataset's
    `void:triples` in VoID is the sum over its graphs.
    """
    return {
        row[0].value: _count(row[1])
        for row in store.select(_GRAPH_COUNTS, union_default_graph=False).rows
        if isinstance(row[0], NamedNode)
    }
