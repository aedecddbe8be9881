"""Keeping the search index in step with its store: after every write, at start-up, on demand.

- After each write through the service (a store change listener), the resources with
  statements in the changed graphs, before and after, are read again; a write that does not
  say which graphs it changed rebuilds the whole index. This work runs in the keeper's own
  thread, not the writer's (a write is acknowledged without waiting for it: ~3.5 ms of CPU at
  1M statements, 10-20 ms on a loaded machine); writes that come while it works are taken
  together. Every read of the index first waits for the updates of the writes already made
  (`flush`), so that a member's write is found by the next search, suggestion or
  `cgf:matches` query; a write that leaves more than MAX_PENDING_GRAPHS graphs waiting waits
  itself (the backlog is bounded). An update that fails is logged and marks the index stale
  (rebuilt at the next start); closing the keeper applies what is still waiting.
- At start-up the index is compared with the store (the store's fingerprint: how many quads
  and which named graphs, recorded when the index was last known to match, on a clean stop or
  after a rebuild); when it may be stale, it is rebuilt in a background thread while the
  previous index keeps answering.
- `commons-graph search rebuild` rebuilds it from scratch.

A rebuild reads the embedded store's searched graphs at once (`search/scanning.py`), another
store 400 subjects at a time (`read_documents`, what every update reads): the same documents.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from commons_graph.logs import log_failure
from commons_graph.search.documents import (
    EXCLUDED_GRAPHS,
    Document,
    all_subjects,
    read_documents,
    subjects_of_graphs,
)
from commons_graph.search.index import SearchIndex
from commons_graph.search.scanning import scan_documents
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.listeners import StoreChange
from commons_graph.trim import give_back

log = logging.getLogger("commons_graph.search")

# meta "state": "clean" when the recorded fingerprint is the store's, "dirty" once a write has
# changed both since (the fingerprint is recorded again on a clean stop), "stale" when the
# index is known not to match (never built, a rebuild stopped half way).
CLEAN, DIRTY, STALE = "clean", "dirty", "stale"
# meta "built": set once a first rebuild has filled the index.
BUILT = "built"
# The most graphs waiting to be read again: a write beyond it waits for the keeper to catch up.
MAX_PENDING_GRAPHS = 1_000
# How long a read waits at most for the updates of writes already made (they take
# milliseconds; the bound keeps a request from hanging on a keeper that is stuck).
READ_WAIT_SECONDS = 30.0
# How long closing waits for what is still waiting to be applied.
CLOSE_WAIT_SECONDS = 60.0
# The most linked resources whose names are kept between updates (then they are read again).
MAX_KEPT_NAMES = 20_000


# The keepers listening now, by their index file: the query workers read the file themselves
# (`cgf:matches`), so the executor waits for its keeper before handing a query over.
_ATTACHED: dict[str, IndexKeeper] = {}
_ATTACHED_LOCK = threading.Lock()


def settle(index_file: str | None) -> None:
    """Wait for the updates of the writes already made to the index at `index_file`, if a
    keeper of this process keeps it (before a query that may read it)."""
    if index_file is None:
        return
    with _ATTACHED_LOCK:
        keeper = _ATTACHED.get(index_file)
    if keeper is not None:
        keeper.flush()


def fingerprint(store: Store) -> str:
    """What the index compares with at start-up: the quad count and the named graphs."""
    graphs = sorted(g.value for g in store.named_graphs())
    digest = hashlib.sha256("\n".join(graphs).encode()).hexdigest()[:16]
    return f"{store.count()}:{len(graphs)}:{digest}"


# The scan holds every document at once: ~340 MB more peak memory per million statements than
# reading 400 subjects at a time (511 against 173 MB at 1M, for 17 against 24 s of CPU). Above
# this many statements a rebuild reads in batches, so that one at a server's start never raises
# its peak by more than ~35 MB (the memory target is per million statements).
SCAN_AT_MOST_QUADS = 100_000


def every_document(store: Store) -> tuple[int, Iterator[Document]]:
    """How many subjects the store's searched graphs hold, and their documents: read from a
    small embedded store's graphs at once, else 400 subjects at a time."""
    # len() of an embedded store counts (0.17 s at 1M): little beside a rebuild.
    if isinstance(store, EmbeddedStore) and len(store.native) <= SCAN_AT_MOST_QUADS:
        return scan_documents(store)
    subjects = all_subjects(store)
    return len(subjects), read_documents(store, subjects, {})


class IndexKeeper:
    """Keeps one index in step with one store."""

    def __init__(self, store: Store, index: SearchIndex, *, background: bool = True) -> None:
        self.store = store
        self.index = index
        # In the background (the default): writes are applied by the keeper's thread, and
        # reads of the index wait for them; otherwise in the writer's thread.
        self.background = background
        self._queue = threading.Condition()
        self._queued_graphs: set[str] = set()
        # Writes told so far, taken by the keeper's thread, applied; the last that asked for
        # a rebuild.
        self._queued = 0
        self._taken = 0
        self._applied = 0
        self._rebuild_asked = 0
        self._worker: threading.Thread | None = None
        self._closing = False
        self._rebuilding = threading.Event()
        self._rebuild_lock = threading.Lock()
        # Graphs written while a rebuild reads the store: read again once it is written.
        self._pending: set[str] | None = None
        # The names of linked resources read by earlier updates (the labels of a document's
        # links): a resource's names are statements about it, so they can change only by a
        # write to a graph it has statements in, which reads it again as a subject (its entry
        # is dropped then). An organisation's document links to every commons it stewards:
        # without them, each write about it read all their names again.
        self._names: dict[str, list[str]] = {}
        self._thread: threading.Thread | None = None
        self.last_rebuild_seconds: float | None = None
        # One bound method, so that the store can tell it apart when it is removed.
        self._listener = self.on_change
        # For a store others may write to (`watch`): the fingerprint last seen, and whether
        # writes of this process came since.
        self._seen: str | None = None
        self._own_writes = 0
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    # -- state ----------------------------------------------------------------------------

    @property
    def rebuilding(self) -> bool:
        """Whether a rebuild is under way (the previous index answers meanwhile)."""
        return self._rebuilding.is_set()

    def is_stale(self) -> bool:
        """Whether the index may not match the store."""
        state = self.index.meta("state")
        if state != CLEAN:
            return True
        return self.index.meta("fingerprint") != fingerprint(self.store)

    def record_clean(self) -> None:
        """Record that the index matches the store as it is now (no write under way)."""
        with self.index.write_lock:
            if self.index.meta("state") == STALE or self.rebuilding:
                return
            self.index.set_meta("fingerprint", fingerprint(self.store))
            self.index.set_meta("state", CLEAN)

    # -- keeping in step ------------------------------------------------------------------

    def attach(self) -> IndexKeeper:
        """Listen to the store's writes (reads of the index wait for those already made)."""
        self.store.add_change_listener(self._listener)
        self.index.before_read = self.flush
        with _ATTACHED_LOCK:
            _ATTACHED[str(self.index.path)] = self
        return self

    def detach(self) -> None:
        """Stop listening, once the writes already told are applied."""
        self.store.remove_change_listener(self._listener)
        with _ATTACHED_LOCK:
            if _ATTACHED.get(str(self.index.path)) is self:
                del _ATTACHED[str(self.index.path)]
        if not self.flush(CLOSE_WAIT_SECONDS, rebuilds=True):
            log.warning("the search index could not catch up with the writes in time")
            self._mark_stale()
        self._stop_worker()

    def on_change(self, store: Store, change: StoreChange) -> None:
        """After a write: read again the resources of the graphs it changed (in the keeper's
        thread in the background mode)."""
        self._own_writes += 1
        graphs = None if change.graphs is None else {g.value for g in change.graphs}
        if graphs is not None:
            graphs -= EXCLUDED_GRAPHS
            if not graphs:
                return
        if not self.background:
            self._apply(graphs)
            return
        with self._queue:
            self._queued += 1
            if graphs is None:
                self._rebuild_asked = self._queued
                self._queued_graphs.clear()  # a rebuild reads them all
            elif self._rebuild_asked <= self._taken:
                # (a rebuild under way may have read these graphs before this write)
                self._queued_graphs |= graphs
            # else: a rebuild is waiting, not started, which will read these graphs too
            backlog = len(self._queued_graphs) > MAX_PENDING_GRAPHS
            self._start_worker()
            self._queue.notify_all()
        if backlog:
            self.flush()

    def _apply(self, graphs: set[str] | None) -> None:
        """Rebuild (`graphs` None) or read the graphs again."""
        if graphs is None:
            self.rebuild()
        elif graphs:
            self.update_graphs(graphs)

    def flush(self, timeout: float | None = READ_WAIT_SECONDS, *, rebuilds: bool = False) -> bool:
        """Wait until the writes already told are applied (at most `timeout` seconds); whether
        they are. A rebuild asked for by a write is waited for only with `rebuilds`: readers
        get the previous index meanwhile, as during the rebuild at start-up."""
        if threading.current_thread() is self._worker:
            return True  # the keeper's own reads
        with self._queue:
            target = self._queued
            if self._rebuild_asked > self._applied and not rebuilds:
                return False
            return self._queue.wait_for(lambda: self._applied >= target, timeout)

    @property
    def pending(self) -> int:
        """How many writes told are not yet applied."""
        with self._queue:
            return self._queued - self._applied

    def _start_worker(self) -> None:
        """Start the keeper's thread if it is not running (callers hold `_queue`)."""
        if self._worker is None or not self._worker.is_alive():
            self._closing = False
            self._worker = threading.Thread(
                target=self._work, name="commons-graph-search-keeper", daemon=True
            )
            self._worker.start()

    def _stop_worker(self) -> None:
        """Let the keeper's thread end once nothing waits, and wait for it."""
        with self._queue:
            self._closing = True
            self._queue.notify_all()
            worker = self._worker
        if worker is not None and worker is not threading.current_thread():
            worker.join(CLOSE_WAIT_SECONDS)

    def _work(self) -> None:
        """The keeper's thread: apply the writes told, those that came together at once."""
        while True:
            with self._queue:
                self._queue.wait_for(lambda: self._queued > self._applied or self._closing)
                if self._queued == self._applied:
                    return  # closing, nothing waits
                upto = self._taken = self._queued
                rebuild = self._rebuild_asked > self._applied
                graphs, self._queued_graphs = self._queued_graphs, set()
            try:
                self._apply(None if rebuild else graphs)
            except Exception:
                log_failure(log, "keeping the search index in step with a write failed")
                self._mark_stale()
            finally:
                with self._queue:
                    self._applied = upto
                    self._queue.notify_all()

    def _mark_stale(self) -> None:
        """Mark the index as not matching the store: the next start rebuilds it."""
        try:
            with self.index.write_lock:
                self.index.set_meta("state", STALE)
        except Exception:
            log_failure(log, "marking the search index stale failed")

    def update_graphs(self, graphs: Iterable[str]) -> int:
        """Read again every resource with statements in `graphs`, before or after the write;
        returns how many."""
        graphs = set(graphs)
        with self.index.write_lock:
            if self._pending is not None:
                self._pending |= graphs
            subjects = self.index.subjects_in(graphs) | subjects_of_graphs(self.store, graphs)
            names = self._names
            if len(names) > MAX_KEPT_NAMES:
                names.clear()
            for subject in subjects:
                names.pop(subject, None)
            docs = list(read_documents(self.store, subjects, names))
            with self.index.transaction() as db:
                for doc in docs:
                    SearchIndex.put(db, doc)
                if self.index.meta("state") == CLEAN:
                    self.index.set_meta("state", DIRTY)
        return len(docs)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Make the index again from the whole store; returns how many resources it holds
        (`progress(done, total)` is told of the resources read, for a progress bar).

        The store is read without holding the index (writes meanwhile keep it in step and are
        read again after); the new content then replaces the old in one transaction, so that
        searches see the old index or the new one, never half of each.
        """
        with self._rebuild_lock:
            self._rebuilding.set()
            started = time.perf_counter()
            try:
                with self.index.write_lock:
                    self._pending = set()
                    before = fingerprint(self.store)
                    # Until it is done, the index is known not to match (a rebuild that fails
                    # leaves it so: the next start rebuilds it).
                    self.index.set_meta("state", STALE)
                total, read = every_document(self.store)
                docs = []
                for done, doc in enumerate(read, 1):
                    if doc.has_text:
                        docs.append(doc)
                    if progress is not None and done % 500 == 0:
                        progress(done, total)
                if progress is not None:
                    progress(total, total)
                with self.index.write_lock:
                    pending, self._pending = self._pending or set(), None
                    self._names.clear()  # read again after a rebuild, whatever changed
                    with self.index.transaction() as db:
                        SearchIndex.clear(db)
                        for doc in docs:
                            SearchIndex.put(db, doc, new=True)
                        self.index.set_meta("fingerprint", before)
                        self.index.set_meta(BUILT, "1")
                        self.index.set_meta("state", DIRTY if pending else CLEAN)
                if pending:
                    self.update_graphs(pending)
            finally:
                self._rebuilding.clear()
                self.last_rebuild_seconds = time.perf_counter() - started
        give_back()  # the documents of the whole store, read at once
        log.info("search index rebuilt: %d resources", len(docs))
        return len(docs)

    def check_at_start(self, *, background: bool = True) -> bool:
        """Rebuild the index if it may not match the store. In the background (the default)
        the check itself runs in a thread too (counting a large or remote store takes
        seconds) and this returns at once (False); otherwise returns whether it rebuilt."""
        if background:
            if self.index.meta(BUILT) is None:
                self._rebuilding.set()  # seen at once by pages, before the thread runs
            self._thread = threading.Thread(
                target=self._check_logged, name="commons-graph-search-index", daemon=True
            )
            self._thread.start()
            return False
        if not self.is_stale():
            return False
        self.rebuild()
        return True

    def _check_logged(self) -> None:
        try:
            self.check_at_start(background=False)
        except Exception:
            # The store may be closing or unreachable: the next start checks again.
            log_failure(log, "checking or rebuilding the search index failed")
        finally:
            self._rebuilding.clear()

    def watch(self, every: float) -> None:
        """Every `every` seconds, compare the store's fingerprint with the last one seen and
        rebuild when it changed with no write of this process in between: someone else wrote
        (for a remote store, which others may write to directly). A change made while this
        process wrote too, or one that keeps the number of quads and the graphs, goes unseen."""
        if every <= 0 or self._watcher is not None:
            return
        self._watcher = threading.Thread(
            target=self._watch, args=(every,), name="commons-graph-search-watch", daemon=True
        )
        self._watcher.start()

    def _watch(self, every: float) -> None:
        while not self._stopping.wait(every):
            try:
                self.check_others()
            except Exception:
                log_failure(log, "checking the store for others' writes failed")

    def check_others(self) -> bool:
        """One check of `watch`; whether it rebuilt the index."""
        if self.rebuilding:
            return False
        own, self._own_writes = self._own_writes, 0
        current = fingerprint(self.store)
        changed = self._seen is not None and current != self._seen and own == 0
        self._seen = current
        if changed:
            self.rebuild()
            self._seen = fingerprint(self.store)
        return changed

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild; whether none is under way any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.rebuilding

    def close(self) -> None:
        """Stop listening, apply the writes still waiting, wait a little for a rebuild, record
        the fingerprint if in step."""
        self._stopping.set()
        self.detach()
        if self._watcher is not None:
            self._watcher.join(30)
        self.wait(30)
        if not self.rebuilding:
            try:
                self.record_clean()
            except Exception:
                log_failure(log, "recording the search index's fingerprint failed")
        self.index.close()
