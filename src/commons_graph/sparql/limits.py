"""Capping the queries one client runs at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


class TooManyQueriesError(Exception):
    """The client already runs as many queries as allowed."""


class ClientLimiter:
    """Counts running queries per client; refuses one more than `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._running: Counter[str] = Counter()
        self._lock = threading.Lock()

    def running(self, client: str) -> int:
        """How many queries `client` runs now."""
        with self._lock:
            return self._running.get(client, 0)

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of `client`'s query slots for the duration of the block."""
        with self._lock:
            if self._running[client] >= self.limit:
                raise TooManyQueriesError(client)
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
