"""Which named graphs the store holds, cached: FROM and default-graph-uri may name only those."""

from __future__ import annotations

import threading
import time

from commons_graph.store.base import Store

# A remote store has no write counter this process can see: re-read its graphs this often.
_REMOTE_TTL_SECONDS = 30.0


class GraphCatalogue:
    """The set of named-graph IRIs of a store, refreshed after writes (or every 30 s)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._graphs: frozenset[str] = frozenset()
        self._key: object = object()

    def _current_key(self) -> object:
        generation = getattr(self.store, "generation", None)
        if generation is not None:
            return generation
        return int(time.monotonic() // _REMOTE_TTL_SECONDS)

    def graphs(self) -> frozenset[str]:
        """The IRIs of the store's named graphs."""
        key = self._current_key()
        with self._lock:
            if key != self._key:
                self._graphs = frozenset(g.value for g in self.store.named_graphs())
                self._key = key
            return self._graphs

    def __contains__(self, iri: object) -> bool:
        return iri in self.graphs()
