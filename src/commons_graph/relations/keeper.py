"""Keeping the derived relations in step with the store: after every write that may change a
fact the rules read, the relations are derived again and only the difference is written."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pyoxigraph import NamedNode

from commons_graph.config import Settings
from commons_graph.logs import log_failure
from commons_graph.relations.derivation import derive, rule_inputs
from commons_graph.relations.facts import Facts, GraphFacts, merge, read_facts, read_graph_facts
from commons_graph.relations.graph import Stored, activity_triples, difference, stored
from commons_graph.relations.iris import DERIVATION_PREFIX, DERIVED_RELATIONS_GRAPH
from commons_graph.relations.pending import PendingDerivation
from commons_graph.store.base import Store
from commons_graph.store.derived import quiet_period
from commons_graph.store.listeners import StoreChange
from commons_graph.trim import give_back

log = logging.getLogger("commons_graph.relations")
# A failed run is tried again this many times, after 1, 2, 3 s.
RETRIES = 3
RETRY_SECONDS = 1.0
# A burst of writes waits at most this long for its derivation (see `quiet_seconds`).
MAX_DELAY_SECONDS = 60.0

# Graphs whose writes never change a fact the rules read: the derived graph itself (its own
# writes would otherwise start it again) and the contributions' provenance records.
_IGNORED = frozenset(
    {DERIVED_RELATIONS_GRAPH, NamedNode("https://w3id.org/commons-graph/graph/provenance")}
)


@dataclass(frozen=True)
class RebuildSummary:
    """What one run did."""

    relations: int
    organisations: int
    added: int
    removed: int
    kept: int
    seconds: float


def rebuild(
    store: Store,
    per_organisation: int,
    current: Stored | None = None,
    facts: Facts | None = None,
) -> tuple[RebuildSummary, Stored]:
    """Derive every relation from the store's facts and write the difference (one commit).

    `current` is the derived graph's content and `facts` the store's facts when the caller
    knows them (read otherwise); returns what the graph holds afterwards too.
    """
    began = time.monotonic()
    started = datetime.now(UTC)
    facts = facts if facts is not None else read_facts(store)
    relations = derive(facts, per_organisation)
    ended = datetime.now(UTC)
    activity = NamedNode(DERIVATION_PREFIX + started.strftime("%Y%m%dT%H%M%S%fZ"))
    run = activity_triples(activity, started, ended, per_organisation)
    diff = difference(current or stored(store), relations, activity, run)
    if not diff.changes.is_empty():
        store.commit(diff.changes)
    summary = RebuildSummary(
        relations=len(relations),
        organisations=len(facts.organisations),
        added=diff.added,
        removed=diff.removed,
        kept=diff.kept,
        seconds=time.monotonic() - began,
    )
    return summary, diff.after


def may_change_relations(change: StoreChange) -> bool:
    """Whether a write may have changed a fact the rules read."""
    return change.graphs is None or bool(change.graphs - _IGNORED)


class RelationKeeper:
    """A store change listener that derives the relations again after each relevant write.

    With `background`, the work runs in one thread of its own, so that a write is
    acknowledged without waiting for it; a run starts once no relevant write came for four
    times the last run's duration, at most `quiet_seconds` (`store/derived.py` quiet_period; at
    most MAX_DELAY_SECONDS after the first one waiting), so that writes in a burst are taken
    together and no derivation (pure Python, seconds on a large store) competes with them for
    the interpreter, while a small network's relations follow a write within milliseconds.
    Without, it runs in the writer's thread (the command line).
    """

    def __init__(
        self,
        store: Store,
        per_organisation: int,
        *,
        background: bool = True,
        quiet_seconds: float = 0.0,
    ) -> None:
        self.store = store
        self.per_organisation = per_organisation
        self._background = background
        self.quiet_seconds = quiet_seconds
        # How long the last run took (seconds): sets the quiet period before the next (the
        # whole `quiet_seconds` until a run has been measured).
        self._last_run_seconds = float("inf")
        # When the last relevant write came, and the first one not yet derived (monotonic).
        self._last_write = 0.0
        self._first_waiting: float | None = None
        self._lock = threading.Condition()
        self._pending = False
        self._running = False
        self._stopped = False
        self._thread: threading.Thread | None = None
        self.last: RebuildSummary | None = None
        # How many runs were made (for diagnostics and tests).
        self.runs = 0
        # The derived graph's content after our last run, while nobody else wrote to it: saves
        # reading it back (a second or so for 100k statements) on every run.
        self._mirror: Stored | None = None
        # The thread running a derivation: its own commit is the one write not to react to
        # (writes other threads make meanwhile are heard as usual).
        self._runner: int | None = None
        # The facts by graph, and the graphs written since they were read (None: read all).
        self._facts: dict[str, GraphFacts] | None = None
        self._stale: set[NamedNode] | None = None
        # Whether the last run read every fact (so that it settles a derivation owed by a load).
        self._read_all = False
        self.owed: PendingDerivation | None = None
        # What the rules read of the facts at the last run (`rule_inputs`): a run whose facts
        # give the same needs no derivation (tens of seconds of CPU at 1M statements).
        self._inputs: tuple[object, ...] | None = None
        # Runs that found the rules' inputs unchanged and derived nothing (diagnostics, tests).
        self.skipped = 0

    def attach(self) -> None:
        """Listen to the store's writes (and start the thread, in the background mode)."""
        self.store.add_change_listener(self)
        if self._background and self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="relations", daemon=True)
            self._thread.start()

    def __call__(self, store: Store, change: StoreChange) -> None:
        ours = self._runner == threading.get_ident()
        if change.touches(DERIVED_RELATIONS_GRAPH) and not ours:
            self._mirror = None  # someone else wrote to it (an administrator's update)
            self._inputs = None
        if ours or not may_change_relations(change):
            return
        with self._lock:
            if change.graphs is None or self._stale is None:
                self._stale = None
            else:
                # (the provenance records grow with every write and state no fact)
                self._stale |= change.graphs - _IGNORED
        if not self._background:
            self.run()
            return
        with self._lock:
            now = time.monotonic()
            self._last_write = now
            if self._first_waiting is None:
                self._first_waiting = now
            self._pending = True
            self._lock.notify_all()

    def check(self) -> None:
        """Derive every relation again from all the facts (in the thread, in the background
        mode): a store written while no keeper listened is brought in step."""
        with self._lock:
            self._stale = None
            self._inputs = None  # derived and compared with the graph, whatever the facts
            if self._background:
                self._pending = True
                self._lock.notify_all()
        if not self._background:
            self.run()

    def run(self) -> RebuildSummary:
        """Derive again now, in this thread."""
        mirror = self._mirror if self.store.sees_all_writes else None
        self.runs += 1
        self._runner = threading.get_ident()
        try:
            # k = 0 turns the derivation off: nothing is read, the graph is emptied.
            began = time.monotonic()
            facts = Facts() if self.per_organisation <= 0 else self._read_facts()
            if facts is None and mirror is not None and self.last is not None:
                # The write changed no fact a rule reads (a description, a #CodeSocial...).
                return self.last
            inputs = None if facts is None else rule_inputs(facts)
            if (
                inputs is not None
                and inputs == self._inputs
                and mirror is not None
                and self.last is not None
            ):
                # Facts changed, but none the rules pair organisations by: the same relations.
                assert facts is not None
                self.skipped += 1
                self.last = replace(
                    self.last,
                    organisations=len(facts.organisations),
                    added=0,
                    removed=0,
                    kept=self.last.relations,
                    seconds=time.monotonic() - began,
                )
                return self.last
            self._inputs = None
            self.last, after = rebuild(self.store, self.per_organisation, mirror, facts)
            self._inputs = inputs
            if self.owed is not None and (self._read_all or self.per_organisation <= 0):
                self.owed.clear()
        except BaseException:
            self._mirror, self._facts, self._inputs = None, None, None
            raise
        finally:
            self._runner = None
        self._mirror = after
        return self.last

    def _read_facts(self) -> Facts | None:
        """The store's facts: the graphs written since the last run read again, the others
        kept (all read when that is unknown, or when others may write to the store); None
        when the graphs read again hold the same facts as before."""
        with self._lock:
            stale, self._stale = self._stale, set()
        self._read_all = True
        if self._facts is None or stale is None or not self.store.sees_all_writes:
            self._facts = read_graph_facts(self.store)
            return merge(self._facts)
        self._read_all = False
        fresh = read_graph_facts(self.store, stale)
        changed = False
        for graph in stale:
            before = self._facts.get(graph.value)
            after = fresh.get(graph.value)
            if before != after:
                changed = True
                if after is None:
                    del self._facts[graph.value]
                else:
                    self._facts[graph.value] = after
        return merge(self._facts) if changed else None

    def _loop(self) -> None:
        failures = 0
        while True:
            with self._lock:
                while not self._stopped:
                    if self._pending:
                        left = self._quiet_left()
                        if left <= 0:
                            break
                        self._lock.wait(left)
                    else:
                        self._lock.wait()
                if self._stopped:
                    return
                self._pending, self._running = False, True
                self._first_waiting = None
            failed = False
            started = time.monotonic()
            try:
                self.run()
                self._last_run_seconds = time.monotonic() - started
                give_back()  # the facts and rows read at once (hundreds of MB at 1M)
            except Exception:
                # The store may be busy, closing or unreachable for a moment: try again a
                # few times, then leave it to the next write (or `relations rebuild`).
                log_failure(log, "deriving the relations failed")
                failed = True
            finally:
                failures = failures + 1 if failed else 0
                with self._lock:
                    if failed and failures <= RETRIES and not self._stopped:
                        self._stale, self._pending = None, True
                    self._running = False
                    self._lock.notify_all()
            if failed and failures <= RETRIES:
                time.sleep(RETRY_SECONDS * failures)

    def _quiet_left(self) -> float:
        """Seconds until a pending run may start (under the lock)."""
        if self._first_waiting is None:
            return 0.0
        now = time.monotonic()
        wait = quiet_period(self._last_run_seconds, self.quiet_seconds)
        quiet = self._last_write + wait - now
        return min(quiet, self._first_waiting + MAX_DELAY_SECONDS - now)

    def settle(self, timeout: float) -> bool:
        """Wait (at most `timeout` seconds) until no run is due or running; whether it is so."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending or self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def stop(self) -> None:
        """Stop listening and end the thread (a run under way finishes first)."""
        self.store.remove_change_listener(self)
        with self._lock:
            self._stopped = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None


def keep_relations(store: Store, settings: Settings, *, background: bool = False) -> RelationKeeper:
    """A keeper listening to `store`'s writes, with the settings' bound; its first run over
    every fact settles a derivation a load left for later (`relations/pending.py`)."""
    keeper = RelationKeeper(
        store,
        settings.related_per_organisation,
        background=background,
        quiet_seconds=settings.relations_quiet_seconds,
    )
    keeper.owed = PendingDerivation.of(settings)
    keeper.attach()
    return keeper
