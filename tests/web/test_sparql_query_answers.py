"""Answers before the framework: lookups as a worker gives them; browsers passed on whole."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

ORG = "<https://w3id.org/commons-graph/id/organisation/ouishare>"
LOOKUP = f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}"
# A comment is outside the lookups' narrow grammar: the same query then goes to a worker.
VIA_WORKER = "# evaluated by a worker\n"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(
        store=str(Path(tmp_path_factory.mktemp("lookups")) / "store"),
        query_timeout=3,
        query_workers=1,
        max_result_rows=5,
    )
    with LiveServer(settings) as live:
        yield live


def _send(server: LiveServer, method: str, query: str, accept: str) -> httpx.Response:
    url = f"{server.url}/sparql"
    headers = {"Accept": accept}
    if method == "GET":
        return fetch.get(url, params={"query": query}, headers=headers)
    if method == "POST form":
        return fetch.post(url, data={"query": query}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return fetch.post(url, content=query.encode(), headers=headers)


@pytest.mark.parametrize("method", ["GET", "POST form", "POST query"])
@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "*/*",
    ],
)
def test_a_lookup_is_answered_as_a_worker_answers_it(
    server: LiveServer, method: str, accept: str
) -> None:
    direct = _send(server, method, LOOKUP, accept)
    by_worker = _send(server, method, VIA_WORKER + LOOKUP, accept)
    assert direct.status_code == by_worker.status_code == 200
    for header in ("content-type", "vary", "x-result-truncated"):
        assert direct.headers.get(header) == by_worker.headers.get(header)
    # Capped at 5 rows, and said so.
    assert direct.headers["x-result-truncated"] == "true"
    assert direct.content == by_worker.content


@pytest.mark.slow
def test_a_lookup_is_answered_while_every_worker_is_busy(server: LiveServer) -> None:
    """The one worker runs a slow query: the lookup does not wait for it."""
    slow_answer: list[httpx.Response] = []
    slow = threading.Thread(
        target=lambda: slow_answer.append(
            _send(server, "GET", CROSS_JOIN, "application/sparql-results+json")
        )
    )
    slow.start()
    limiter = server.app.state.services.query_limiter
    while limiter.running("127.0.0.1") < 1 and slow.is_alive():
        slow.join(0.01)
    answer = _send(server, "GET", LOOKUP, "application/sparql-results+json")
    still_running = slow.is_alive()
    slow.join(60)
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == 5
    assert still_running, "the lookup waited for the slow query"
    assert slow_answer[0].status_code == 503


@pytest.mark.parametrize(
    ("query", "accept", "status", "expected"),
    [
        # A browser gets the editor page showing the results.
        (LOOKUP, "text/html", 200, "text/html"),
        # Fits the grammar but Oxigraph refuses it: the usual error, in the usual shape.
        ("SELECT ?o WHERE { ?s A ?o }", "application/sparql-results+json", 400, "json"),
        ("SELECT ?o WHERE { ?s nope:x ?o }", "application/sparql-results+json", 400, "json"),
        # A SELECT's results in Turtle: the endpoint says what it offers instead.
        (LOOKUP, "text/turtle", 406, "json"),
    ],
)
def test_what_a_lookup_cannot_answer_gets_the_endpoints_usual_answer(
    server: LiveServer, query: str, accept: str, status: int, expected: str
) -> None:
    answer = _send(server, "POST form", query, accept)
    assert answer.status_code == status
    assert expected in answer.headers["content-type"]
    if status >= 400:
        assert answer.json()["ok"] is False and answer.json()["status"] == status


def test_other_parameters_and_updates_are_answered_as_usual(server: LiveServer) -> None:
    url = f"{server.url}/sparql"
    with_format = fetch.get(url, params={"query": LOOKUP, "format": "csv"})
    assert with_format.status_code == 200
    assert with_format.headers["content-type"].startswith("text/csv")
    update = fetch.post(
        url,
        content=b"INSERT DATA { <http://a> <http://b> <http://c> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert update.status_code == 403


@pytest.mark.parametrize("method", ["POST form", "POST query"])
def test_a_browser_posting_a_query_gets_the_editor_with_its_results(
    server: LiveServer, method: str
) -> None:
    """Browsers are passed on to the route with the body already read: it must arrive whole."""
    query = f"SELECT ?label WHERE {{ {ORG} <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
    page = _send(server, method, query, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Ouishare" in page.text
    assert "rdf-schema#label" in page.text  # the query, shown in the editor
