"""The search a running service offers: its index, kept in step with its store."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.config import Settings
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.search.location import index_path
from commons_graph.store.base import Store


@dataclass
class Search:
    """A store's index and its keeper."""

    index: SearchIndex
    keeper: IndexKeeper

    @property
    def rebuilding(self) -> bool:
        """Whether the index is being rebuilt (results may miss recent changes meanwhile)."""
        return self.keeper.rebuilding

    def close(self) -> None:
        """Stop keeping the index and close it."""
        self.keeper.close()


def open_search(settings: Settings, store: Store) -> Search:
    """Open the store's index and keep it in step with the store's writes from now on."""
    index = SearchIndex(index_path(settings))
    return Search(index, IndexKeeper(store, index).attach())
