"""Statistics of a store: triples, graphs, entities per class."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store

_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities)
WHERE { ?entity a ?class }
GROUP BY ?class
ORDER BY DESC(?entities) ?class
"""


@dataclass(frozen=True)
class Stats:
    """Counts describing a store."""

    triples: int
    graphs: int
    entities_per_class: list[tuple[str, int]]


def statistics(store: Store) -> Stats:
    """Count the store's quads, named graphs and the entities of each class."""
    per_class = []
    for cls, count in store.select(_CLASS_COUNTS).rows:
        if isinstance(cls, NamedNode) and isinstance(count, Literal):
            per_class.append((cls.value, int(count.value)))
    return Stats(store.count(), len(store.named_graphs()), per_class)
