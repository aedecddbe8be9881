"""The embedded store's executor: a pool of worker processes on checkpoints, killed on timeout.

The server process owns the RocksDB store. Each worker opens a read-only checkpoint of it
(`EmbeddedStore.checkpoint`, hard links) and evaluates one query at a time. When the store has
changed since the last checkpoint, a new one is made before the next query; a worker reopens the
newest checkpoint before its next query and old ones are deleted once no worker has them open.
A query past its time limit gets its worker killed (SIGKILL) and replaced: the work really stops.

Each worker has no network (`sparql/sandbox.py`): it installs the filter before its first job and
says so; a worker that cannot is stopped and the executor refuses to start (fail closed). A worker
that dies anyway (a crash in the engine) is replaced and the query gets a clean error.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox
from anyio import to_thread

from commons_graph.logs import log_failure
from commons_graph.rdf.formats import ResultFormat
from commons_graph.search.keeping import settle as settle_search_index
from commons_graph.sparql.bounded import Lookup, parse_lookup
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryAnswer,
    QueryEvaluationError,
    QueryExecutor,
    QueryRequest,
    QueryTimeoutError,
    WorkerCrashError,
)
from commons_graph.sparql.negotiation import choose_solutions_format
from commons_graph.sparql.results import write_select
from commons_graph.sparql.safety import ForbiddenClauseError
from commons_graph.sparql.sandbox import SandboxError
from commons_graph.sparql.serialise import NotAcceptable
from commons_graph.sparql.snapshots import Snapshots
from commons_graph.sparql.worker import (
    READY,
    AnswerHead,
    Failure,
    Job,
    may_name_functions,
    receive_body,
    receive_reply,
    serve,
)
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.errors import QuerySyntaxError

log = logging.getLogger("commons_graph.sparql")


# The most rows a lookup answered in the server process may have: past that, its answer is
# written by a worker, off the event loop (a 10,000-row answer costs the loop ~50 ms).
INLINE_ROWS = 1000

# How long a new worker may take to start and install its sandbox.
_START_SECONDS = 30.0

# The largest answer body the event loop reads from a worker's pipe itself (the worker is
# writing it at that moment: a pipe's buffer, microseconds); a larger one is read in a thread.
_BODY_READ_ON_LOOP = 64 * 1024


def _context() -> BaseContext:
    """forkserver where available (fast start, no fork of the threaded server), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # rdflib's SPARQL parser too (sparql/safety.py): built once, shared by every worker.
        context.set_forkserver_preload(
            [
                "commons_graph.sparql.worker",
                "rdflib.plugins.sparql.parser",
                "rdflib.plugins.sparql.algebra",
            ]
        )
        return context
    return multiprocessing.get_context("spawn")


@dataclass
class Worker:
    """One worker process and the server's end of its pipe."""

    process: BaseProcess
    connection: Connection
    snapshot: Path | None = None

    @property
    def pid(self) -> int | None:
        """The process id."""
        return self.process.pid


class EmbeddedExecutor(QueryExecutor):
    """Evaluates public queries on the embedded store in killable worker processes."""

    def __init__(
        self,
        store: EmbeddedStore,
        workers: int,
        target: Callable[[Connection], None] = serve,
        base_iri: str | None = None,
        search_index: str | None = None,
    ) -> None:
        # The full-text index the workers may read (cgf:matches), if any.
        self.search_index = search_index
        # `target` is the workers' entry point: `worker.serve`, or a test's stand-in.
        self._target = target
        # Relative IRIs in queries resolve against the endpoint's public IRI.
        self.base_iri = base_iri
        self.store = store
        self.snapshots = Snapshots(store)
        self._context = _context()
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: list[Worker] = []
        self._closed = False
        self.capacity = max(1, workers)
        try:
            for _ in range(self.capacity):
                self._idle.put(self._start_worker())
        except BaseException:
            self.close()
            raise

    def _start_worker(self) -> Worker:
        """Start one worker process and wait until it has taken the network away from itself;
        raise SandboxError (the worker stopped) if it could not."""
        server_end, worker_end = self._context.Pipe()
        process = self._context.Process(  # type: ignore[attr-defined]
            target=self._target, args=(worker_end,), name="commons-graph-query", daemon=True
        )
        process.start()
        worker_end.close()
        worker = Worker(process, server_end)
        try:
            ready = server_end.recv() if server_end.poll(_START_SECONDS) else None
        except (EOFError, OSError):
            ready = None
        if ready != READY:
            process.kill()
            process.join(timeout=10)
            server_end.close()
            reason = ready.message if isinstance(ready, Failure) else "it did not start"
            raise SandboxError("sparql.error.no_network_removal", reason=reason)
        with self._lock:
            self._workers.append(worker)
        return worker

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (for tests and diagnostics)."""
        with self._lock:
            return [w.pid for w in self._workers if w.pid is not None]

    def answer_at_once(self, request: QueryRequest, max_rows: int) -> QueryAnswer | None:
        """Answer a single-pattern SELECT on the live store, in this thread, without a worker,
        when its answer is small (at most INLINE_ROWS rows); else None (a worker writes it).

        The pattern is matched by an index scan (sparql/bounded.py): no SPARQL text from the
        request reaches a parser in the server process, and the work stops with the rows read,
        so no time limit is needed; the round trip to a worker would cost several times the
        query. JSON answers are evaluated and written by Oxigraph (half the CPU of building the
        rows as Python terms and writing them in Python), the others by `write_select`.
        """
        if request.default_graphs or request.named_graphs:
            return None
        lookup = parse_lookup(request.query)
        choice = choose_solutions_format(request.accept)
        if lookup is None or choice is None or not isinstance(choice.format, ResultFormat):
            return None
        wanted = max_rows if lookup.limit is None else min(lookup.limit, max_rows)
        if choice.format.name == "json" and lookup.binds_every_variable:
            return _native_json(lookup, self.store.native, wanted, max_rows, choice.content_type)
        if wanted > INLINE_ROWS:
            # Perhaps large: answered here only if it proves small.
            rows = list(itertools.islice(lookup.solutions(self.store.native), INLINE_ROWS + 1))
            if len(rows) > INLINE_ROWS:
                return None
            truncated = False
        else:
            # One row past the cap tells whether the answer was cut.
            rows = list(itertools.islice(lookup.solutions(self.store.native), wanted + 1))
            truncated = len(rows) > wanted and wanted == max_rows
            del rows[wanted:]
        body = write_select(lookup.variables, rows, choice.format)
        return QueryAnswer(body, choice.content_type, truncated)

    def execute(self, request: QueryRequest, timeout: float, max_rows: int) -> QueryAnswer:
        """Evaluate `request` in a worker; kill the worker if it runs past `timeout` seconds."""
        deadline = time.monotonic() + timeout
        # Held from now: a newer checkpoint made meanwhile must not delete this one before the
        # worker has opened it. The hold passes to the worker, or is dropped if the query fails.
        snapshot = self.snapshots.take()
        try:
            worker, reply = self._run(request, snapshot, deadline, max_rows)
        except BaseException:
            self.snapshots.release(snapshot)
            raise
        return self._answered(worker, snapshot, reply)

    async def execute_async(
        self, request: QueryRequest, timeout: float, max_rows: int
    ) -> QueryAnswer:
        """`execute` with the event loop waiting on the worker's pipe instead of a thread
        waiting for it (a thread hop costs a light query ~40 µs of the server's CPU): the job
        is written to an idle worker's pipe, the loop watches the pipe's descriptor, and the
        worker is killed and replaced (in a thread) past `timeout` or if the request is
        cancelled. Whatever would block the loop goes to `execute` in a thread instead: no
        idle worker (waiting for one), a checkpoint to make or look at, the full-text index to
        settle (`cgf:matches`)."""
        deadline = time.monotonic() + timeout
        snapshot = None if may_name_functions(request.query) else self.snapshots.take_at_once()
        if snapshot is None:
            return await super().execute_async(request, timeout, max_rows)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            self.snapshots.release(snapshot)
            return await super().execute_async(request, timeout, max_rows)
        try:
            reply = await self._exchange(worker, self._job(request, snapshot, max_rows), deadline)
        except BaseException:
            self.snapshots.release(snapshot)
            raise
        return self._answered(worker, snapshot, reply)

    def _answered(self, worker: Worker, snapshot: Path, reply: object) -> QueryAnswer:
        """`worker`, now holding `snapshot`, idle again; its `reply` as an answer."""
        self._moved_to(worker, snapshot)
        self._idle.put(worker)
        return _answer(reply)

    async def _exchange(self, worker: Worker, job: Job, deadline: float) -> object:
        """Send `job` to `worker` and await its reply by `deadline`, in the event loop."""
        connection = worker.connection
        try:
            connection.send(job)
            answered = await _readable(connection.fileno(), deadline - time.monotonic())
            reply: object = None
            if answered:
                reply = connection.recv()
                if isinstance(reply, AnswerHead):
                    if reply.size <= _BODY_READ_ON_LOOP:
                        reply = receive_body(connection, reply)
                    else:
                        reply = await to_thread.run_sync(receive_body, connection, reply)
        except (EOFError, OSError):
            await to_thread.run_sync(self._replace, worker)
            raise WorkerCrashError("sparql.error.worker_stopped") from None
        except BaseException:
            # Cancelled or interrupted mid-exchange: the work stops now, the pipe's state is
            # unknown; the new worker is started in a thread (this task cannot wait for it).
            worker.process.kill()
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise
        if reply is None:
            await to_thread.run_sync(self._replace, worker)
            raise QueryTimeoutError("sparql.error.timeout")
        return reply

    def _job(self, request: QueryRequest, snapshot: Path, max_rows: int) -> Job:
        """`request` as a worker's job on `snapshot`."""
        return Job(
            snapshot=str(snapshot),
            query=request.query,
            accept=request.accept,
            max_rows=max_rows,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            base_iri=self.base_iri,
            search_index=self.search_index,
        )

    def _run(
        self, request: QueryRequest, snapshot: Path, deadline: float, max_rows: int
    ) -> tuple[Worker, object]:
        """Send `request` to an idle worker reading `snapshot`; its reply by `deadline`."""
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            # Every worker stayed busy for the whole time limit: the query never started.
            raise QueryTimeoutError("sparql.error.busy") from None
        if may_name_functions(request.query):
            # cgf:matches sees every write made before (search/keeping.py).
            settle_search_index(self.search_index)
        job = self._job(request, snapshot, max_rows)
        try:
            worker.connection.send(job)
            answered = worker.connection.poll(max(0.0, deadline - time.monotonic()))
            reply: object = receive_reply(worker.connection) if answered else None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerCrashError("sparql.error.worker_stopped") from None
        except BaseException:
            # Interrupted mid-exchange (or an unreadable reply): the pipe's state is unknown.
            self._replace(worker)
            raise
        if reply is None:
            self._replace(worker)
            raise QueryTimeoutError("sparql.error.timeout")
        return worker, reply

    def _moved_to(self, worker: Worker, snapshot: Path) -> None:
        """Record that `worker` now has `snapshot` open (the request's hold passes to it),
        releasing the one it had."""
        if worker.snapshot == snapshot:
            self.snapshots.release(snapshot)  # the worker already holds it
            return
        if worker.snapshot is not None:
            self.snapshots.release(worker.snapshot)
        worker.snapshot = snapshot

    def _replace(self, worker: Worker) -> None:
        """Kill `worker` (SIGKILL), reap it, and put a fresh one in the pool."""
        worker.process.kill()
        worker.process.join(timeout=10)
        worker.connection.close()
        with self._lock:
            self._workers.remove(worker)
        if worker.snapshot is not None:
            self.snapshots.release(worker.snapshot)
        if not self._closed:
            try:
                self._idle.put(self._start_worker())
            except SandboxError:
                # Logged, and the pool is one worker short: queries never run unsandboxed.
                log_failure(log, "could not replace a query worker")

    def refresh(self) -> None:
        """Make writes so far visible: take a checkpoint now rather than at the next query."""
        self.snapshots.current()

    def close(self) -> None:
        """Stop every worker and delete the checkpoints."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in workers:
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=10)
            worker.connection.close()
        with self._lock:
            self._workers.clear()
        self.snapshots.close()


async def _readable(descriptor: int, seconds: float) -> bool:
    """Whether `descriptor` became readable within `seconds` (the event loop watches it)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[bool] = loop.create_future()

    def settle(value: bool) -> None:
        if not ready.done():
            ready.set_result(value)

    loop.add_reader(descriptor, settle, True)
    timer = loop.call_later(max(0.0, seconds), settle, False)
    try:
        return await ready
    finally:
        timer.cancel()
        loop.remove_reader(descriptor)
        # uvloop (libuv) made it non-blocking to watch it: the pipe is read whole, blocking.
        os.set_blocking(descriptor, True)


def _native_json(
    lookup: Lookup, store: ox.Store, wanted: int, max_rows: int, media_type: str
) -> QueryAnswer | None:
    """A lookup's JSON answer written by Oxigraph, with the rows, cut and `None` (for a worker,
    past INLINE_ROWS) that `answer_at_once`'s Python path gives."""
    if wanted < max_rows and wanted <= INLINE_ROWS:
        # The query's own LIMIT decides: nothing to tell about a cut.
        body, _ = lookup.solutions_json(store, wanted)
        return QueryAnswer(body, media_type)
    cap = min(wanted, INLINE_ROWS)
    # One row past what may be answered here tells whether there are more.
    body, rows = lookup.solutions_json(store, cap + 1)
    if rows <= cap:
        return QueryAnswer(body, media_type)
    if wanted > INLINE_ROWS:
        return None  # perhaps large: a worker writes it
    # Cut at the row cap (only where the cap is at most INLINE_ROWS).
    body, _ = lookup.solutions_json(store, wanted)
    return QueryAnswer(body, media_type, truncated=True)


def _answer(reply: object) -> QueryAnswer:
    """The worker's reply as an answer, or the error it stands for."""
    if isinstance(reply, QueryAnswer):
        return reply
    if isinstance(reply, NotAcceptable):
        raise NotAcceptableError(reply.offered)
    if isinstance(reply, Failure):
        if reply.kind == "syntax":
            raise QuerySyntaxError("store.query_syntax", detail=reply.message)
        if reply.kind == "service":
            raise ForbiddenClauseError("SERVICE")
        raise QueryEvaluationError("sparql.error.evaluation", detail=reply.message)
    raise WorkerCrashError("sparql.error.unexpected_reply", kind=type(reply).__name__)
