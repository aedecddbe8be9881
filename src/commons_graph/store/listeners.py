"""Who is told when a store's content changes: indexes and derived graphs kept in step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from commons_graph.store.changes import ChangeSet

if TYPE_CHECKING:
    from commons_graph.store.base import Store

log = logging.getLogger("commons_graph.store")


@dataclass(frozen=True)
class StoreChange:
    """What one successful write may have changed: these graphs, or anything (`graphs` None)."""

    graphs: frozenset[NamedNode] | None

    def touches(self, graph: NamedNode) -> bool:
        """Whether `graph` may have changed."""
        return self.graphs is None or graph in self.graphs


ChangeListener = Callable[["Store", StoreChange], None]


def graphs_of(changes: ChangeSet) -> frozenset[NamedNode]:
    """The named graphs a ChangeSet drops, deletes from or inserts into."""
    touched: set[NamedNode] = set(changes.drop_graphs)
    for quads in (changes.delete, changes.insert):
        touched.update(q.graph_name for q in quads if isinstance(q.graph_name, NamedNode))
    return frozenset(touched)


def change_of_call(method: str, args: tuple[Any, ...]) -> StoreChange:
    """What a call of the write `method` with `args` (self excluded) may have changed."""
    if method == "commit" and args and isinstance(args[0], ChangeSet):
        return StoreChange(graphs_of(args[0]))
    if method == "load_graph" and args and isinstance(args[0], NamedNode):
        return StoreChange(frozenset({args[0]}))
    # commit_checked adds what its check returns, known only inside the call.
    return StoreChange(None)


def notify(store: Store, listeners: Iterable[ChangeListener], change: StoreChange) -> None:
    """Tell each listener of `change`; one that fails is logged and never fails the write."""
    for listener in list(listeners):
        try:
            listener(store, change)
        except Exception:
            # The write is committed: a listener that cannot keep up must catch up by itself
            # (indexes are checked against the store at start-up and rebuilt on demand).
            log.exception("a store change listener failed")
