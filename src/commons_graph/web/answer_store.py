"""Answers kept in memory by key: bounded in bytes, least recently used dropped first."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredAnswer:
    """One complete answer: status, headers (as sent, ETag included) and body."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes

    @property
    def size(self) -> int:
        """Bytes this answer holds (body and headers; the key is counted by the store)."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


@dataclass
class CacheStats:
    """What the cache did since the process started."""

    hits: int = 0
    misses: int = 0
    not_modified: int = 0
    stored: int = 0
    too_large: int = 0
    not_kept: int = 0
    evicted: int = 0
    bypassed: int = 0
    entries: int = 0
    bytes: int = 0
    capacity: int = 0

    def as_dict(self) -> dict[str, float]:
        """The counters, and the hit rate over the requests the cache looked up."""
        looked_up = self.hits + self.misses + self.not_modified
        rate = (self.hits + self.not_modified) / looked_up if looked_up else 0.0
        return {
            "hits": self.hits,
            "not_modified": self.not_modified,
            "misses": self.misses,
            "hit_rate": round(rate, 4),
            "stored": self.stored,
            "too_large": self.too_large,
            "not_kept": self.not_kept,
            "evicted": self.evicted,
            "bypassed": self.bypassed,
            "entries": self.entries,
            "bytes": self.bytes,
            "capacity": self.capacity,
        }


class AnswerStore:
    """An LRU map from keys to answers holding at most `capacity` bytes."""

    def __init__(self, capacity: int, max_entry: int) -> None:
        self.capacity = capacity
        self.max_entry = min(max_entry, capacity)
        self.stats = CacheStats(capacity=capacity)
        self._entries: OrderedDict[bytes, StoredAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> StoredAnswer | None:
        """The answer kept under `key` (now the most recently used), or None."""
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: bytes, answer: StoredAnswer) -> bool:
        """Keep `answer` under `key` unless it is over the entry cap; drop the least recently
        used answers until everything fits. Whether it was kept."""
        size = answer.size + len(key)
        stats = self.stats
        with self._lock:
            if size > self.max_entry:
                stats.too_large += 1
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                stats.bytes -= old.size + len(key)
            while self._entries and stats.bytes + size > self.capacity:
                dropped_key, dropped = self._entries.popitem(last=False)
                stats.bytes -= dropped.size + len(dropped_key)
                stats.evicted += 1
            self._entries[key] = answer
            stats.bytes += size
            stats.stored += 1
            stats.entries = len(self._entries)
            return True

    def clear(self) -> None:
        """Drop every answer."""
        with self._lock:
            self._entries.clear()
            self.stats.bytes = 0
            self.stats.entries = 0
