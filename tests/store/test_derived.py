"""Values derived from a store follow its writes; slow ones may be served stale while rebuilt."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from commons_graph.store import Store
from commons_graph.store import derived as derived_module
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


def test_a_burst_of_writes_is_not_followed_by_a_recomputation_each(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While writes keep coming, readers get the previous value and nothing is recomputed;
    once the store is quiet, one recomputation runs in the background."""
    calls: list[int] = []

    def count(s: Store) -> int:
        calls.append(1)
        return s.count()

    derived = StoreDerived(store, count, stale_while_refreshing=True)
    add(store, 2)
    assert derived.get() == 2 and len(calls) == 1
    # A quiet period longer than the burst: every write below comes within it.
    monkeypatch.setattr(derived_module, "REFRESH_QUIET_SECONDS", 3600.0)
    monkeypatch.setattr(derived_module, "REFRESH_QUIET_MIN_SECONDS", 3600.0)
    for n in range(3, 8):
        add(store, n)
        assert derived.get() == 2
    assert len(calls) == 1
    monkeypatch.setattr(derived_module, "REFRESH_QUIET_SECONDS", 0.0)
    deadline = time.monotonic() + 10
    while derived.get() != 7:
        assert time.monotonic() < deadline, "the background recomputation did not run"
        time.sleep(0.01)
    assert len(calls) == 2


def test_ready_never_waits_for_a_computation_another_caller_runs(store: Store) -> None:
    """A page asking `ready()` gets what is held at once while another thread computes with
    `get()` (the start-up warmer building the network model: tens of seconds on a remote
    server), and two callers of `get()` do not compute the same value twice."""
    release, started = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_count(s: Store) -> int:
        calls.append(1)
        started.set()
        release.wait(timeout=10)
        return s.count()

    derived = StoreDerived(store, slow_count)
    add(store, 2)
    results: list[int] = []
    computing = [threading.Thread(target=lambda: results.append(derived.get())) for _ in range(2)]
    try:
        computing[0].start()
        assert started.wait(timeout=10)
        computing[1].start()
        answered = threading.Event()
        asked = threading.Thread(target=lambda: (derived.ready(), answered.set()))
        asked.start()
        # Answered while the computation is still held back by `release`.
        assert answered.wait(timeout=10), "ready() waited for the computation"
        assert derived.ready() is None
    finally:
        release.set()
        for thread in computing:
            thread.join(timeout=10)
    assert results == [2, 2]
    assert derived.ready() == 2
    assert len(calls) == 1


def test_a_value_expired_with_time_is_served_while_refreshed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a store others may write to, a value that only expired with time is served while it
    is recomputed in the background: pages do not wait each 30 s for a whole-store value."""
    if store.sees_all_writes:
        pytest.skip("values expire with time only on stores others may write to")
    release = threading.Event()
    calls: list[int] = []

    def slow_count(s: Store) -> int:
        calls.append(1)
        if len(calls) > 1:
            release.wait(timeout=10)
        return s.count() + len(calls)

    derived = StoreDerived(store, slow_count)
    add(store, 2)
    assert derived.get() == 3
    monkeypatch.setattr(derived_module, "UNKNOWN_STATE_TTL_SECONDS", 0.05)
    monkeypatch.setattr(derived_module, "REFRESH_QUIET_SECONDS", 0.0)
    time.sleep(0.1)
    try:
        assert derived.get() == 3  # served at once; the refresh is held back by `release`
    finally:
        release.set()
    monkeypatch.setattr(derived_module, "UNKNOWN_STATE_TTL_SECONDS", 3600.0)
    deadline = time.monotonic() + 10
    while derived.get() != 4:
        assert time.monotonic() < deadline, "the background refresh did not run"
        time.sleep(0.01)
    add(store, 3)  # this process wrote: computed for the caller, not served stale
    assert derived.get() == 3 + len(calls)


def test_the_quiet_period_follows_the_last_computation_within_its_bounds() -> None:
    """Four times the last computation, at least the floor, at most the ceiling given."""
    floor = derived_module.REFRESH_QUIET_MIN_SECONDS
    assert derived_module.quiet_period(0.0, 1.0) == floor
    assert derived_module.quiet_period(0.1, 1.0) == pytest.approx(0.4)
    assert derived_module.quiet_period(30.0, 1.0) == 1.0
    assert derived_module.quiet_period(0.1, 0.0) == 0.0  # a ceiling of 0: after each write


def test_a_value_computed_quickly_is_refreshed_soon_after_a_write(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a ceiling no test would wait for, a value computed in milliseconds is refreshed
    after the floor's quiet period: the wait follows the computation, not the ceiling."""
    derived = StoreDerived(store, lambda s: s.count(), stale_while_refreshing=True)
    add(store, 2)
    assert derived.get() == 2
    monkeypatch.setattr(derived_module, "REFRESH_QUIET_SECONDS", 3600.0)
    add(store, 3)
    deadline = time.monotonic() + 60
    while derived.get() != 3:
        assert time.monotonic() < deadline, "the value was not refreshed"
        time.sleep(0.01)
