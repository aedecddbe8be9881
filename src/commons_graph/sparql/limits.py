"""Capping the queries one client runs at once, so that no client can hold every worker."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from commons_graph.errors import TooManyError


def fair_limit(configured: int, workers: int | None) -> int:
    """The queries one client may run at once: the configured cap, and with a pool of more
    than one worker at most all but one of them, so another client always finds one free.
    With a single worker the cap stays as configured (there is nothing to leave free)."""
    if workers is not None and workers > 1:
        return max(1, min(configured, workers - 1))
    return max(1, configured)


class TooManyQueriesError(TooManyError):
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
                raise TooManyQueriesError("sparql.too_many_queries", limit=self.limit)
            self._running[client] += 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]
