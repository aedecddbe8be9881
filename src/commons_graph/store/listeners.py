"""Who is told when a store's content changes: indexes and derived graphs kept in step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from commons_graph.logs import log_failure
from commons_graph.store.changes import ChangeSet

if TYPE_CHECKING:
    from commons_graph.store.base import Store

log = logging.getLogger("commons_graph.store")


@dataclass(frozen=True)
class StoreChange:
    """What one successful write may have changed: these graphs, or anything (`graphs` None).

    `written` is the write itself when it was one ChangeSet (a commit), for listeners that
    follow statements rather than graphs (the network model); None for loads and streams.
    Read it during the call only: it may hold an import's every statement.
    """

    graphs: frozenset[NamedNode] | None
    # Not compared: two changes of the same graphs are the same change to those listening.
    written: ChangeSet | None = field(default=None, compare=False)

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


class ChangeRecorder:
    """What one call of a write method may change, read from its arguments (and, for
    `commit_checked`, from the stream it writes and the amendment its check returns)."""

    def __init__(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.method = method
        self.args = args
        self.kwargs = dict(kwargs)
        self._graphs: set[NamedNode] | None = None
        self._written: ChangeSet | None = None
        if method == "commit" and args and isinstance(args[0], ChangeSet):
            self._graphs = set(graphs_of(args[0]))
            self._written = args[0]
        elif method == "load_graph" and args and isinstance(args[0], NamedNode):
            self._graphs = {args[0]}
        elif method == "commit_checked" and len(args) >= 2 and isinstance(args[0], ChangeSet):
            self._graphs = set(graphs_of(args[0]))
            stream = self.kwargs.get("stream")
            if stream is not None:
                self._graphs.add(stream.graph)
            # The amendment is known only when the check returns: record its graphs then.
            check = args[1]

            def recorded_check() -> ChangeSet:
                amendment: ChangeSet = check()
                if self._graphs is not None:
                    self._graphs |= graphs_of(amendment)
                return amendment

            self.args = (args[0], recorded_check, *args[2:])

    def change(self) -> StoreChange:
        """The graphs the call may have changed, or anything when its arguments do not say."""
        if self._graphs is None:
            return StoreChange(None)
        return StoreChange(frozenset(self._graphs), self._written)


def notify(store: Store, listeners: Iterable[ChangeListener], change: StoreChange) -> None:
    """Tell each listener of `change`; one that fails is logged and never fails the write."""
    for listener in list(listeners):
        try:
            listener(store, change)
        except Exception:
            # The write is committed: a listener that cannot keep up must catch up by itself
            # (indexes are checked against the store at start-up and rebuilt on demand).
            log_failure(log, "a store change listener failed")
