"""Imported data is credited where it is shown: its organisations' pages, the list and search
pages listing them, and the VoID."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef

from commons_graph.config import Settings
from commons_graph.importing import DatasetDescription, import_standard_csv, organisation_iri
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.inprocess import InProcess, in_process

FIXTURES = Path(__file__).parent / "fixtures"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
ATTRIBUTION = "Contains data from the fixture publisher"
VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """A server on a store holding the seed and one import, made by the importer itself."""
    location = tmp_path_factory.mktemp("credits") / "store"
    with EmbeddedStore(location) as store:
        initialise(store)
        description = DatasetDescription("fixture", ODC_BY, ATTRIBUTION)
        import_standard_csv(store, FIXTURES / "iri-codes.csv", description)
    with in_process(Settings(store=str(location))) as live:
        yield live


def test_an_imported_organisation_page_shows_the_licence_and_attribution(
    server: InProcess,
) -> None:
    path = organisation_iri("fixture", "T001").value.removeprefix("https://w3id.org/commons-graph")
    for lang in ("en", "fr"):
        page = server.fresh.get(f"{server.url}{path}?lang={lang}", headers={"Accept": "text/html"})
        assert page.status_code == 200
        source = BeautifulSoup(page.text, "html.parser").select_one(".sources li")
        assert source is not None, lang
        assert source.select_one('a[rel="license"]')["href"] == ODC_BY
        assert ATTRIBUTION in source.select_one(".attribution").get_text()


def _credits(html: str) -> list[tuple[str, str]]:
    """The (licence, attribution) pairs a page's sources section shows."""
    return [
        (item.select_one('a[rel="license"]')["href"], item.select_one(".attribution").get_text())
        for item in BeautifulSoup(html, "html.parser").select(".sources li")
    ]


@pytest.mark.parametrize(
    "path", ["/organisations?lang=en", "/organisations?lang=fr", "/search?q=Riverside"]
)
def test_list_and_search_pages_showing_imported_organisations_credit_them(
    server: InProcess, path: str
) -> None:
    page = server.fresh.get(f"{server.url}{path}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Riverside Bakery" in page.text
    assert [(licence, ATTRIBUTION in text) for licence, text in _credits(page.text)] == [
        (ODC_BY, True)
    ]


def test_pages_without_imported_data_credit_nothing(server: InProcess) -> None:
    page = server.fresh.get(f"{server.url}/search?q=Ouishare", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Ouishare" in page.text
    assert _credits(page.text) == []


def test_the_void_lists_the_import_with_its_licence_and_attribution(server: InProcess) -> None:
    response = server.fresh.get(f"{server.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef("https://w3id.org/commons-graph/id/dataset/fixture")
    assert (None, URIRef(VOID + "subset"), dataset) in void
    assert (dataset, URIRef("http://purl.org/dc/terms/license"), URIRef(ODC_BY)) in void
    credit = URIRef("http://creativecommons.org/ns#attributionName")
    assert (dataset, credit, Literal(ATTRIBUTION)) in void
