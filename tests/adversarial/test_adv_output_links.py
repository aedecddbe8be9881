"""Stored links never run script: a contributed or imported IRI with another scheme than
http, https or mailto is shown as text on every page, never as a link (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from tests.helpers.inprocess import InProcess, in_process

BASE = "https://w3id.org/commons-graph/"
OUISHARE = BASE + "id/organisation/ouishare"
FIXTURES = Path(__file__).parents[1] / "importing" / "fixtures"
# What a hostile member or data provider may state; each is a valid absolute IRI.
HOSTILE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
HARMLESS = ["https://example.org/ouishare", "mailto:hello@example.org"]
LINKABLE = {"", "http", "https", "mailto"}
# Attributes whose value a browser follows or loads.
URL_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "form": "action", "img": "src",
                  "script": "src", "iframe": "src"}  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """A store holding a contribution and an import that state hostile IRIs."""
    folder = tmp_path_factory.mktemp("links")
    settings = Settings(store=str(folder / "store"), accounts=str(folder / "accounts.sqlite"))
    assert CliRunner().invoke(main, ["--store", settings.store, "init"]).exit_code == 0
    imported = CliRunner().invoke(
        main,
        ["--store", settings.store, "import", "standard-csv", str(FIXTURES / "iri-codes.csv"),
         "--dataset", "hostile", "--licence", HOSTILE[0], "--attribution", "Hostile Co"],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    token = Accounts.from_settings(settings).add_member("Ana", OUISHARE)[1]
    see_also = ", ".join(f"<{iri}>" for iri in HOSTILE + HARMLESS)
    turtle = f"<{OUISHARE}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> {see_also} ."
    with in_process(settings) as started:
        response = started.request(
            "POST",
            "/contributions",
            content=turtle.encode(),
            headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.text
        started.location = response.headers["location"]  # type: ignore[attr-defined]
        yield started


def page(app: InProcess, path: str) -> BeautifulSoup:
    response = app.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.text[:300])
    return BeautifulSoup(response.text, "lxml")


def followed_urls(soup: BeautifulSoup) -> list[str]:
    """Every URL of the page a browser would follow or load."""
    return [
        str(element[attribute])
        for tag, attribute in URL_ATTRIBUTES.items()
        for element in soup.find_all(tag)
        if element.has_attr(attribute)
    ]


def imported_organisation(app: InProcess) -> str:
    """The path of an organisation the hostile import brought."""
    query = (
        "SELECT ?o { GRAPH ?g { ?o a <http://www.w3.org/ns/org#Organization> } "
        f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/dataset/")) }} LIMIT 1'
    )
    response = app.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    iri = response.json()["results"]["bindings"][0]["o"]["value"]
    assert iri.startswith(BASE)
    return "/" + iri[len(BASE) :]


def test_no_page_links_to_another_scheme(app: InProcess) -> None:
    sample = imported_organisation(app)
    paths = [
        "/id/organisation/ouishare",
        "/organisations",
        "/.well-known/void",
        sample,
        "/search?q=" + quote("Ouishare"),
        "/history?resource=" + quote(OUISHARE),
        app.location,  # type: ignore[attr-defined]
    ]
    for path in paths:
        urls = followed_urls(page(app, path))
        assert urls, path
        bad = [url for url in urls if urlsplit(url).scheme.lower() not in LINKABLE]
        assert bad == [], (path, bad)
        assert not [url for url in urls if url.lstrip().lower().startswith(("javascript", "data"))]


def test_hostile_iris_are_shown_as_text_and_good_ones_as_links(app: InProcess) -> None:
    soup = page(app, "/id/organisation/ouishare")
    links = {str(a["href"]) for a in soup.find_all("a", href=True)}
    assert set(HARMLESS) <= links
    shown = {span.get_text() for span in soup.select("span.unlinked-iri")}
    assert set(HOSTILE) <= shown


def test_an_imported_licence_with_another_scheme_is_text(app: InProcess) -> None:
    for path in ("/.well-known/void", imported_organisation(app)):
        soup = page(app, path)
        assert HOSTILE[0] not in {str(a["href"]) for a in soup.find_all("a", href=True)}
        assert HOSTILE[0] in {span.get_text() for span in soup.select("span.unlinked-iri")}, path
