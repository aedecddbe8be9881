"""The search a running service offers: its index, kept in step with its store."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.config import Settings
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import BUILT, STALE, IndexKeeper
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

    def wait_for_first_build(self, timeout: float) -> None:
        """While an index never built is being built, wait for it (up to `timeout` s): an
        empty index would answer that nothing matches."""
        if self.keeper.rebuilding and self.index.meta(BUILT) is None:
            self.keeper.wait(timeout)

    def close(self) -> None:
        """Stop keeping the index and close it."""
        self.keeper.close()


def open_search(settings: Settings, store: Store) -> Search:
    """Open the store's index and keep it in step with the store's writes from now on."""
    index = SearchIndex(index_path(settings))
    return Search(index, IndexKeeper(store, index).attach())


def watch_for_others(search: Search, settings: Settings, store: Store) -> None:
    """For a store others may write to, check it every COMMONS_GRAPH_SEARCH_CHECK_SECONDS."""
    if not store.sees_all_writes:
        search.keeper.watch(settings.search_check_seconds)


def open_search_if_present(settings: Settings, store: Store) -> Search | None:
    """For a command that may write: keep the store's index in step if it has one (an index
    already out of step is marked so, for the next start to rebuild it)."""
    path = index_path(settings)
    if not path.is_file():
        return None
    search = open_search(settings, store)
    if search.keeper.is_stale():
        search.index.set_meta("state", STALE)
    return search
