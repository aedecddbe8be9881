"""Bad input is a 4xx, never a 500: fuzzing every GET route's path and query parameters.

Hypothesis draws paths from the app's own route table, fills their parameters and the query
string with odd text (control characters, `..`, encoded slashes, invalid UTF-8, very long
values, IRIs of other schemes), and sends them in process; no answer may be a 5xx.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.config import Settings
from commons_graph.web.app import create_app
from tests.helpers.inprocess import InProcess, get_routes, in_process

# Examples per run: a few seconds here; FUZZ_EXAMPLES=4000 searches longer (and at random).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
# Raw pieces of a URL, sent as they are: percent-encodings that decode to nothing valid.
RAW = ["%00", "%0A", "%0D%0A", "%20", "%2F", "%2E%2E", "..", "%C3%28", "%FF", "%E2%82", "%",
       "%ZZ", "%u0041", "%F0%9F%98%80", "a" * 3000, "javascript:alert(1)", "<x>", '"', "\\",
       "-1", "0", "1e9", "99999999999999999999", "NaN", "ttl", "html", "ouishare"]  # fmt: skip
# Query parameters the routes read (and a few they do not).
PARAMETERS = ["lang", "page", "per_page", "q", "offset", "format", "resource", "organisation",
              "contribution", "value", "theme", "kind", "query", "next", "from", "to",
              "default-graph-uri", "named-graph-uri", "unknown"]  # fmt: skip
ACCEPT = ["text/html", "application/json", "text/turtle", "application/ld+json", "*/*",
          "text/html;q=abc", "", "application/sparql-results+json", "image/png"]  # fmt: skip

text = st.text(st.characters(codec="utf-8"), max_size=40)
raw_piece = st.one_of(st.sampled_from(RAW), text.map(lambda s: quote(s, safe="")))
value = st.lists(raw_piece, min_size=0, max_size=3).map("".join)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder = tmp_path_factory.mktemp("fuzz")
    with in_process(Settings(store=str(folder / "store"))) as started:
        yield started


@st.composite
def requests(draw: st.DrawFn, routes: list[str]) -> tuple[str, dict[str, str]]:
    """A raw URL (path and query) for one of `routes`, and the headers to send."""
    template = draw(st.sampled_from(routes))
    path = re.sub(r"\{\w+(?::\w+)?\}", lambda _: draw(value) or "x", template)
    names = draw(st.lists(st.sampled_from(PARAMETERS), max_size=4))
    query = "&".join(f"{name}={draw(value)}" for name in names)
    headers = {"Accept": draw(st.sampled_from(ACCEPT))}
    if draw(st.booleans()):
        headers["Accept-Language"] = draw(st.sampled_from(["fr", "zz", "*;q=x", "en-GB,fr;q=0.5"]))
    if draw(st.booleans()):
        headers["Cookie"] = "lang=" + draw(st.sampled_from(["fr", "xx", "%FF", '"']))
    return path + ("?" + query if query else ""), headers


def test_no_get_route_answers_5xx(app: InProcess) -> None:
    routes = get_routes(app.app)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize="FUZZ_EXAMPLES" not in os.environ,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(requests(routes))
    def check(drawn: tuple[str, dict[str, str]]) -> None:
        url, headers = drawn
        response = app.get(url, headers=headers)
        assert response.status_code < 500, (url, headers, response.text[:300])

    check()


@pytest.mark.parametrize(
    "path",
    [
        "/id/organisation/a%20b",
        "/id/organisation/a%00b",
        "/id/organisation/a%0Ab",
        "/id/organisation/a%2Fb",
        "/id/%C3%28",
        "/id/%FF%FE",
        "/id/../../etc/passwd",
        "/id/%2E%2E/%2E%2E/etc/passwd",
        "/id/" + "a" * 20_000,
        "/scheme/a%20b",
        "/id/codesocial/a%20b",
        "/id/codesocial/a%20b/history",
        "/history?resource=a%20b",
        "/history?resource=%00",
        "/history?organisation=javascript:alert(1)",
        "/history?contribution=%FF",
        "/organisations?page=-1",
        "/organisations?page=abc",
        "/organisations?value=a%20b",
        "/search?q=%00&offset=-5",
        "/search?offset=99999999999999999999",
        "/search?q=" + "x" * 10_000,
        "/id/organisation/ouishare?lang=%FF&format=%00",
        "/.well-known/void?format=%C3%28",
        "/sparql?query=%FF",
        "/sparql?query=SELECT%20*%20%7B%20%3Ca%20b%3E%20%3Fp%20%3Fo%20%7D",
    ],
)
def test_odd_requests_get_a_clear_4xx_and_at_most_one_log_line(
    app: InProcess, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = app.get(path, headers={"Accept": "application/json"})
    assert response.status_code < 500, (path, response.text[:300])
    if response.status_code >= 400:
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code
        assert body["errors"] and body["errors"][0]["message"]
    lines = [line for record in own_records(caplog) for line in record.getMessage().splitlines()]
    assert len(lines) <= 1, lines[:50]


def own_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the service logged (the test's HTTP client logs each request too)."""
    return [record for record in caplog.records if not record.name.startswith("httpx")]


def test_an_unexpected_error_is_one_log_record_of_bounded_size(
    tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug deep in a recursion: the client gets the 500 shape, the log one short record."""
    settings = Settings(store=str(tmp_path_factory.mktemp("bug") / "store"))
    app = create_app(settings)

    def recurse(depth: int) -> int:
        return recurse(depth + 1) + 1

    @app.get("/boom/{name}")
    def boom(name: str) -> int:
        return recurse(0)

    with in_process(settings, app) as started, caplog.at_level(logging.DEBUG):
        response = started.get("/boom/x%0AFAKE%20LOG%20LINE", headers={"Accept": "text/json"})
    assert response.status_code == 500
    assert response.json()["errors"][0]["message"]
    assert "recurse" not in response.text
    records = own_records(caplog)
    assert len(records) == 1
    logged = records[0].getMessage()
    assert "RecursionError" in logged
    assert len(logged.splitlines()) < 60
    # The client's path stays on the record's first line, quoted.
    assert "FAKE LOG LINE" in logged.splitlines()[0]
