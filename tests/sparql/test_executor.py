"""The embedded executor: worker processes on checkpoints, killed at the time limit."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvloop
from pyoxigraph import Literal, NamedNode, Quad

from commons_graph.sparql import snapshots
from commons_graph.sparql.embedded_executor import EmbeddedExecutor
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryRequest,
    QueryTimeoutError,
)
from commons_graph.store import ChangeSet, QuerySyntaxError
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.prepared import seeded_copy

JSON = "application/sparql-results+json"
# Four independent patterns over every triple: far more work than any time limit allows.
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def store(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A seeded store of the test's own (a copy of one seeded once per session)."""
    opened = EmbeddedStore(seeded_copy(tmp_path_factory, tmp_path / "store"))
    yield opened
    opened.close()


@pytest.fixture
def written(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A store seeded in this process, its writes not yet compacted (a copy of a closed store
    has nothing left for a compaction to rewrite)."""
    opened = EmbeddedStore(tmp_path / "store")
    initialise(opened)
    yield opened
    opened.close()


@pytest.fixture
def executor(store: EmbeddedStore) -> Iterator[EmbeddedExecutor]:
    running = EmbeddedExecutor(store, workers=2)
    yield running
    running.close()


def statement(value: str) -> Quad:
    """<x> <p> `value` in graph <g>."""
    return Quad(
        NamedNode("http://example.org/x"),
        NamedNode("http://example.org/p"),
        Literal(value),
        NamedNode("http://example.org/g"),
    )


def rows(body: bytes) -> list[dict[str, dict[str, str]]]:
    return json.loads(body)["results"]["bindings"]  # type: ignore[no-any-return]


def test_a_query_past_the_limit_is_killed_and_others_go_on(executor: EmbeddedExecutor) -> None:
    """The worker running a too-long query is killed (its process is gone) and replaced."""
    before = set(executor.worker_pids())
    with pytest.raises(QueryTimeoutError):
        executor.execute(QueryRequest(CROSS_JOIN, JSON), timeout=1.0, max_rows=10)
    after = set(executor.worker_pids())
    killed = before - after
    assert len(killed) == 1 and len(after) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    answer = executor.execute(QueryRequest("ASK { ?s ?p ?o }", JSON), timeout=30, max_rows=10)
    assert json.loads(answer.body)["boolean"] is True


def test_writes_become_visible_and_old_checkpoints_go(
    store: EmbeddedStore, executor: EmbeddedExecutor
) -> None:
    """A commit makes a new checkpoint before the next query; unused old ones are deleted."""
    query = QueryRequest("SELECT ?o { <http://example.org/x> ?p ?o }", JSON)
    assert rows(executor.execute(query, 30, 10).body) == []
    first = executor.snapshots.existing()
    store.commit(ChangeSet(insert=[statement("new")]))
    # Both workers answer after the write, so both move to the new checkpoint.
    for _ in range(4):
        assert rows(executor.execute(query, 30, 10).body) == [
            {"o": {"type": "literal", "value": "new"}}
        ]
    assert executor.snapshots.existing() != first
    assert len(executor.snapshots.existing()) == 1


def test_a_compacted_store_gives_the_workers_a_new_checkpoint(
    written: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RocksDB rewriting the store's files (here a full compaction) is noticed: the workers
    move to a checkpoint of the compacted files, with the same content."""
    monkeypatch.setattr("commons_graph.sparql.snapshots._LOOK_EVERY_SECONDS", 0.0)
    store, executor = written, EmbeddedExecutor(written, workers=2)
    try:
        count = QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", JSON)
        # The checkpoint of `initialise`'s files.
        before = rows(executor.execute(count, 30, 10).body)
        first = executor.snapshots.existing()
        store.native.optimize()
        assert rows(executor.execute(count, 30, 10).body) == before
        compacted = set(executor.snapshots.existing()) - set(first)
        assert len(compacted) == 1
        # Settled, the checkpoint stays (the older one goes once no worker has it open: each
        # worker moves on at its next query, which a loaded machine may give to either worker).
        deadline = time.monotonic() + 30
        while set(executor.snapshots.existing()) != compacted and time.monotonic() < deadline:
            assert rows(executor.execute(count, 30, 10).body) == before
        assert set(executor.snapshots.existing()) == compacted
    finally:
        executor.close()


def test_a_checkpoint_given_to_a_query_outlives_newer_ones_until_released(
    store: EmbeddedStore, executor: EmbeddedExecutor
) -> None:
    """A write (or a compaction) while a query waits for its worker makes a newer checkpoint;
    the one the query was given stays until its worker has moved on."""
    given = executor.snapshots.take()
    store.commit(ChangeSet(insert=[statement("meanwhile")]))
    newer = executor.snapshots.current()
    assert newer != given and given.is_dir()
    executor.snapshots.release(given)
    assert not given.exists()


def test_rows_are_capped_and_the_cut_is_reported(executor: EmbeddedExecutor) -> None:
    answer = executor.execute(QueryRequest("SELECT * { ?s ?p ?o }", JSON), 30, max_rows=3)
    assert answer.truncated
    assert len(rows(answer.body)) == 3
    graph = executor.execute(
        QueryRequest("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples"),
        30,
        max_rows=5,
    )
    assert graph.truncated
    assert len(graph.body.decode().strip().splitlines()) == 5


def test_lookups_answered_at_once_are_capped_as_in_a_worker(
    executor: EmbeddedExecutor, store: EmbeddedStore
) -> None:
    """Single-pattern lookups skip the workers; their rows, cap and LIMIT are the same."""
    store.commit(ChangeSet(insert=[statement(str(n)) for n in range(4)]))
    executor.refresh()
    lookup = "SELECT ?o WHERE { <http://example.org/x> <http://example.org/p> ?o }"
    for query, cap, expected, cut in (
        (lookup, 3, 3, True),
        (lookup, 4, 4, False),
        (lookup, 1000, 4, False),
        (lookup + " LIMIT 2", 1000, 2, False),
        (lookup + " limit 1000", 3, 3, True),
    ):
        at_once = executor.answer_at_once(QueryRequest(query, JSON), cap)
        # A comment puts the same query outside the lookups' grammar: a worker answers it.
        in_worker = executor.execute(QueryRequest("# worker\n" + query, JSON), 30, cap)
        assert at_once is not None and at_once.truncated == in_worker.truncated == cut
        assert len(rows(at_once.body)) == expected
        # Oxigraph's writer (small answers at once) and ours (workers) write the same bytes.
        assert (at_once.body, at_once.media_type) == (in_worker.body, in_worker.media_type)
    everything = executor.answer_at_once(QueryRequest(lookup, JSON), 1000)
    assert everything is not None
    assert sorted(r["o"]["value"] for r in rows(everything.body)) == ["0", "1", "2", "3"]


def test_errors_come_back_as_errors(executor: EmbeddedExecutor) -> None:
    with pytest.raises(QuerySyntaxError):
        executor.execute(QueryRequest("SELECT * {", JSON), 30, 10)
    with pytest.raises(NotAcceptableError):
        executor.execute(QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv"), 30, 10)


def test_the_union_or_the_stated_dataset(executor: EmbeddedExecutor) -> None:
    """Without a dataset the default graph is the union; default_graphs narrows it."""
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    union = rows(executor.execute(QueryRequest(count, JSON), 30, 10).body)[0]["n"]["value"]
    ontology = "https://w3id.org/commons-graph/graph/ontology"
    narrowed = executor.execute(QueryRequest(count, JSON, default_graphs=(ontology,)), 30, 10)
    assert 0 < int(rows(narrowed.body)[0]["n"]["value"]) < int(union)


def test_an_answer_larger_than_the_pipe_comes_back_whole(
    store: EmbeddedStore, executor: EmbeddedExecutor
) -> None:
    # The body is sent as raw bytes after its head (sparql/worker.py `send_reply`): many times
    # a pipe's buffer, in order, with its media type and cut.
    values = [f"{i:04d}-" + "é" * 2_000 for i in range(200)]
    store.commit(ChangeSet(insert=[statement(value) for value in values]))
    query = "SELECT ?o { <http://example.org/x> <http://example.org/p> ?o } ORDER BY ?o"
    answer = executor.execute(QueryRequest(query, JSON), 30, max_rows=150)
    assert len(answer.body) > 500_000 and answer.truncated
    assert answer.media_type.startswith(JSON)
    assert [row["o"]["value"] for row in rows(answer.body)] == values[:150]
    small = executor.execute(QueryRequest("ASK { ?s ?p ?o }", JSON), timeout=30, max_rows=10)
    assert json.loads(small.body)["boolean"] is True and not small.truncated


def test_large_lookups_still_go_to_a_worker(
    executor: EmbeddedExecutor, store: EmbeddedStore
) -> None:
    """Hostile fan-out: a lookup that could read more than INLINE_ROWS rows in the event loop
    is left to a worker (None), whichever writer would answer it; one with a small LIMIT, or
    exactly INLINE_ROWS rows, is answered at once, as a worker answers it."""
    from commons_graph.sparql.embedded_executor import INLINE_ROWS

    subject = "<http://example.org/x>"
    store.commit(ChangeSet(insert=[statement(str(n)) for n in range(INLINE_ROWS)]))
    executor.refresh()
    lookup = f"SELECT ?o WHERE {{ {subject} <http://example.org/p> ?o }}"
    for accept in (JSON, "text/csv"):
        exact = executor.answer_at_once(QueryRequest(lookup, accept), 10_000)
        assert exact is not None and not exact.truncated
        in_worker = executor.execute(QueryRequest("# worker\n" + lookup, accept), 30, 10_000)
        assert exact.body == in_worker.body
    store.commit(ChangeSet(insert=[statement("one more")]))
    executor.refresh()
    for query in (lookup, lookup + " LIMIT 5000", f"SELECT * {{ {subject} ?p ?o }}"):
        for accept in (JSON, "text/csv"):
            assert executor.answer_at_once(QueryRequest(query, accept), 10_000) is None
    small = executor.answer_at_once(QueryRequest(lookup + " LIMIT 3", JSON), 10_000)
    assert small is not None and len(rows(small.body)) == 3 and not small.truncated


JOIN = "SELECT ?s ?label { ?s a ?type . ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


# The event loops the hand-off runs in: `serve`'s (uvloop: libuv makes a watched pipe
# non-blocking) and asyncio's own.
LOOPS = [pytest.param(uvloop.run, id="uvloop"), pytest.param(asyncio.run, id="asyncio")]


@pytest.mark.parametrize("run", LOOPS)
def test_the_event_loop_s_hand_off_answers_as_a_thread_does(
    store: EmbeddedStore,
    executor: EmbeddedExecutor,
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[[Any], Any],
) -> None:
    """`execute_async`: the same answers and errors as `execute`, the store's writes seen (a
    new checkpoint is made in a thread), and then the loop's own path."""
    # The checkpoint's files looked at once, not every second: the loop's path is taken.
    monkeypatch.setattr(snapshots, "_LOOK_EVERY_SECONDS", 3600.0)
    for accept in (JSON, "text/csv"):
        request = QueryRequest(JOIN + " ORDER BY ?s ?label", accept)
        expected = executor.execute(request, 30, 50)
        assert run(executor.execute_async(request, 30, 50)) == expected
    with pytest.raises(QuerySyntaxError):
        run(executor.execute_async(QueryRequest("SELECT * {", JSON), 30, 10))
    with pytest.raises(NotAcceptableError):
        request = QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv")
        run(executor.execute_async(request, 30, 10))
    store.commit(ChangeSet(insert=[statement("new")]))
    query = "SELECT ?o { <http://example.org/x> <http://example.org/p> ?o } ORDER BY ?o"
    for _ in range(2):
        answer = run(executor.execute_async(QueryRequest(query, JSON), 30, 10))
        assert [row["o"]["value"] for row in rows(answer.body)] == ["new"]
    held = executor.snapshots.take_at_once()
    assert held is not None  # the checkpoint is current: the next query takes the loop's path
    executor.snapshots.release(held)


@pytest.mark.parametrize("run", LOOPS[:1])
def test_the_event_loop_s_hand_off_kills_at_the_limit_and_when_cancelled(
    executor: EmbeddedExecutor, monkeypatch: pytest.MonkeyPatch, run: Callable[[Any], Any]
) -> None:
    monkeypatch.setattr(snapshots, "_LOOK_EVERY_SECONDS", 3600.0)
    executor.refresh()
    held = executor.snapshots.take_at_once()
    assert held is not None  # the loop's path, not a thread's (which cannot be cancelled)
    executor.snapshots.release(held)
    before = set(executor.worker_pids())
    with pytest.raises(QueryTimeoutError):
        run(executor.execute_async(QueryRequest(CROSS_JOIN, JSON), 1.0, 10))
    after = set(executor.worker_pids())
    assert len(before - after) == 1 and len(after) == 2

    async def cancelled() -> None:
        task = asyncio.ensure_future(executor.execute_async(QueryRequest(CROSS_JOIN, JSON), 60, 10))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancelled())
    # Replaced in a thread: reaped, then a new worker started.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = set(executor.worker_pids())
        if len(now) == 2 and now != after:
            break
        time.sleep(0.05)
    killed = after - set(executor.worker_pids())
    assert len(killed) == 1 and len(executor.worker_pids()) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(killed.pop(), 0)
    answer = run(executor.execute_async(QueryRequest("ASK { ?s ?p ?o }", JSON), 30, 10))
    assert json.loads(answer.body)["boolean"] is True
