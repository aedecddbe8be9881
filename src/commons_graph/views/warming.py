"""Building the list pages' indexes when the service starts, ahead of their first visitor.

A kind's index takes seconds to build on a large network (~100 s for 200,000 organisations at
10M triples, docs/benchmarks.md); built on demand, the first visitor of each list page after a
start waited that long. After writes nothing changes: the previous index answers while the
next one is built (`StoreDerived(stale_while_refreshing=True)`).
"""

from __future__ import annotations

import logging
import threading

from commons_graph.network.model import network_model
from commons_graph.store.base import Store
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index

log = logging.getLogger("commons_graph.views")


class IndexWarmer:
    """A background thread that builds every kind's list index once, in turn."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._stopping = threading.Event()
        self._done = threading.Event()
        # The kinds whose index is built, in order (for diagnostics and tests).
        self.built: list[str] = []
        self._thread = threading.Thread(
            target=self._build_all, name="commons-graph-list-indexes", daemon=True
        )

    def start(self) -> IndexWarmer:
        """Start building; returns at once."""
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every kind is built (or the building stopped); whether it finished."""
        return self._done.wait(timeout)

    def stop(self, timeout: float = 30.0) -> None:
        """Build no further kind, and wait (up to `timeout` s) for the one being built, so that
        the store is not read while it closes."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _build_all(self) -> None:
        try:
            for kind in KINDS.values():
                if self._stopping.is_set():
                    return
                try:
                    list_index(self.store, kind)
                except Exception:
                    # The first visitor of that list builds it instead (and reports what fails).
                    log.warning("building the %s list index failed", kind.key, exc_info=True)
                else:
                    self.built.append(kind.key)
            if not self._stopping.is_set():
                try:
                    # The network model too: resource pages and /network read it.
                    network_model(self.store)
                except Exception:
                    log.warning("building the network model failed", exc_info=True)
        finally:
            self._done.set()
