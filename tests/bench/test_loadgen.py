"""The bench's load generator: what `wrk` sends, seen by a real HTTP server."""

from __future__ import annotations

import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.helpers.servers import local_http_server

# bench/ lives beside src/ and tests/, outside the installed package.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import run_load  # noqa: E402


class Recorder(BaseHTTPRequestHandler):
    """Answers every POST with `{}` and keeps its body, in the order of arrival."""

    protocol_version = "HTTP/1.1"
    bodies: list[str] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        """Record the body, answer at once."""
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        with self.lock:
            self.bodies.append(body)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent."""


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_threads_do_not_send_the_same_requests_in_step(tmp_path: Path) -> None:
    """Two identical queries at once share their work in a server's caches: not real traffic."""
    Recorder.bodies = []
    items = [f"query={number}" for number in range(64)]
    with local_http_server(Recorder) as url:
        result = run_load(url + "/sparql", items, seconds=1, connections=4, work=tmp_path)
    assert result.tool == "wrk"
    first = Recorder.bodies[:16]
    assert len(first) == 16
    assert len(set(first)) == len(first), first
