"""Cross-origin reads: a script on another site may read answers, never with credentials."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer
from tests.helpers.servers import local_http_server

QUERY = (
    "SELECT ?label WHERE { <https://w3id.org/commons-graph/id/organisation/ouishare> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)
ELSEWHERE = "http://client.example"


def _served(tmp_path: Path, **settings: object) -> LiveServer:
    """The service on a store in `tmp_path`, with `settings`; started by `with`."""
    return LiveServer(Settings(store=str(tmp_path / "store"), **settings))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The service as shipped: any origin may read."""
    with _served(tmp_path_factory.mktemp("cors"), max_result_rows=1) as live:
        yield live


def test_answers_and_errors_are_readable_from_any_origin(server: LiveServer) -> None:
    headers = {"Origin": ELSEWHERE, "Accept": "application/sparql-results+json"}
    answer = fetch.get(f"{server.url}/sparql", params={"query": QUERY}, headers=headers)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    # A script may see that the answer was cut at the row cap.
    assert answer.headers["x-result-truncated"] == "true"
    exposed = answer.headers["access-control-expose-headers"].lower()
    assert "x-result-truncated" in exposed and "retry-after" in exposed
    assert "access-control-allow-credentials" not in answer.headers
    error = fetch.get(f"{server.url}/sparql", params={"query": "SELECT"}, headers=headers)
    assert error.status_code == 400
    assert error.headers["access-control-allow-origin"] == "*"
    page = fetch.get(f"{server.url}/id/organisation/ouishare", headers={"Origin": ELSEWHERE})
    assert page.headers["access-control-allow-origin"] == "*"


def _preflight(server: LiveServer, path: str, headers: str) -> httpx.Response:
    """What a browser asks before a cross-origin POST sending `headers`."""
    return fetch.options(
        server.url + path,
        headers={
            "Origin": ELSEWHERE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_a_posted_query_is_allowed_after_the_preflight(server: LiveServer) -> None:
    preflight = _preflight(server, "/sparql", "content-type, accept")
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


def test_credentials_are_not_allowed_across_origins(server: LiveServer) -> None:
    """Bearer tokens cannot be sent from another site: the members' side stays same-origin."""
    preflight = _preflight(server, "/contributions", "authorization, content-type")
    assert preflight.status_code == 400
    assert "access-control-allow-credentials" not in preflight.headers


def test_origins_can_be_listed_or_turned_off(tmp_path: Path) -> None:
    origins = "https://a.example, https://b.example"
    with _served(tmp_path / "listed", cors_origins=origins) as listed:
        url = f"{listed.url}/sparql"
        allowed = fetch.get(url, params={"query": QUERY}, headers={"Origin": "https://b.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://b.example"
        assert "origin" in allowed.headers["vary"].lower()
        other = fetch.get(url, params={"query": QUERY}, headers={"Origin": ELSEWHERE})
        assert other.status_code == 200
        assert "access-control-allow-origin" not in other.headers
    with _served(tmp_path / "closed", cors_origins="") as closed:
        answer = fetch.get(
            f"{closed.url}/sparql", params={"query": QUERY}, headers={"Origin": ELSEWHERE}
        )
        assert answer.status_code == 200
        assert "access-control-allow-origin" not in answer.headers


@pytest.fixture
def other_site() -> Iterator[str]:
    """A page served from another origin on the loopback too (another port): Chromium lets a
    page reach the loopback only from the loopback (Local Network Access), apart from CORS."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>client</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with local_http_server(Page) as url:
        yield url + "/"


@pytest.mark.browser
def test_a_script_on_another_site_reads_a_posted_query(
    server: LiveServer, other_site: str, chromium: object
) -> None:
    """Real Chromium, page on another origin: the preflight, then the JSON results."""
    context = chromium.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(other_site)
    labels = page.evaluate(
        """async ([endpoint, query]) => {
            const response = await fetch(endpoint, {
                method: "POST",
                headers: {
                    "Content-Type": "application/sparql-query",
                    "Accept": "application/sparql-results+json",
                },
                body: query,
            });
            const data = await response.json();
            return {
                truncated: response.headers.get("X-Result-Truncated"),
                labels: data.results.bindings.map((b) => b.label.value),
            };
        }""",
        [f"{server.url}/sparql", QUERY],
    )
    context.close()
    assert labels["truncated"] == "true"
    assert len(labels["labels"]) == 1
