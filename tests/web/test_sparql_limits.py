"""Limits of the public endpoint: time (503, work really stopped), concurrency (429), size (413),
rows (X-Result-Truncated). Embedded store: its executor kills worker processes."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from commons_graph.config import Settings
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(
        store=str(Path(tmp_path_factory.mktemp("limits")) / "store"),
        query_timeout=2.5,  # room for a loaded machine between the checks below
        # Three workers: one client may hold two (all but one, sparql/limits.py fair_limit).
        query_workers=3,
        max_concurrent_queries=2,
        max_result_rows=5,
        max_query_bytes=2000,
    )
    with LiveServer(settings) as live:
        yield live


def services(server: LiveServer) -> Any:
    return server.app.state.services


def wait_for_running(server: LiveServer, count: int) -> None:
    """Wait until this client has `count` queries in flight (bounded, not a timing assertion)."""
    limiter = services(server).query_limiter
    deadline = time.monotonic() + 30
    while limiter.running("127.0.0.1") < count:
        assert time.monotonic() < deadline, "the slow query never started"
        time.sleep(0.01)


def in_thread(send: Any) -> tuple[threading.Thread, list[httpx.Response]]:
    out: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: out.append(send()))
    thread.start()
    return thread, out


@pytest.mark.slow
def test_time_limit_stops_the_query_and_the_service_goes_on(server: LiveServer) -> None:
    """A too-slow query gets 503 and its worker is killed; meanwhile others are answered;
    a client with two queries running gets 429 for a third."""
    url = f"{server.url}/sparql"
    executor = services(server).executor
    workers_before = set(executor.worker_pids())

    def slow() -> httpx.Response:
        return fetch.get(url, params={"query": CROSS_JOIN}, headers=JSON, timeout=60)

    first, first_out = in_thread(slow)
    wait_for_running(server, 1)
    quick = fetch.get(url, params={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
    assert quick.status_code == 200 and quick.json()["boolean"] is True

    second, second_out = in_thread(slow)
    wait_for_running(server, 2)
    # Another query than `quick`: an answer the response cache keeps takes no slot.
    refused = fetch.get(url, params={"query": "ASK { ?s ?p ?o . }"}, headers=JSON)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"

    first.join(60)
    second.join(60)
    for response in (first_out[0], second_out[0]):
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == 503 and "2.5 s" in body["errors"][0]["message"]

    killed = workers_before - set(executor.worker_pids())
    assert killed, "the workers running the slow queries were not replaced"
    for pid in killed:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    after = fetch.get(url, params={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
    assert after.status_code == 200


@pytest.mark.slow
def test_the_timeout_message_speaks_french(server: LiveServer) -> None:
    response = fetch.get(
        f"{server.url}/sparql",
        params={"query": CROSS_JOIN, "lang": "fr"},
        headers=JSON,
        timeout=60,
    )
    assert response.status_code == 503
    assert "limite de 2.5 s" in response.json()["errors"][0]["message"]


def test_rows_past_the_limit_are_cut_and_said_so(server: LiveServer) -> None:
    url = f"{server.url}/sparql"
    cut = fetch.get(url, params={"query": "SELECT * { ?s ?p ?o }"}, headers=JSON)
    assert cut.headers["x-result-truncated"] == "true"
    assert len(cut.json()["results"]["bindings"]) == 5
    whole = fetch.get(url, params={"query": "SELECT * { ?s ?p ?o } LIMIT 2"}, headers=JSON)
    assert "x-result-truncated" not in whole.headers


def test_queries_over_the_size_limit_are_413(server: LiveServer) -> None:
    url = f"{server.url}/sparql"
    big = "SELECT * { ?s ?p ?o } #" + "x" * 2000
    for response in (
        fetch.get(url, params={"query": big}),
        fetch.post(url, data={"query": big}),
        fetch.post(url, content=big.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 413
        assert "2000" in response.json()["errors"][0]["message"]
