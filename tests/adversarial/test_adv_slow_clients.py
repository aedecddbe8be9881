"""Slow clients against `commons-graph serve`: half-sent headers or bodies are cut off, and
many of them do not keep anyone else out (real sockets, a real served process)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers import http as fetch

COMMAND = Path(sys.executable).parent / "commons-graph"
HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
MAX_CONNECTIONS = 100
# Far more than either time limit: a connection still open by then was never cut off.
PATIENCE = 15.0
OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    """The served network with short time limits; its address, its log file and a member's
    token."""
    folder = tmp_path_factory.mktemp("slow")
    port = free_port()
    accounts = folder / "accounts.sqlite"
    settings = Settings(store=str(folder / "store"), accounts=str(accounts))
    token = Accounts.from_settings(settings).add_member("Ana", OUISHARE)[1]
    env = {
        **os.environ,
        "COMMONS_GRAPH_STORE": str(folder / "store"),
        "COMMONS_GRAPH_ACCOUNTS": str(accounts),
        "COMMONS_GRAPH_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "COMMONS_GRAPH_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "COMMONS_GRAPH_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
    }
    log = folder / "serve.log"
    subprocess.run([str(COMMAND), "init"], env=env, check=True, capture_output=True)
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if fetch.get(f"{url}/organisations").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield url, log, token
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=PATIENCE)
    return connection


def _read_until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (or PATIENCE runs out)."""
    received = b""
    while True:
        try:
            chunk = connection.recv(4096)
        except TimeoutError:
            pytest.fail(f"the connection was still open after {PATIENCE} s")
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk


@pytest.mark.slow
def test_half_a_header_line_is_cut_off(served: tuple[str, Path, str]) -> None:
    url, _log, _token = served
    with _connect(url) as connection:
        connection.sendall(b"GET /organisations HTTP/1.1\r\nHost: 127.0.0.1\r\nAcc")
        answer = _read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_a_silent_connection_is_cut_off(served: tuple[str, Path, str]) -> None:
    url, _log, _token = served
    with _connect(url) as connection:
        answer = _read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 408"), answer


@pytest.mark.parametrize("target", ["sparql", "contributions"])
def test_half_a_body_is_cut_off_with_one_log_line_at_most(
    served: tuple[str, Path, str], target: str
) -> None:
    url, log, token = served
    before = log.read_text()
    request = {
        "sparql": b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\nquery=SELECT",
        "contributions": b"POST /contributions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\nContent-Type: text/turtle\r\n"
        b"Content-Length: 1000\r\n\r\n<a> <b> ",
    }[target]
    with _connect(url) as connection:
        connection.sendall(request)
        answer = _read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    time.sleep(0.2)
    written = log.read_text()[len(before) :]
    assert "Traceback" not in written
    assert len(written.splitlines()) <= 1, written


def test_a_kept_alive_connection_is_cut_off_in_its_second_request(
    served: tuple[str, Path, str],
) -> None:
    url, _log, _token = served
    with _connect(url) as connection:
        connection.sendall(b"GET /organisations HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = connection.recv(65536)
        assert first.startswith(b"HTTP/1.1 200"), first[:100]
        connection.sendall(b"GET /organisations HTTP/1.1\r\nHo")
        answer = _read_until_closed(connection)
    assert b"HTTP/1.1 408" in answer


def test_many_slow_clients_do_not_keep_others_out(served: tuple[str, Path, str]) -> None:
    """Twice the connection cap of half-sent requests: a page still answers within a second."""
    url, _log, _token = served
    slow: list[socket.socket] = []
    try:
        for _ in range(2 * MAX_CONNECTIONS):
            connection = _connect(url)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            slow.append(connection)
        started = time.monotonic()
        response = fetch.get(f"{url}/organisations", timeout=PATIENCE)
        elapsed = time.monotonic() - started
    finally:
        for connection in slow:
            connection.close()
    assert response.status_code == 200
    assert elapsed < 1.0, f"a page took {elapsed:.2f} s among slow clients"


def test_headers_past_the_size_limit_are_refused(served: tuple[str, Path, str]) -> None:
    url, _log, _token = served
    with _connect(url) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 200_000)
        answer = _read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]


def test_the_connection_cap_stays_under_the_open_file_limit() -> None:
    import resource

    from commons_graph.web.http_protocol import connection_cap

    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert connection_cap(10) == 10
    if soft != resource.RLIM_INFINITY:
        assert connection_cap(soft * 2) < soft
