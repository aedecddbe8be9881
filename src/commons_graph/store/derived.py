"""Values computed from a store's content, kept until that content may have changed."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Generic, Protocol, TypeVar

from commons_graph.logs import log_failure
from commons_graph.store.base import Store
from commons_graph.store.listeners import StoreChange

T = TypeVar("T")


class Follower(Protocol[T]):
    """How a derived value follows writes instead of being computed again whole.

    `note` is the store's change listener (the writer's thread: it only takes note, in a few
    microseconds); `apply` makes, from the value held, the value after everything noted since
    that value's computation began, without changing the one held (readers keep it meanwhile),
    or returns None when it cannot (a load, too large a change): then the value is computed
    whole. Notes are taken when a computation begins, so that a write made while it reads the
    store is followed by the next one (reading a change twice must do no harm).
    """

    def note(self, store: Store, change: StoreChange) -> None:
        """Take note of a successful write."""

    def take(self) -> object:
        """What was noted so far, forgotten here (the next notes start empty)."""

    def apply(self, store: Store, value: T, notes: object) -> T | None:
        """`value` after the writes of `notes`, as a new value; None to compute it whole."""


class StaleReads:
    """Whether the work that made it read a derived value older than the store's content."""

    def __init__(self) -> None:
        self.stale = False


# Set by whoever keeps the result of some work (the response cache): a derived value served
# while its refresh runs makes that result stale, so it must not be kept as current. A mutable
# holder, so that a mark made in a worker thread (which runs in a copy of the context) is seen.
_STALE_READS: ContextVar[StaleReads | None] = ContextVar("stale_reads", default=None)


def track_stale_reads() -> StaleReads:
    """Start recording, for the current context, whether a stale derived value is read."""
    reads = StaleReads()
    _STALE_READS.set(reads)
    return reads


log = logging.getLogger("commons_graph.store")

# A store with no write counter this process can see (a remote server that others may write
# to) gets its values recomputed this often.
UNKNOWN_STATE_TTL_SECONDS = 30.0
# A stale value is recomputed once the store has not changed for a while (as readers see it),
# or at the latest REFRESH_MAX_DELAY_SECONDS after it was first seen stale: under a burst of
# writes a whole-store computation (seconds, pure Python) is not started again after each one,
# to compete with the writes for the interpreter. The while is REFRESH_QUIET_PER_COMPUTE times
# the value's last computation, so that under a steady stream of writes refreshing takes at
# most a fifth of the time, between REFRESH_QUIET_MIN_SECONDS and REFRESH_QUIET_SECONDS: a
# value computed in milliseconds (a small network) is fresh milliseconds after a write, one
# computed in seconds waits for the store to be quiet for a second.
REFRESH_QUIET_SECONDS = 1.0
REFRESH_QUIET_MIN_SECONDS = 0.05
REFRESH_QUIET_PER_COMPUTE = 4.0
REFRESH_MAX_DELAY_SECONDS = 30.0


def quiet_period(last_compute_seconds: float, at_most: float) -> float:
    """How long the store must have been quiet before work that last took
    `last_compute_seconds` runs again in the background (derived values here, the relations
    keeper's derivation): REFRESH_QUIET_PER_COMPUTE times that, at least
    REFRESH_QUIET_MIN_SECONDS, at most `at_most`."""
    wanted = max(REFRESH_QUIET_MIN_SECONDS, REFRESH_QUIET_PER_COMPUTE * last_compute_seconds)
    return min(at_most, wanted)


class StoreDerived(Generic[T]):
    """`compute(store)`, recomputed after each write (and every 30 s when others may write).

    With `stale_while_refreshing`, once a first value exists, a change of the store starts the
    recomputation in a background thread and callers keep getting the previous value until it
    is ready: for values that take seconds to compute on large stores (list indexes), where a
    view a few seconds old is better than making the next reader wait.
    """

    def __init__(
        self,
        store: Store,
        compute: Callable[[Store], T],
        *,
        stale_while_refreshing: bool = False,
        follower: Follower[T] | None = None,
    ) -> None:
        self.store = store
        self._compute = compute
        self._stale_ok = stale_while_refreshing
        # Only where every write is heard: a store others write to may change unheard.
        self._follower = follower if store.sees_all_writes else None
        if self._follower is not None:
            store.add_change_listener(self._follower.note)
        # Set when a computation failed after taking the follower's notes.
        self._whole_next = False
        # How many values were made by following writes, and computed whole (tests, bench).
        self.followed = 0
        self.computed = 0
        # `_lock` guards the fields below and is only ever held for a moment: readers that must
        # not wait (`ready()`, a stale value served while refreshing) take it. `_computing` is
        # held for a whole computation (tens of seconds for a whole-store value on a remote
        # server), so that the same value is not computed twice at once; never hold `_lock`
        # while computing, or every page asking `ready()` waits for the computation.
        self._lock = threading.Lock()
        self._computing = threading.Lock()
        self._key: object = object()
        self._value: T | None = None
        self._refreshing = False
        # The newest state readers asked for, when it was first asked, and since when the
        # value held has been stale (monotonic seconds).
        self._asked: object = self._key
        self._asked_at = 0.0
        self._stale_since: float | None = None
        # How long the last computation took (seconds): sets the quiet period before the next.
        self._last_seconds = 0.0

    def _state_key(self) -> object:
        if self.store.sees_all_writes:
            return self.store.generation
        return (self.store.generation, int(time.monotonic() // UNKNOWN_STATE_TTL_SECONDS))

    def get(self) -> T:
        """The value for the store's current content (or, if allowed, the previous one)."""
        key = self._state_key()
        with self._lock:
            if key == self._key and self._value is not None:
                return self._value
            if self._value is not None and (self._stale_ok or self._expired_only(key)):
                reads = _STALE_READS.get()
                if reads is not None:
                    reads.stale = True
                self._refresh_when_quiet(key)
                return self._value
        with self._computing:
            with self._lock:
                # Computed by another caller (or a background refresh) while this one waited.
                if key == self._key and self._value is not None:
                    return self._value
            value = self._timed_compute()
            with self._lock:
                self._value, self._key = value, key
                if key == self._asked:
                    self._stale_since = None
            return value

    def _timed_compute(self) -> T:
        """The value for the store's content now (the one held, followed through the writes
        since, when a follower can; else `compute(store)`), its duration kept for the quiet
        period before the next. Called with `_computing` held, so `_value` is stable."""
        started = time.monotonic()
        value: T | None = None
        try:
            if self._follower is not None:
                notes = self._follower.take()
                if self._value is not None and not self._whole_next:
                    value = self._follower.apply(self.store, self._value, notes)
            if value is None:
                value = self._compute(self.store)
                self.computed += 1
            else:
                self.followed += 1
        except BaseException:
            # The notes taken are lost with this computation: the next one must be whole.
            self._whole_next = True
            raise
        self._whole_next = False
        self._last_seconds = time.monotonic() - started
        return value

    def _expired_only(self, key: object) -> bool:
        """Whether the value held differs from `key` only by having expired with time (a store
        others may write to, unchanged by this process): then it is refreshed in the background
        and served meanwhile, rather than every reader waiting each 30 s for a whole-store
        computation (the term labels: 1-2 s on Virtuoso at 100k)."""
        held = self._key
        return (
            isinstance(key, tuple)
            and isinstance(held, tuple)
            and len(key) == len(held) == 2
            and key[0] == held[0]
        )

    def ready(self) -> T | None:
        """The value held now (perhaps older than the store's content), or None when there is
        none yet; never computes in the caller: a missing or stale value is (re)computed in a
        background thread, for the next reader."""
        key = self._state_key()
        with self._lock:
            if key != self._key or self._value is None:
                # An answer made without the current value (or with none) is not kept as
                # current by the response cache.
                reads = _STALE_READS.get()
                if reads is not None:
                    reads.stale = True
                self._refresh_when_quiet(key)
            return self._value

    def _refresh_when_quiet(self, key: object) -> None:
        """Start computing the value of `key` in the background (under the lock): at once when
        there is none yet, else once the store has been quiet for a while (see above)."""
        now = time.monotonic()
        if key != self._asked:
            self._asked, self._asked_at = key, now
        if self._stale_since is None:
            self._stale_since = now
        if self._refreshing:
            return
        quiet = now - self._asked_at >= quiet_period(self._last_seconds, REFRESH_QUIET_SECONDS)
        overdue = now - self._stale_since >= REFRESH_MAX_DELAY_SECONDS
        if self._value is None or quiet or overdue:
            self._refreshing = True
            threading.Thread(target=self._refresh, args=(key,), daemon=True).start()

    def _refresh(self, key: object) -> None:
        try:
            with self._computing:
                with self._lock:
                    current = key == self._key and self._value is not None
                if not current:
                    value = self._timed_compute()
                    with self._lock:
                        self._value, self._key = value, key
                        if key == self._asked:
                            self._stale_since = None
        except Exception:
            # The store may be closing, or unreachable for a moment: keep serving the previous
            # value; the next reader after a change tries again.
            log_failure(log, "background refresh of a derived value failed")
        finally:
            with self._lock:
                self._refreshing = False


_BY_STORE: weakref.WeakKeyDictionary[Store, dict[str, StoreDerived[Any]]] = (
    weakref.WeakKeyDictionary()
)
_BY_STORE_LOCK = threading.Lock()


def _holder(
    store: Store,
    name: str,
    compute: Callable[[Store], T],
    stale_while_refreshing: bool,
    follow: Callable[[], Follower[T]] | None = None,
) -> StoreDerived[T]:
    with _BY_STORE_LOCK:
        values = _BY_STORE.setdefault(store, {})
        holder = values.get(name)
        if holder is None:
            holder = values[name] = StoreDerived(
                store,
                compute,
                stale_while_refreshing=stale_while_refreshing,
                follower=None if follow is None else follow(),
            )
    return holder


def derived(
    store: Store,
    name: str,
    compute: Callable[[Store], T],
    *,
    stale_while_refreshing: bool = False,
    follow: Callable[[], Follower[T]] | None = None,
) -> T:
    """The value `name` of `store`, computed by `compute` and kept until the store changes;
    with `follow` (a factory of the value's Follower), patched after writes where it can."""
    return _holder(store, name, compute, stale_while_refreshing, follow).get()


def derived_holder(store: Store, name: str) -> StoreDerived[Any] | None:
    """The holder of the value `name` of `store`, if one was made (diagnostics, tests)."""
    with _BY_STORE_LOCK:
        return _BY_STORE.get(store, {}).get(name)


def derived_if_ready(
    store: Store,
    name: str,
    compute: Callable[[Store], T],
    *,
    follow: Callable[[], Follower[T]] | None = None,
) -> T | None:
    """The value `name` of `store` if one is held (perhaps older than the store's content),
    else None; a missing or stale value is computed in the background, never by the caller.

    For the parts of a page that are a convenience (the network panel): a request never waits
    seconds for a whole-store computation, and the part shows a link until it is ready. The
    holder is the one `derived` uses under the same name, so both share one value.
    """
    return _holder(store, name, compute, True, follow).ready()


def wait_current(
    store: Store, name: str, timeout: float, stop: threading.Event | None = None
) -> bool:
    """Wait (up to `timeout` s) until the value `name` (made by `derived` before) is the one for
    the store's current content, rather than the previous one served while it is refreshed;
    whether it is (False at once when `stop` is set). For background work that derives from it
    in turn (the map's answers)."""
    with _BY_STORE_LOCK:
        holder = _BY_STORE.get(store, {}).get(name)
    if holder is None:
        return False
    deadline = time.monotonic() + timeout
    while True:
        holder.get()  # starts the refresh if the content changed
        with holder._lock:
            if holder._key == holder._state_key() and holder._value is not None:
                return True
        if time.monotonic() >= deadline or (stop is not None and stop.wait(0.05)):
            return False
        if stop is None:
            time.sleep(0.05)
