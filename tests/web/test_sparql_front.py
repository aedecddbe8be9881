"""The short stack for /sparql (web/sparql_front.py): every answer as the framework gives it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from commons_graph.config import Settings
from commons_graph.web.response_cache import ResponseCache
from tests.helpers.inprocess import InProcess, in_process

JSON = "application/sparql-results+json"
ORG = "<https://w3id.org/commons-graph/id/organisation/ouishare>"
LOOKUP = f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}"
SMALL = f"SELECT ?o WHERE {{ {ORG} a ?o }}"
WORKER = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?o }"
UPDATE = "INSERT DATA { <urn:x:a> <urn:x:b> 1 }"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    settings = Settings(
        store=str(Path(tmp_path_factory.mktemp("front")) / "store"),
        query_workers=1,
        max_result_rows=5,
        trusted_proxies="127.0.0.1",
    )
    with in_process(settings) as inproc:
        yield inproc


def _cache(app: InProcess) -> ResponseCache:
    cache = app.app.front.app  # type: ignore[attr-defined]  # HeadAsGet in front of the cache
    assert isinstance(cache, ResponseCache) and cache.sparql is not None
    return cache


class Framework:
    """Counts the requests that reach the framework (the app's own entry, called through)."""

    def __init__(self, cache: ResponseCache) -> None:
        self.calls = 0
        self.cache = cache
        self.real = cache.app
        cache.app = self

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        await self.real(scope, receive, send)


def _both(app: InProcess, ask: Callable[[], httpx.Response]) -> tuple[httpx.Response, ...]:
    """`ask`'s answer by the short stack, then by the whole framework, from an empty cache."""
    cache = _cache(app)
    front = cache.sparql
    answers = app.app.state.answers
    answers.clear()
    short = ask()
    answers.clear()
    cache.sparql = None
    try:
        whole = ask()
    finally:
        cache.sparql = front
        answers.clear()
    return short, whole


def _get(app: InProcess, query: str, **headers: str) -> httpx.Response:
    return app.fresh.get("/sparql", params={"query": query}, headers={"Accept": JSON, **headers})


REQUESTS: dict[str, Callable[[InProcess], httpx.Response]] = {
    "lookup, GET, JSON": lambda app: _get(app, SMALL),
    "lookup, capped (not kept)": lambda app: _get(app, LOOKUP),
    "lookup, form, CSV": lambda app: app.fresh.post(
        "/sparql", data={"query": SMALL}, headers={"Accept": "text/csv"}
    ),
    "lookup, body, XML": lambda app: app.fresh.post(
        "/sparql",
        content=SMALL.encode(),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "application/sparql-results+xml",
        },
    ),
    "lookup, HEAD": lambda app: app.fresh.head(
        "/sparql", params={"query": SMALL}, headers={"Accept": JSON}
    ),
    "worker, forwarded client": lambda app: _get(app, WORKER, **{"X-Forwarded-For": "10.1.2.3"}),
    "other origin": lambda app: _get(app, SMALL, Origin="https://elsewhere.example"),
    "volatile": lambda app: _get(app, "SELECT (NOW() AS ?now) {}"),
    "syntax error, French": lambda app: _get(app, "SELECT * {", **{"Accept-Language": "fr"}),
    "not acceptable": lambda app: _get(app, SMALL, Accept="image/png"),
    "update as a form field": lambda app: app.fresh.post("/sparql", data={"update": UPDATE}),
    "update as a body": lambda app: app.fresh.post(
        "/sparql", content=UPDATE.encode(), headers={"Content-Type": "application/sparql-update"}
    ),
    "unsupported body": lambda app: app.fresh.post(
        "/sparql", content=b"x", headers={"Content-Type": "text/plain"}
    ),
    "repeated query": lambda app: app.fresh.get(
        "/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D", headers={"Accept": JSON}
    ),
    "service description": lambda app: app.fresh.get("/sparql", headers={"Accept": "text/turtle"}),
    "browser: the editor": lambda app: _get(app, SMALL, Accept="text/html"),
}


# Answers that differ from one evaluation to the next whatever answers them: the time, blank
# node labels in the service description, the editor's page.
VARYING = ("volatile", "service description", "browser: the editor")


def _headers(response: httpx.Response, *, length: bool = True) -> list[tuple[str, str]]:
    skip = () if length else ("content-length",)
    return [(k.lower(), v) for k, v in response.headers.multi_items() if k.lower() not in skip]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_the_short_stack_answers_as_the_framework(app: InProcess, name: str) -> None:
    short, whole = _both(app, lambda: REQUESTS[name](app))
    assert short.status_code == whole.status_code, short.text
    varying = name in VARYING
    assert _headers(short, length=not varying) == _headers(whole, length=not varying)
    if not varying:
        assert short.content == whole.content


def test_only_requests_it_cannot_answer_reach_the_framework(app: InProcess) -> None:
    framework = Framework(_cache(app))
    try:
        for n in range(3):
            assert _get(app, SMALL + f" LIMIT {n + 1}").status_code == 200
            assert _get(app, WORKER + f" LIMIT {n + 1}").status_code == 200
        origin = _get(app, SMALL + " LIMIT 9", Origin="https://elsewhere.example")
        assert origin.headers["access-control-allow-origin"] == "*"
        assert framework.calls == 0
        # The editor is the route's.
        assert _get(app, SMALL, Accept="text/html").status_code == 200
        assert framework.calls == 1
    finally:
        _cache(app).app = framework.real


def test_an_unexpected_error_gets_the_frameworks_500(
    app: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.app.state.services.executor, "answer_at_once", broken)
    short, whole = _both(app, lambda: _get(app, SMALL + " # bug"))
    assert short.status_code == whole.status_code == 500
    assert short.json() == whole.json() and short.json()["ok"] is False
    assert _headers(short) == _headers(whole)
