"""Security headers on every answer, and public URLs that never come from the Host header."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph

from commons_graph.config import Settings
from commons_graph.geo.tiles import OSM_TILES, tile_source
from commons_graph.web.security_headers import CONTENT_SECURITY_POLICY, content_security_policy
from tests.helpers.inprocess import InProcess, in_process

FORGED = "attacker.example"
EXPECTED = {
    # The default settings' policy: images from the map's default tile host too.
    "content-security-policy": content_security_policy((str(tile_source(OSM_TILES)),)),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder = tmp_path_factory.mktemp("headers")
    with in_process(Settings(store=str(folder / "store"))) as started:
        yield started


def test_the_policy_allows_own_assets_only() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"].startswith("'self' 'sha256-")
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == "'self'"


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/id/organisation/ouishare", "text/html"),
        ("/id/organisation/ouishare", "text/turtle"),
        ("/sparql", "text/html"),
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
        ("/sparql?query=ASK%7B", "application/json"),
        ("/no/such/page", "text/html"),
        ("/no/such/page", "application/json"),
        ("/static/site.css", "text/css"),
        ("/dump.ttl", "text/turtle"),
    ],
)
def test_every_answer_carries_the_headers(app: InProcess, path: str, accept: str) -> None:
    response = app.get(path, headers={"Accept": accept})
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, name)


def test_pages_have_no_inline_script_or_style(app: InProcess) -> None:
    pages = ("/", "/sparql", "/id/organisation/ouishare", "/codesocial", "/id/codesocial/ouishare")
    for path in pages:
        soup = BeautifulSoup(app.get(path, headers={"Accept": "text/html"}).text, "lxml")
        assert not soup.find_all("style"), path
        assert not soup.select("[style]"), path
        for script in soup.find_all("script"):
            # Scripts come from /static; a JSON data block is data, not run.
            assert script.get("src", "").startswith("/static/") or script["type"] == (
                "application/json"
            ), path
        assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]


def test_a_forged_host_header_is_never_reflected(app: InProcess) -> None:
    forged = {"Host": FORGED, "X-Forwarded-Host": FORGED}
    answers = [
        app.get("/.well-known/void", headers={"Accept": "text/turtle", **forged}),
        app.get("/sparql", headers={"Accept": "text/turtle", **forged}),
        app.get("/sparql", headers={"Accept": "text/html", **forged}),
        app.get("/.well-known/void", headers={"Accept": "text/html", **forged}),
    ]
    for response in answers:
        assert response.status_code == 200
        assert FORGED not in response.text
    description = Graph().parse(data=answers[1].text, format="turtle")
    endpoints = {str(o) for o in description.objects()}
    assert "http://testserver/sparql" in endpoints
    editor = BeautifulSoup(answers[2].text, "lxml")
    config = json.loads(editor.select_one("#sparql-config").get_text())
    assert config["endpoint"] == "http://testserver/sparql"


def test_the_configured_public_url_is_used(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("public")
    settings = Settings(store=str(folder / "store"), public_url="https://commons.example.org/")
    with in_process(settings) as app:
        void = app.get("/.well-known/void", headers={"Accept": "text/turtle", "Host": FORGED})
        assert "<https://commons.example.org/sparql>" in void.text
        assert "<https://commons.example.org/dump.ttl>" in void.text
        assert FORGED not in void.text and "testserver" not in void.text


def test_a_public_url_must_be_http() -> None:
    with pytest.raises(ValueError):
        Settings(public_url="javascript:alert(1)")
