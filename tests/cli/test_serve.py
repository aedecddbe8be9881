"""`commons-graph serve`, run as the installed command on a fresh store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from commons_graph.allocator import (
    MALLOC_CONF,
    jemalloc_path,
    restart_with_jemalloc,
    running_as_the_command,
    with_jemalloc,
)
from commons_graph.cli.serve import browser_url
from commons_graph.relations.iris import RELATED_TO
from tests.cli.test_relations_cli import LOADED, ORG
from tests.helpers import http as fetch
from tests.helpers.prepared import initialised_copy

COMMAND = Path(sys.executable).parent / "commons-graph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_serve_initialises_and_answers(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On a store made by `init`: it prints where to point the browser and answers SPARQL."""
    port = free_port()
    env = {**os.environ, "COMMONS_GRAPH_STORE": str(tmp_path / "store")}
    initialised_copy(tmp_path_factory, tmp_path / "store")  # as `init` leaves a store
    # A load leaves the relations owed: the server derives them in the background, not first.
    loaded = tmp_path / "loaded.ttl"
    loaded.write_text(LOADED)
    subprocess.run(
        [str(COMMAND), "load", str(loaded)], env=env, check=True, capture_output=True, timeout=120
    )
    owed = tmp_path / "store.relations-pending"
    assert owed.exists()
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        assert process.stdout is not None
        printed = [process.stdout.readline() for _ in range(3)]
        assert any(f"http://127.0.0.1:{port}/" in line for line in printed), printed
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = fetch.get(
                    url,
                    params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
                    headers={"Accept": "application/sparql-results+json"},
                )
                break
            except httpx.TransportError:
                assert process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert response.status_code == 200
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0
        while owed.exists():
            assert time.monotonic() < deadline + 60, "the owed relations were never derived"
            time.sleep(0.1)
        related = fetch.get(
            url,
            params={"query": f"ASK {{ <{ORG}loaded-a> <{RELATED_TO.value}> <{ORG}loaded-b> }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert related.json()["boolean"] is True
        # The server started itself again with jemalloc when installed (allocator.py): the
        # same process (Ctrl+C still reaches it), and its query workers inherit it.
        processes = _descendants(process.pid)
        assert len(processes) >= 3, processes  # the server, the forkserver, its workers
        expected = jemalloc_path() is not None
        assert {pid: _maps_jemalloc(pid) for pid in processes} == dict.fromkeys(processes, expected)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        if children.exists():
            waiting.extend(int(child) for child in children.read_text().split())
    return found


def _maps_jemalloc(pid: int) -> bool:
    return "jemalloc" in Path(f"/proc/{pid}/maps").read_text()


def test_the_allocator_is_chosen_once_and_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "system", a start already tried, or a process that is not the command (this test's: it
    # calls the command line in process) never starts again: it would not return.
    assert not running_as_the_command()
    restart_with_jemalloc("auto")
    restart_with_jemalloc("system")
    monkeypatch.setenv("COMMONS_GRAPH_ALLOCATOR_TRIED", "1")
    restart_with_jemalloc("auto")
    changed = with_jemalloc({"LD_PRELOAD": "/opt/other.so", "PATH": "/bin"})
    if jemalloc_path() is None:
        assert changed is None
    else:
        assert changed is not None
        assert changed["LD_PRELOAD"] == f"{jemalloc_path()} /opt/other.so"
        assert changed["PATH"] == "/bin"
        assert changed["MALLOC_CONF"] == MALLOC_CONF
        own = with_jemalloc({"MALLOC_CONF": "narenas:1"})
        assert own is not None and own["MALLOC_CONF"] == "narenas:1"  # the deployer's kept


def test_browser_url() -> None:
    assert browser_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert browser_url("0.0.0.0", 80) == "http://localhost:80/"
    assert browser_url("::1", 8080) == "http://[::1]:8080/"


def test_serve_help_documents_its_options() -> None:
    from click.testing import CliRunner

    from commons_graph.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
