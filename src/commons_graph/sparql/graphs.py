"""Which named graphs the store holds, cached: FROM and default-graph-uri may name only those."""

from __future__ import annotations

from commons_graph.store.base import Store
from commons_graph.store.derived import StoreDerived


def _graph_iris(store: Store) -> frozenset[str]:
    return frozenset(g.value for g in store.named_graphs())


class GraphCatalogue:
    """The set of named-graph IRIs of a store, refreshed after writes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._graphs = StoreDerived(store, _graph_iris)

    def graphs(self) -> frozenset[str]:
        """The IRIs of the store's named graphs."""
        return self._graphs.get()

    def __contains__(self, iri: object) -> bool:
        return iri in self.graphs()
