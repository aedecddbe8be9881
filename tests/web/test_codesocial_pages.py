"""#CodeSocial over real HTTP: publishing with a member token, pages, latest, compare, RDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers.inprocess import InProcess, in_process
from tests.helpers.pages import parse_graph

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"
DRAFT = "https://w3id.org/commons-graph/id/codesocial/ouishare"
CG = "https://w3id.org/commons-graph/ontology#"


@pytest.fixture
def site(backend_settings: Settings, tmp_path: Path) -> Iterator[tuple[InProcess, str, str]]:
    """The service, a token of a Ouishare member and one of a Commons To Commons member."""
    settings = backend_settings.model_copy(update={"accounts": str(tmp_path / "accounts.sqlite")})
    accounts = Accounts.from_settings(settings)
    _, ouishare_token = accounts.add_member("Ada", OUISHARE)
    _, other_token = accounts.add_member("Bob", C2C)
    with in_process(settings) as server:
        yield server, ouishare_token, other_token


def page(server: InProcess, path: str, lang: str = "en") -> BeautifulSoup:
    """A page, parsed."""
    response = server.fresh.get(
        server.url + path, headers={"Accept": "text/html", "Accept-Language": lang}
    )
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "html.parser")


def publish(server: InProcess, token: str) -> httpx.Response:
    """POST /codesocial/ouishare/publish with a bearer token."""
    return server.fresh.post(
        server.url + "/codesocial/ouishare/publish",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )


def test_publish_read_cite_compare(site: tuple[InProcess, str, str]) -> None:
    """A member publishes v1; its page is laid out by plane, cites itself, and has RDF forms."""
    server, token, other = site
    refused = publish(server, other)
    assert refused.status_code == 403 and refused.json()["ok"] is False
    created = publish(server, token)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["version"] == f"{DRAFT}/v1" and created.headers["location"].endswith("/v1")
    digest = body["contentHash"]
    assert publish(server, token).status_code == 409  # nothing changed since v1

    html = page(server, "/id/codesocial/ouishare/v1")
    assert html.select_one("#content-hash").get_text() == f"sha256:{digest}"
    citation = html.select_one("#citation").get_text()
    assert citation.startswith("Ouishare, #CodeSocial, version 1, published ")
    assert citation.endswith(f"{DRAFT}/v1, sha256:{digest}")
    assert len(html.select("section.plane[data-plane]")) == 6
    assert html.select_one("#principle-ouishare-sharing h4").get_text().strip() == (
        "Sharing resources, knowledge and power"
    )
    assert html.select('link[rel="alternate"][type="text/turtle"]')
    # The print style is a stylesheet of our own (the CSP allows no inline style).
    sheet = html.select_one('head link[rel="stylesheet"][href="/static/codesocial.css"]')
    assert sheet is not None
    assert "@media print" in server.fresh.get(server.url + sheet["href"]).text

    french = page(server, "/id/codesocial/ouishare/v1", lang="fr")
    assert french.select_one("#principle-ouishare-sharing h4").get_text().strip() == (
        "Partager ressources, connaissances et pouvoir"
    )
    assert "publiée le" in french.select_one("#citation").get_text()

    latest = server.fresh.get(server.url + "/id/codesocial/ouishare/latest")
    assert latest.status_code == 303
    assert latest.headers["location"] == "/id/codesocial/ouishare/v1"

    turtle = server.fresh.get(
        server.url + "/id/codesocial/ouishare/v1", headers={"Accept": "text/turtle"}
    )
    graph = Graph().parse(data=turtle.text, format="turtle")
    version = URIRef(f"{DRAFT}/v1")
    assert (version, URIRef(CG + "contentHash"), Literal(digest)) in graph
    assert (version, URIRef(CG + "codeSocialOf"), URIRef(OUISHARE)) in graph
    jsonld = server.fresh.get(
        server.url + "/id/codesocial/ouishare/v1", headers={"Accept": "application/ld+json"}
    )
    assert isomorphic(parse_graph(jsonld.content, "json-ld"), graph)

    draft = page(server, "/id/codesocial/ouishare")
    assert draft.select_one(".draft-notice")
    assert [a.get_text() for a in draft.select("ul.versions a")] == ["Version 1"]

    compare = page(server, "/id/codesocial/ouishare/compare?from=1&to=draft")
    assert compare.select_one("p.summary").get_text() == "Both say exactly the same."
    history = page(server, "/id/codesocial/ouishare/history")
    assert [li["class"] for li in history.select("ol.audit li")] == [["publication"]]
    index = page(server, "/codesocial")
    assert {li["data-slug"] for li in index.select("li[data-slug]")} == {
        "ouishare",
        "commons-to-commons",
    }


def test_unknown_versions_are_not_found(site: tuple[InProcess, str, str]) -> None:
    """Nothing published yet: no version, no latest; an unknown slug is 404 too."""
    server, _, _ = site
    for path in (
        "/id/codesocial/ouishare/v1",
        "/id/codesocial/ouishare/latest",
        "/id/codesocial/nope",
    ):
        response = server.fresh.get(server.url + path, headers={"Accept": "application/json"})
        assert response.status_code == 404
        assert response.json()["ok"] is False
