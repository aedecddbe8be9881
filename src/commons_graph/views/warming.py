"""Building the list pages' indexes when the service starts, ahead of their first visitor.

A kind's index takes seconds to build on a large network (~100 s for 200,000 organisations at
10M triples, docs/benchmarks.md); built on demand, the first visitor of each list page after a
start waited that long. After writes nothing changes: the previous index answers while the
next one is built (`StoreDerived(stale_while_refreshing=True)`).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable

from commons_graph.geo.points import located_index
from commons_graph.logs import log_failure
from commons_graph.network.model import network_model
from commons_graph.store.base import Store
from commons_graph.validation.contribution import prepare_checks
from commons_graph.views.kinds import KINDS, Kind
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
            for name, build in _builders():
                if self._stopping.is_set():
                    return
                try:
                    build(self.store)
                except Exception:
                    # The first reader builds it instead (and reports what fails).
                    log_failure(log, "building the %s index failed", name)
                else:
                    self.built.append(name)
        finally:
            self._done.set()


def _list_index_of(store: Store, kind: Kind) -> object:
    return list_index(store, kind)


def _builders() -> list[tuple[str, Callable[[Store], object]]]:
    """What is built, in order: every kind's list index (the pages visitors come to first),
    the contribution checks (compiled shapes, class hierarchy: a fraction of a second, else
    paid by the first contribution), then the map's located resources (geo/points.py) and the
    network model (network/model.py), which resource pages read."""
    lists: list[tuple[str, Callable[[Store], object]]] = [
        (kind.key, functools.partial(_list_index_of, kind=kind)) for kind in KINDS.values()
    ]
    return [
        *lists,
        ("validation", prepare_checks),
        ("located", located_index),
        ("network", network_model),
    ]
