"""Real servers on 127.0.0.1 for the tests: `oxigraph serve` (the remote backend), small scripted
HTTP servers and an authenticating proxy, and a free port.

The fixtures that start them (`oxigraph_server`, `remote_server`, `remote_settings`) are in
tests/conftest.py; every test that asks for `remote_settings` gets the server emptied first.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from tests.helpers import http as fetch


def oxigraph_executable() -> str | None:
    """The `oxigraph` command beside this Python (the `test` extra installs it), or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_settings(query: str, update: str, gsp: str, **overrides: object) -> Settings:
    """Settings selecting a SPARQL server's three endpoints as the store (then `overrides`)."""
    fields: dict[str, object] = {
        "store": query,
        "store_update": update,
        "store_gsp": gsp,
        "store_timeout": 30.0,
    }
    fields.update(overrides)
    return Settings(**fields)


@dataclass
class OxigraphServer:
    """A running `oxigraph serve` and its SPARQL URLs."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def query_url(self) -> str:
        """SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        """SPARQL 1.1 Update endpoint."""
        return f"{self.url}/update"

    @property
    def gsp_url(self) -> str:
        """SPARQL 1.1 Graph Store Protocol endpoint."""
        return f"{self.url}/store"

    def settings(self, **overrides: object) -> Settings:
        """Settings selecting this server as the store."""
        return server_settings(self.query_url, self.update_url, self.gsp_url, **overrides)

    def clear(self) -> None:
        """Remove every graph and triple."""
        response = fetch.post(self.update_url, data={"update": "DROP ALL"}, timeout=30)
        response.raise_for_status()

    def restore(self, nquads: Path) -> None:
        """Empty the server and load an N-Quads file in one Graph Store request."""
        self.clear()
        response = fetch.post(
            self.gsp_url,
            content=nquads.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            timeout=60,
        )
        response.raise_for_status()


def start_oxigraph(location: Path, *extra: str, in_memory: bool = False) -> OxigraphServer:
    """Start `oxigraph serve` on a free local port and wait until it answers queries.

    Its data is kept in the folder `location`, or in memory (`in_memory`: `location` then only
    names its log). The session's servers are in memory: emptied and reloaded for every test,
    an on-disk server grows (RocksDB keeps what was dropped until it compacts) and its reload
    took seconds by the end of a run; in memory, it takes the same time each time.
    """
    executable = oxigraph_executable()
    if executable is None:
        pytest.skip("the `oxigraph` command is not installed (pip install oxigraph)")
    port = free_port()
    log = location.with_suffix(".log")
    where = [] if in_memory else ["--location", str(location)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [executable, "serve", *where, "--bind", f"127.0.0.1:{port}", *extra],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {log.read_text(errors='replace')}")
        try:
            if fetch.get(server.query_url, params={"query": "ASK {}"}).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            stop_oxigraph(server)
            raise RuntimeError("oxigraph serve did not answer within 30 s")
        time.sleep(0.02)


def stop_oxigraph(server: OxigraphServer) -> None:
    """Stop the server process (the one this plugin started) and wait for it."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def local_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small HTTP server on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Small HTTP servers for the tests of faults and authentication. They are real servers on
# 127.0.0.1, spoken to over real sockets; the SPARQL work is still done by Oxigraph.


@dataclass
class Exchange:
    """One request a test server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _LocalServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def _handle(self) -> None:
        exchange = Exchange(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, self._body()
        )
        self.server.exchanges.append(exchange)
        status, headers, body = self.server.owner.answer(exchange)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _handle


class _LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalHttpServer
    exchanges: list[Exchange]


Answer = tuple[int, dict[str, str], bytes]


class LocalHttpServer:
    """A local HTTP server in a thread; subclasses say how it answers."""

    def __init__(self) -> None:
        self._server = _LocalServer(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._server.exchanges = []
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def exchanges(self) -> list[Exchange]:
        """The requests received so far, in order."""
        return self._server.exchanges

    def answer(self, exchange: Exchange) -> Answer:
        """The status, headers and body to answer `exchange` with."""
        raise NotImplementedError

    def __enter__(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


class ScriptedServer(LocalHttpServer):
    """Answers each request with the next scripted answer (the last one repeats)."""

    def __init__(self, *answers: Answer) -> None:
        super().__init__()
        self._answers = list(answers)

    def answer(self, exchange: Exchange) -> Answer:
        """The next scripted answer."""
        return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]


class AuthProxy(LocalHttpServer):
    """A reverse proxy to Oxigraph that demands HTTP authentication (Basic or Digest)."""

    REALM = "commons-graph-test"
    NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"

    def __init__(self, upstream: str, user: str, password: str, scheme: str = "basic") -> None:
        super().__init__()
        self.upstream = upstream
        self.user, self.password, self.scheme = user, password, scheme

    def authorised(self, exchange: Exchange) -> bool:
        """Whether the request carries the right credentials in the expected scheme."""
        header = exchange.headers.get("authorization", "")
        if self.scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            return header == f"Basic {token}"
        if not header.startswith("Digest "):
            return False
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest ") :]))
        ha1 = _md5(f"{self.user}:{self.REALM}:{self.password}")
        ha2 = _md5(f"{exchange.method}:{fields.get('uri')}")
        expected = _md5(f"{ha1}:{self.NONCE}:{fields.get('nc')}:{fields.get('cnonce')}:auth:{ha2}")
        return fields.get("username") == self.user and fields.get("response") == expected

    def answer(self, exchange: Exchange) -> Answer:
        """Forward an authorised request to Oxigraph; challenge any other."""
        if not self.authorised(exchange):
            if self.scheme == "basic":
                challenge = f'Basic realm="{self.REALM}"'
            else:
                challenge = f'Digest realm="{self.REALM}", nonce="{self.NONCE}", qop="auth"'
            return 401, {"WWW-Authenticate": challenge}, b"authentication required\n"
        forwarded = {k: v for k, v in exchange.headers.items() if k in ("accept", "content-type")}
        response = fetch.request(
            exchange.method,
            self.upstream + exchange.path,
            headers=forwarded,
            content=exchange.body,
            timeout=30,
        )
        headers = {"Content-Type": response.headers.get("content-type", "text/plain")}
        return response.status_code, headers, response.content


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # HTTP Digest is defined on MD5


class RecordingListener:
    """A TCP server on 127.0.0.1 that records every connection (and its first bytes) and
    answers with bytes that are not SPARQL (unless `answer` is False: then it closes at once):
    what a query or update must never reach."""

    def __init__(self, *, answer: bool = True) -> None:
        self.answer = answer
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def connections(self) -> int:
        return len(self.received)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection, contextlib.suppress(OSError):
                connection.settimeout(1)
                first = b""
                with contextlib.suppress(OSError):
                    first = connection.recv(4096)
                self.received.append(first or b"(connected)")
                if not self.answer:
                    continue
                # Not SPARQL: what once made a query worker die.
                body = b"this is not a SPARQL answer"
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                connection.sendall(head + str(len(body)).encode() + b"\r\n\r\n" + body)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def __enter__(self) -> RecordingListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
