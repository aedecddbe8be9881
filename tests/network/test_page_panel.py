"""A resource page never builds the network model: it shows the model held, or a link."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox

from commons_graph.network.page import network_panel
from commons_graph.store.changes import ChangeSet
from commons_graph.store.derived import derived_if_ready, track_stale_reads
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.network import OUISHARE, fill_network_store

HREF = str


def _until(check: object, seconds: float = 60.0) -> object:
    """The first truthy result of `check()` within `seconds` (bounded polling)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()  # type: ignore[operator]
        if found:
            return found
        assert time.monotonic() < deadline, "not ready in time"
        time.sleep(0.02)


def test_a_value_not_ready_is_computed_in_the_background(tmp_path: Path) -> None:
    callers: list[int] = []
    release = threading.Event()

    def compute(store: object) -> int:
        callers.append(threading.get_ident())
        release.wait(30)
        return len(callers)

    with EmbeddedStore(tmp_path / "store") as store:
        reads = track_stale_reads()
        # The caller gets None at once, even while the computation is blocked.
        assert derived_if_ready(store, "test-value", compute) is None
        assert reads.stale  # an answer made without it is not kept as current
        release.set()
        assert _until(lambda: derived_if_ready(store, "test-value", compute)) == 1
        assert threading.get_ident() not in callers
        # After a write, the previous value answers while the next is computed elsewhere.
        quad = ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
        store.commit(ChangeSet(insert=[quad]))
        assert derived_if_ready(store, "test-value", compute) == 1
        assert _until(lambda: derived_if_ready(store, "test-value", compute) == 2)
        assert threading.get_ident() not in callers


def test_the_page_panel_does_not_build_the_model(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        fill_network_store(store, tmp_path)
        # No model yet: the panel is None (the page links to /network), built meanwhile.
        assert network_panel(store, OUISHARE, "en", HREF) is None
        panel = _until(lambda: network_panel(store, OUISHARE, "en", HREF))
        assert panel is not None and panel.groups  # type: ignore[attr-defined]
