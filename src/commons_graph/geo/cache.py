"""The last few gzipped GeoJSON answers, kept until the store changes.

Every visitor of /map asks for the same file (all organisations, in their language): writing
and compressing 100k features costs about a second of CPU, sending a kept copy nothing. An
answer is kept with the indexes it was written from and served only while they are still the
current ones, so a copy made from a stale index (while the next is built after a write) is not
served once the new one is ready; the whole cache goes with the store state
(`store/derived.py`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from commons_graph.store.base import Store
from commons_graph.store.derived import derived

KEPT = 8
# A larger answer is not kept (8 of them would be 128 MB).
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Kept:
    """A gzipped answer, its headers, and the index objects it was written from."""

    body: bytes
    headers: dict[str, str]
    sources: tuple[object, ...]


class AnswerCache:
    """A small LRU of gzipped answers (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, Kept] = OrderedDict()

    def get(self, key: Hashable, sources: tuple[object, ...]) -> Kept | None:
        """The answer kept for `key`, if it was written from these very `sources`."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or len(kept.sources) != len(sources):
                return None
            if not all(a is b for a, b in zip(kept.sources, sources, strict=True)):
                return None
            self._kept.move_to_end(key)
            return kept

    def put(self, key: Hashable, kept: Kept) -> None:
        """Keep `kept` (unless it is too large), dropping the least recently used beyond KEPT."""
        if len(kept.body) > MAX_BYTES:
            return
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)


def answer_cache(store: Store) -> AnswerCache:
    """The cache of the store's current state (a new, empty one after each write)."""
    return derived(store, "geo/geojson-answers", lambda _: AnswerCache())
