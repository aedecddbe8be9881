"""The query workers' sandbox (sparql/sandbox.py): no socket once installed, and fail closed.

These tests do not go through rdflib at all: Oxigraph itself is asked to call SERVICE, so what
stops the connection can only be the sandbox.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.sparql.embedded_executor import EmbeddedExecutor
from commons_graph.sparql.executor import QueryRequest
from commons_graph.sparql.sandbox import SandboxError, deny_network, network_denied
from commons_graph.sparql.worker import Failure, Job, evaluate
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.servers import RecordingListener


@pytest.fixture
def counter() -> Iterator[RecordingListener]:
    # Closing at once: an answer that is not SPARQL would stop the control's child.
    with RecordingListener(answer=False) as listening:
        yield listening


def _service_in_child(url: str, sandboxed: bool, out: Connection) -> None:
    """In a fresh process: (maybe) deny the network, then let Oxigraph evaluate SERVICE."""
    if sandboxed:
        deny_network()
    job = Job("", f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "application/json", 10)
    # The worker's own evaluation, minus rdflib's early word: Oxigraph's parser alone decides.
    store = ox.Store()
    try:
        list(store.query(job.query))  # type: ignore[arg-type]
        outcome = "answered"
    except OSError as error:
        outcome = f"{type(error).__name__}: {error}"
    out.send((network_denied(), outcome))


def _run_child(url: str, sandboxed: bool) -> tuple[bool, str]:
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_service_in_child, args=(url, sandboxed, sender))
    process.start()
    sender.close()
    assert receiver.poll(60), "the child did not answer"
    result: tuple[bool, str] = receiver.recv()
    process.join(30)
    return result


def test_oxigraph_connects_without_the_sandbox(counter: RecordingListener) -> None:
    """Control: the same query does reach the listener when nothing stops it."""
    denied, _outcome = _run_child(counter.url, sandboxed=False)
    assert not denied
    assert counter.connections >= 1


def test_in_the_sandbox_service_fails_and_connects_nowhere(counter: RecordingListener) -> None:
    denied, outcome = _run_child(counter.url, sandboxed=True)
    assert denied
    assert "PermissionError" in outcome or "not permitted" in outcome
    assert counter.connections == 0


def test_a_failing_service_is_a_failure_reply_not_a_dead_worker(tmp_path: Path) -> None:
    """`evaluate` turns whatever the engine raises into a Failure (here: nothing listens)."""
    reply = evaluate(ox.Store(), Job("", "SELECT * { SERVICE <http://127.0.0.1:9/> {} }", "", 1))
    assert isinstance(reply, Failure)


def _no_sandbox(connection: Connection) -> None:
    """A worker whose sandbox cannot be installed (as on a kernel without seccomp)."""
    connection.send(Failure("sandbox", "seccomp is not available here"))


def _silent(connection: Connection) -> None:
    """A worker that dies before saying anything."""
    raise SystemExit(3)


@pytest.mark.parametrize("target", [_no_sandbox, _silent])
def test_without_a_sandbox_the_executor_refuses_to_start(tmp_path: Path, target: object) -> None:
    """Fail closed: no worker ever evaluates a query without its sandbox."""
    store = EmbeddedStore(tmp_path / "store")
    try:
        with pytest.raises(SandboxError):
            EmbeddedExecutor(store, workers=2, target=target)
    finally:
        store.close()


def test_the_real_workers_are_sandboxed(tmp_path: Path, counter: RecordingListener) -> None:
    """Through the executor: SERVICE SILENT (which rdflib reads, so sent glued, which it
    cannot) is evaluated by Oxigraph in a worker and reaches nobody."""
    store = EmbeddedStore(tmp_path / "store")
    executor = EmbeddedExecutor(store, workers=1)
    try:
        query = f"SELECT * {{SERVICESILENT<{counter.url}>{{?s ?p ?o}}}}"
        answer = executor.execute(QueryRequest(query, "application/sparql-results+json"), 30, 10)
        assert b'"bindings"' in answer.body
        assert counter.connections == 0
    finally:
        executor.close()
        store.close()


def test_deny_network_fails_closed_without_libseccomp(monkeypatch: pytest.MonkeyPatch) -> None:
    """No libseccomp: an error, never a silent pass."""

    def missing(*_args: object, **_kwargs: object) -> None:
        raise OSError("libseccomp.so.2: cannot open shared object file")

    monkeypatch.setattr("ctypes.CDLL", missing)
    with pytest.raises(SandboxError):
        deny_network()
