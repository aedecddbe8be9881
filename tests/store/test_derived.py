"""Values derived from a store follow its writes; slow ones may be served stale while rebuilt."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox

from commons_graph.store import Store
from commons_graph.store.derived import StoreDerived

GRAPH = ox.NamedNode("http://example.org/graph")


def add(store: Store, n: int) -> None:
    """Put `n` triples in the test graph."""
    store.replace_graph(
        GRAPH,
        [
            ox.Triple(
                ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://p"), ox.Literal("x")
            )
            for i in range(n)
        ],
    )


def test_recomputed_after_each_write_only(store: Store) -> None:
    """The value is computed once per store state."""
    calls: list[int] = []

    def count(s: Store) -> int:
        calls.append(1)
        return s.count()

    derived = StoreDerived(store, count)
    add(store, 2)
    assert derived.get() == 2 and derived.get() == 2
    assert len(calls) == 1
    add(store, 3)
    assert derived.get() == 3
    assert len(calls) == 2


def test_stale_value_while_the_new_one_is_computed(store: Store) -> None:
    """With stale_while_refreshing, readers never wait once a first value exists."""
    release = threading.Event()

    def slow_count(s: Store) -> int:
        if s.count() == 3:
            release.wait(timeout=10)
        return s.count()

    derived = StoreDerived(store, slow_count, stale_while_refreshing=True)
    add(store, 2)
    assert derived.get() == 2
    add(store, 3)
    assert derived.get() == 2  # the rebuild runs in the background, blocked until released
    release.set()
    deadline = time.monotonic() + 10
    while derived.get() != 3:
        assert time.monotonic() < deadline, "the background rebuild did not finish"
        time.sleep(0.01)
