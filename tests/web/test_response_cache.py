"""The response cache: answers reused until the data changes, 304s without evaluation, nothing
of a member's served to anyone else, no answer computed before a write served after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup
from pyoxigraph import Literal, NamedNode, Quad

from commons_graph.config import Settings
from commons_graph.store.changes import ChangeSet
from commons_graph.web.answer_store import AnswerStore, StoredAnswer
from commons_graph.web.deps import SESSION_COOKIE
from commons_graph.web.response_cache import policy_of
from commons_graph.web.security_headers import SECURITY_HEADERS
from tests.helpers.contributions import ContributionServer
from tests.helpers.inprocess import InProcess, in_process

JSON = "application/sparql-results+json"
GRAPH = "https://w3id.org/commons-graph/graph/test-cache"
# A comment is outside the lookups' narrow grammar: such a query goes to a worker (`execute`).
VIA_WORKER = "# to a worker\n"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


class Evaluations:
    """Counts the executor's evaluations (the real executor's methods, called through)."""

    def __init__(self, executor: Any) -> None:
        self.count = 0
        self.executor = executor
        self.real_execute = executor.execute
        self.real_at_once = executor.answer_at_once
        self.real_execute_async = executor.execute_async
        self.before_return: Callable[[], None] | None = None
        # Inside `execute_async`, whose fallback runs `execute` in a thread: counted once.
        self.awaiting = 0
        executor.execute = self._execute
        executor.execute_async = self._execute_async
        executor.answer_at_once = self._at_once

    def _execute(self, *args: Any, **kwargs: Any) -> Any:
        if self.awaiting:
            return self.real_execute(*args, **kwargs)
        self.count += 1
        answer = self.real_execute(*args, **kwargs)
        if self.before_return is not None:
            self.before_return()
        return answer

    async def _execute_async(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        self.awaiting += 1
        try:
            answer = await self.real_execute_async(*args, **kwargs)
        finally:
            self.awaiting -= 1
        if self.before_return is not None:
            self.before_return()
        return answer

    def _at_once(self, *args: Any, **kwargs: Any) -> Any:
        answer = self.real_at_once(*args, **kwargs)
        if answer is not None:
            self.count += 1
        return answer

    def restore(self) -> None:
        self.executor.execute = self.real_execute
        self.executor.execute_async = self.real_execute_async
        self.executor.answer_at_once = self.real_at_once


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder = Path(tmp_path_factory.mktemp("cache"))
    settings = Settings(
        store=str(folder / "store"),
        query_workers=1,
        max_result_rows=3,
        cache_max_entry_bytes=200_000,
    )
    with in_process(settings) as inproc:
        yield inproc


@pytest.fixture
def evaluations(app: InProcess) -> Iterator[Evaluations]:
    counter = Evaluations(app.app.state.services.executor)
    yield counter
    counter.restore()


def _write(app: InProcess, value: str) -> None:
    """One write through the store interface (what an import, a contribution, a load do)."""
    quad = Quad(NamedNode("urn:x:s"), NamedNode("urn:x:p"), Literal(value), NamedNode(GRAPH))
    app.app.state.services.store.commit(ChangeSet(insert=[quad]))


def _count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def _get(app: InProcess, query: str, **headers: str) -> httpx.Response:
    return app.fresh.get("/sparql", params={"query": query}, headers={"Accept": JSON, **headers})


def test_a_repeated_query_is_evaluated_once(app: InProcess, evaluations: Evaluations) -> None:
    query = VIA_WORKER + COUNT + " # repeated"
    first, second = _get(app, query), _get(app, query)
    assert evaluations.count == 1
    assert first.headers["x-cache"] == "miss" and second.headers["x-cache"] == "hit"
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    assert first.headers["etag"].startswith('"')  # strong
    assert "no-cache" in first.headers["cache-control"]
    assert "Accept" in first.headers["vary"]
    # The same query with its parameters in another order is the same request.
    encoded = str(httpx.QueryParams(query=query))
    again = app.fresh.get(f"/sparql?format=json&{encoded}")
    reordered = app.fresh.get(f"/sparql?{encoded}&format=json")
    assert reordered.headers["x-cache"] == "hit"
    assert reordered.content == again.content
    assert evaluations.count == 2


@pytest.mark.parametrize("method", ["form", "body"])
def test_posted_queries_are_keyed_by_their_text(
    app: InProcess, evaluations: Evaluations, method: str
) -> None:
    def post(query: str) -> httpx.Response:
        if method == "form":
            return app.fresh.post("/sparql", data={"query": query}, headers={"Accept": JSON})
        headers = {"Accept": JSON, "Content-Type": "application/sparql-query"}
        return app.fresh.post("/sparql", content=query.encode(), headers=headers)

    one, other = VIA_WORKER + COUNT + f" # {method} 1", VIA_WORKER + COUNT + f" # {method} 2"
    assert post(one).headers["x-cache"] == "miss"
    assert post(one).headers["x-cache"] == "hit"
    assert post(other).headers["x-cache"] == "miss"
    assert evaluations.count == 2


def test_if_none_match_is_answered_304_without_evaluating(
    app: InProcess, evaluations: Evaluations
) -> None:
    query = VIA_WORKER + COUNT + " # conditional"
    etag = _get(app, query).headers["etag"]
    assert evaluations.count == 1
    for sent in (etag, f"W/{etag}", f'"other", {etag}'):
        revalidated = _get(app, query, **{"If-None-Match": sent})
        assert revalidated.status_code == 304 and revalidated.content == b""
        assert revalidated.headers["etag"] == etag
    # Even once the answer is dropped from memory, its ETag still names the current answer.
    app.app.state.answers.clear()
    assert _get(app, query, **{"If-None-Match": etag}).status_code == 304
    assert evaluations.count == 1
    assert _get(app, query, **{"If-None-Match": '"stale"'}).status_code == 200
    assert evaluations.count == 2


def test_a_write_makes_every_answer_fresh(app: InProcess, evaluations: Evaluations) -> None:
    query = VIA_WORKER + COUNT + " # fresh"
    before = _get(app, query)
    _write(app, "fresh")
    after = _get(app, query)
    assert after.headers["x-cache"] == "miss"
    assert _count(after) == _count(before) + 1
    assert after.headers["etag"] != before.headers["etag"]
    assert _get(app, query, **{"If-None-Match": before.headers["etag"]}).status_code == 200


def test_an_answer_computed_before_a_write_is_not_served_after_it(
    app: InProcess, evaluations: Evaluations
) -> None:
    """The query is evaluated, then (held in the executor) a real write commits, then the
    query's old answer is sent: the next request must see the write."""
    query = VIA_WORKER + COUNT + " # race"
    evaluated, written = threading.Event(), threading.Event()

    def hold() -> None:
        evaluations.before_return = None
        evaluated.set()
        assert written.wait(60)

    evaluations.before_return = hold
    answers: list[httpx.Response] = []
    reader = threading.Thread(target=lambda: answers.append(_get(app, query)))
    reader.start()
    assert evaluated.wait(60)
    _write(app, "race")
    written.set()
    reader.join(60)
    assert not reader.is_alive()
    old = answers[0]
    new = _get(app, query)
    assert new.headers["x-cache"] == "miss"
    assert _count(new) == _count(old) + 1
    assert _get(app, query, **{"If-None-Match": old.headers["etag"]}).status_code == 200
    assert _get(app, query).headers["x-cache"] == "hit"


def test_truncated_answers_and_errors_are_not_kept(
    app: InProcess, evaluations: Evaluations
) -> None:
    many = VIA_WORKER + "SELECT ?s WHERE { ?s ?p ?o } # truncated"
    for _ in range(2):
        cut = _get(app, many)
        assert cut.headers.get("x-result-truncated") == "true"
        assert "etag" not in cut.headers and "x-cache" not in cut.headers
    assert evaluations.count == 2
    for _ in range(2):
        wrong = _get(app, "SELECT nonsense")
        assert wrong.status_code == 400 and "etag" not in wrong.headers


def _until_current(app: InProcess, path: str) -> None:
    """Wait until `path` is answered from current indexes (after an earlier test's write, a
    list index is rebuilt in the background and answers made from the old one are not kept)."""
    for _ in range(200):
        if "etag" in app.fresh.get(path).headers:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never got an ETag")


def test_pages_and_rdf_vary_by_language_and_accept(app: InProcess) -> None:
    _until_current(app, "/organisations")
    english = app.fresh.get("/organisations")
    french = app.fresh.get("/organisations", headers={"Accept-Language": "fr"})
    by_param = app.fresh.get("/organisations?lang=fr")
    by_cookie = app.fresh.get("/organisations", headers={"Cookie": "lang=fr"})
    turtle = app.fresh.get("/organisations", headers={"Accept": "text/turtle"})
    assert english.text != french.text and english.headers["etag"] != french.headers["etag"]
    assert french.headers["etag"] == by_cookie.headers["etag"]
    # Choosing a language sets its cookie: that answer is sent, not kept.
    assert "set-cookie" in by_param.headers and "etag" not in by_param.headers
    assert '<html lang="fr"' in by_param.text
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.headers["etag"] != english.headers["etag"]
    assert {"Accept", "Accept-Language", "Cookie"} <= {
        v.strip() for v in english.headers["vary"].split(",")
    }
    assert app.fresh.get("/organisations").headers["x-cache"] == "hit"
    assert app.fresh.get("/organisations", headers={"Accept-Language": "fr"}).text == french.text
    # HEAD is answered like GET, from the cache too.
    head = app.fresh.head("/organisations")
    assert head.headers["etag"] == english.headers["etag"] and head.content == b""


def test_members_pages_are_never_cached_nor_shared(app: InProcess) -> None:
    contrib = ContributionServer(app, app.app.state.services.accounts)
    answers: AnswerStore = app.app.state.answers
    signin = contrib.http.get("/signin")
    assert "x-cache" not in signin.headers  # a form with the session's CSRF token
    csrf = BeautifulSoup(signin.text, "lxml").select_one('input[name="csrf_token"]')["value"]
    signed = contrib.http.post("/signin", data={"token": contrib.ana_token, "csrf_token": csrf})
    assert signed.status_code == 303
    stored = answers.stats.stored
    for path in ("/", "/organisations", "/members/me", "/sparql?query=ASK%7B%7D"):
        mine = contrib.http.get(path, headers={"Accept": "text/html"})
        assert "x-cache" not in mine.headers and "etag" not in mine.headers, path
    assert answers.stats.stored == stored
    mine = contrib.http.get("/members/me", headers={"Accept": "text/html"})
    anonymous = app.fresh.get("/members/me", headers={"Accept": "text/html"})
    assert mine.status_code == 200 and "Ana" in mine.text
    assert anonymous.text != mine.text and "Ana" not in anonymous.text
    # A token-authenticated tool is answered for itself too.
    bearer = {"Authorization": f"Bearer {contrib.bea_token}"}
    assert "x-cache" not in _get(app, COUNT + " # bearer", **bearer).headers


def test_every_opted_in_route_is_a_read(app: InProcess) -> None:
    for route in app.app.router.routes:
        if policy_of(getattr(route, "endpoint", None)) is not None:
            assert set(getattr(route, "methods", set())) <= {"GET", "HEAD", "POST"}


def test_the_store_is_bounded_in_bytes() -> None:
    store = AnswerStore(capacity=10_000, max_entry=3_000)

    def answer(size: int) -> StoredAnswer:
        return StoredAnswer(200, ((b"content-type", b"text/plain"),), b"x" * size, b'"e"')

    for n in range(20):
        store.put(n.to_bytes(4, "big"), answer(1_000))
        assert store.stats.bytes <= 10_000
    assert store.get((19).to_bytes(4, "big")) is not None
    assert store.get((0).to_bytes(4, "big")) is None
    assert not store.put(b"big", answer(5_000))
    assert store.get(b"big") is None and store.stats.too_large == 1


def test_a_zero_capacity_turns_the_cache_off(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store"), cache_bytes=0)
    with in_process(settings) as inproc:
        for _ in range(2):
            answer = inproc.fresh.get("/sparql", params={"query": "ASK {}"})
            assert "etag" not in answer.headers and "x-cache" not in answer.headers


def test_the_counters_are_served(app: InProcess) -> None:
    _get(app, "ASK {} # counted")
    _get(app, "ASK {} # counted")
    counters = app.fresh.get("/status/cache")
    assert counters.status_code == 200 and counters.headers["cache-control"] == "no-store"
    data = counters.json()
    assert data["hits"] >= 1 and data["misses"] >= 1 and 0 < data["hit_rate"] <= 1
    assert 0 < data["bytes"] <= data["capacity"]


@pytest.mark.parametrize("call", ["NOW()", "rand ()", "UUID()", "STRUUID()"])
def test_queries_that_answer_differently_each_time_are_not_kept(
    app: InProcess, evaluations: Evaluations, call: str
) -> None:
    query = f"SELECT ({call} AS ?x) WHERE {{}}"
    for _ in range(2):
        answer = _get(app, query)
        assert answer.status_code == 200 and "etag" not in answer.headers
        posted = app.fresh.post("/sparql", data={"query": query}, headers={"Accept": JSON})
        assert posted.status_code == 200 and "etag" not in posted.headers
    assert evaluations.count == 4


def test_a_remote_store_is_cached_only_with_a_ttl(oxigraph_server: Any) -> None:
    """Others may write to a remote store: no cache unless COMMONS_GRAPH_CACHE_TTL is set."""
    oxigraph_server.clear()
    settings: Settings = oxigraph_server.settings()
    for ttl, kept in ((0.0, False), (3600.0, True)):
        with in_process(settings.model_copy(update={"cache_ttl": ttl})) as inproc:
            assert inproc.app.state.services.store.sees_all_writes is False
            answers = [
                inproc.fresh.get("/sparql", params={"query": "ASK {} # remote"}) for _ in range(2)
            ]
            assert all(a.status_code == 200 for a in answers)
            assert ("etag" in answers[1].headers) is kept
            assert answers[1].headers.get("x-cache") == ("hit" if kept else None)


def test_updates_sent_to_sparql_pass_the_cache_by(app: InProcess) -> None:
    for _ in range(2):
        refused = app.fresh.post(
            "/sparql", data={"update": "INSERT DATA { <urn:x:a> <urn:x:b> 1 }"}
        )
        assert refused.status_code in (401, 403) and "etag" not in refused.headers
        typed = app.fresh.post(
            "/sparql",
            content=b"INSERT DATA { <urn:x:a> <urn:x:b> 1 }",
            headers={"Content-Type": "application/sparql-update"},
        )
        assert typed.status_code in (401, 403) and "etag" not in typed.headers


def test_answers_to_other_origins_are_kept_apart(app: InProcess) -> None:
    plain = _get(app, "ASK {} # origins")
    other = _get(app, "ASK {} # origins", Origin="https://elsewhere.example")
    assert plain.headers["etag"] != other.headers["etag"]
    assert other.headers.get("access-control-allow-origin") == _get(
        app, "ASK {} # origins", Origin="https://elsewhere.example"
    ).headers.get("access-control-allow-origin")
    # Security headers are sent with kept answers too.
    hit = _get(app, "ASK {} # origins")
    assert hit.headers["x-cache"] == "hit" and hit.headers["x-content-type-options"] == "nosniff"


def test_answers_over_the_entry_cap_are_sent_not_kept(
    app: InProcess, evaluations: Evaluations
) -> None:
    answers: AnswerStore = app.app.state.answers
    cap, answers.max_entry = answers.max_entry, 16
    try:
        too_large = answers.stats.too_large
        query = VIA_WORKER + COUNT + " # large"
        sent = [_get(app, query) for _ in range(2)]
        assert [a.headers["x-cache"] for a in sent] == ["miss", "miss"]
        assert sent[0].content == sent[1].content and len(sent[0].content) > 16
        assert answers.stats.too_large == too_large + 2 and evaluations.count == 2
        # Its ETag still names the answer: revalidation costs nothing.
        assert _get(app, query, **{"If-None-Match": sent[0].headers["etag"]}).status_code == 304
        assert evaluations.count == 2
    finally:
        answers.max_entry = cap


def test_search_suggestions_are_reused_until_a_write_names_something_new(app: InProcess) -> None:
    first = app.fresh.get("/search/suggest", params={"q": "ouisti"})
    again = app.fresh.get("/search/suggest", params={"q": "ouisti"})
    assert again.headers["x-cache"] == "hit" and again.json() == first.json()
    label = Literal("Ouistiti collective", language="en")
    subject = NamedNode("https://w3id.org/commons-graph/id/organisation/ouistiti")
    app.app.state.services.store.commit(
        ChangeSet(
            insert=[
                Quad(subject, NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), label,
                     NamedNode(GRAPH)),
            ]
        )
    )  # fmt: skip
    # The index is kept in step before the new generation is seen: the next answer has it.
    after = app.fresh.get("/search/suggest", params={"q": "ouisti"})
    assert after.headers["x-cache"] == "miss"
    assert subject.value in {hit["iri"] for hit in after.json()["results"]}


def test_gzipped_and_plain_answers_are_kept_apart(app: InProcess) -> None:
    zipped = app.fresh.get("/organisations.geojson", headers={"Accept-Encoding": "gzip"})
    plain = app.fresh.get("/organisations.geojson", headers={"Accept-Encoding": "identity"})
    assert zipped.status_code == plain.status_code == 200
    assert "content-encoding" not in plain.headers
    assert plain.json()["type"] == "FeatureCollection"
    again = app.fresh.get("/organisations.geojson", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in again.headers and again.json() == plain.json()


def _headers(response: httpx.Response) -> list[tuple[str, str]]:
    """Every header but `x-cache` and the body's length, in order (repeats kept)."""
    skip = {"x-cache", "content-length"}
    return [(k.lower(), v) for k, v in response.headers.multi_items() if k.lower() not in skip]


def test_kept_answers_are_sent_as_the_framework_sent_them(app: InProcess) -> None:
    # Answered in front of the framework (web/app.py): the same status, headers (security and
    # cross-origin ones included) and bytes as the answer the routes and layers made.
    _until_current(app, "/organisations")
    origin = {"Origin": "https://elsewhere.example"}
    requests: list[Callable[[], httpx.Response]] = [
        lambda: _get(app, COUNT + " # front get"),
        lambda: _get(app, COUNT + " # front origin", **origin),
        lambda: app.fresh.post("/sparql", data={"query": COUNT + " # front form"}, headers=origin),
        lambda: app.fresh.post(
            "/sparql",
            content=(COUNT + " # front body").encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": JSON},
        ),
        lambda: app.fresh.get("/organisations", headers={"Accept-Language": "fr"}),
        lambda: app.fresh.get("/organisations", headers={"Accept": "text/turtle"}),
    ]
    for ask in requests:
        miss, hit = ask(), ask()
        assert (miss.headers["x-cache"], hit.headers["x-cache"]) == ("miss", "hit")
        assert hit.status_code == miss.status_code == 200
        assert _headers(hit) == _headers(miss) and hit.content == miss.content
        assert {name for name, _ in SECURITY_HEADERS} <= set(hit.headers)


def test_304s_and_heads_carry_the_security_headers(app: InProcess) -> None:
    query = COUNT + " # front 304"
    first = _get(app, query)
    revalidated = _get(app, query, **{"If-None-Match": first.headers["etag"]})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == first.headers["etag"]
    assert revalidated.headers["cache-control"] == first.headers["cache-control"]
    for name, _ in SECURITY_HEADERS:
        assert revalidated.headers[name] == first.headers[name], name
    got = app.fresh.get("/sparql", params={"query": query}, headers={"Accept": JSON})
    head = app.fresh.head("/sparql", params={"query": query}, headers={"Accept": JSON})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["x-cache"] == "hit" and _headers(head) == _headers(got)


def test_sessions_and_tokens_pass_the_front_by(app: InProcess) -> None:
    query = COUNT + " # front member"
    assert _get(app, query).headers["x-cache"] == "miss"
    assert _get(app, query).headers["x-cache"] == "hit"
    for headers in ({"Authorization": "Bearer nobody"}, {"Cookie": f"{SESSION_COOKIE}=anything"}):
        answer = _get(app, query, **headers)
        assert "x-cache" not in answer.headers and "etag" not in answer.headers
