"""Every page speaks human, on the seed plus a small import of the shipped Co-operatives UK file:
no heading is an IRI in either language, a co-operative's address and geometry are shown inline
and travel with its RDF, and every page lists what links to it, grouped, counted and paged."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from commons_graph.importing import organisation_iri
from commons_graph.views import inbound as inbound_view
from tests.helpers.imports import coop_path, seed_with_coops
from tests.helpers.inprocess import InProcess, in_process
from tests.helpers.pages import parse_graph

SCHEMA = "https://schema.org/"
GEO = "http://www.opengis.net/ont/geosparql#"
OS130 = "http://purl.org/essglobal/standard/organisational-structure/OS130"
STRUCTURE = "http://purl.org/essglobal/vocab/organisationalStructure"
# Pages of one shape ("/id/organisation/…") crawled at most this often, and pages in all.
PER_SHAPE = 4
MAX_PAGES = 90
HEADINGS = "h1, h2, h3, h4, h5, h6, th, dt, .group-title, .part-label, .badge"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The seed and a small import made by the importer itself, served in this process."""
    with in_process(seed_with_coops(tmp_path_factory.mktemp("human"))) as live:
        yield live


def page(server: InProcess, path: str) -> BeautifulSoup:
    """GET an HTML page (each request with fresh cookies) and parse it."""
    response = server.fresh.get(server.url + path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.text, "lxml")


def shape(path: str) -> str:
    """Pages of the same kind: the path with its last segment and query dropped."""
    parts = urlsplit(path)
    if parts.path == "/resource":
        return "/resource"
    return parts.path.rsplit("/", 1)[0] + ("?" if parts.query else "")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_heading_of_any_page_is_an_iri(server: InProcess, lang: str) -> None:
    start = [
        "/",
        "/organisations",
        "/values",
        "/themes",
        "/ontology",
        "/search?q=co",
        coop_path(),
        f"/resource?iri={quote(OS130, safe='')}",
    ]
    queue = deque(start)
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    offenders: list[tuple[str, str]] = []
    skip = re.compile(r"^/(sparql|dump|members|contribute|history|signin|\.well-known|static)")
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        separator = "&" if "?" in path else "?"
        soup = page(server, f"{path}{separator}lang={lang}")
        for element in soup.select(HEADINGS):
            text = element.get_text(" ", strip=True)
            if text.startswith(("http://", "https://")):
                offenders.append((path, text))
        for anchor in soup.select("main a[href^='/']"):
            target = anchor["href"].split("#", 1)[0]
            if not target or skip.match(target) or target in seen:
                continue
            kind = shape(target)
            if shapes.get(kind, 0) < PER_SHAPE:
                shapes[kind] = shapes.get(kind, 0) + 1
                queue.append(target)
    assert not offenders
    assert len(seen) > 30
    # The crawl reached imported co-operatives and pages of ESSGlobal concepts.
    assert any(p.startswith("/id/organisation/coops-uk-") for p in seen)
    assert any(p.startswith("/resource?iri=http%3A%2F%2Fpurl.org%2Fessglobal") for p in seen)


@pytest.mark.parametrize(
    ("lang", "street", "geometry"),
    [("en", "Street address", "Has geometry"), ("fr", "Adresse", "A pour géométrie")],
)
def test_an_imported_cooperative_shows_its_address_and_geometry_inline(
    server: InProcess, lang: str, street: str, geometry: str
) -> None:
    path = coop_path()
    soup = page(server, f"{path}?lang={lang}")
    address = soup.select_one(".part#address")
    assert address is not None
    rows = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in address.select("dt")
    }
    assert rows[street] == "1 Angel Square"
    assert "M60 0AG" in rows.values()
    point = soup.select_one(".part#geometry")
    assert point is not None and "POINT(" in point.get_text()
    assert point.find_parent("section")["data-group"].endswith("hasGeometry")
    assert geometry in point.find_parent("section").select_one("h2").get_text()
    # Nothing links back to the page's own parts.
    assert not soup.select('a[href*="#address"], a[href*="#geometry"]')
    # The structure's French label is empty in ESSGlobal: the English one stands in.
    structure = soup.select_one('section.group[data-group$="organisationalStructure"]')
    assert structure is not None
    assert "Community Benefit Society" in structure.get_text()


@pytest.mark.parametrize(
    ("extension", "rdflib_format"),
    [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")],
)
def test_the_rdf_description_carries_the_hash_parts(
    server: InProcess, extension: str, rdflib_format: str
) -> None:
    iri = organisation_iri("coops-uk", "R000001").value
    response = server.fresh.get(f"{server.url}{coop_path()}.{extension}")
    assert response.status_code == 200
    graph = parse_graph(response.content, rdflib_format)
    address, geometry = URIRef(iri + "#address"), URIRef(iri + "#geometry")
    assert (URIRef(iri), URIRef(SCHEMA + "address"), address) in graph
    assert (address, URIRef(SCHEMA + "streetAddress"), Literal("1 Angel Square")) in graph
    assert (address, URIRef(SCHEMA + "postalCode"), Literal("M60 0AG")) in graph
    wkt = list(graph.objects(geometry, URIRef(GEO + "asWKT")))
    assert len(wkt) == 1 and str(wkt[0]).startswith("POINT(")


def test_inbound_links_are_grouped_counted_and_paged(
    server: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbound_view, "PER_PAGE", 4)
    iri = quote(OS130, safe="")
    soup = page(server, f"/resource?iri={iri}&lang=fr")
    group = soup.select_one(f'.inbound [data-group="{STRUCTURE}"]')
    assert group is not None
    assert group.select_one(".group-title").get_text() == "Organisations ayant cette structure"
    count = int(group["data-count"])
    assert count > 8
    found: list[str] = []
    for _ in range(count):
        links = [a["href"] for a in group.select("ul.links a")]
        assert 0 < len(links) <= 4
        found += links
        following = group.select_one('.pager a[rel="next"]')
        if following is None:
            break
        assert "inbound=" in following["href"] and f"iri={iri}" in following["href"]
        group = page(server, following["href"]).select_one(f'[data-group="{STRUCTURE}"]')
    assert len(found) == len(set(found)) == count
    assert all(href.startswith("/id/organisation/coops-uk-") for href in found)


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=-3", "page=99999999999", "page=0", "inbound=" + "x" * 5000 + "&page=2"],
)
def test_odd_paging_parameters_still_give_the_page(server: InProcess, query: str) -> None:
    soup = page(server, f"/resource?iri={quote(OS130, safe='')}&{query}")
    assert soup.select_one(".inbound") is not None


def test_the_page_of_an_iri_minted_elsewhere_checks_its_parameter(server: InProcess) -> None:
    for bad in ("", "not an iri", "javascript:alert(1)", "http://x/" + "a" * 3000):
        response = server.fresh.get(f"{server.url}/resource", params={"iri": bad})
        assert response.status_code == 400, bad
    unknown = server.fresh.get(f"{server.url}/resource", params={"iri": "https://example.org/x"})
    assert unknown.status_code == 404
    minted = server.fresh.get(
        f"{server.url}/resource",
        params={"iri": "https://w3id.org/commons-graph/id/organisation/ouishare"},
    )
    assert minted.status_code == 303
    assert minted.headers["location"] == "/id/organisation/ouishare"
    turtle = server.fresh.get(
        f"{server.url}/resource", params={"iri": OS130}, headers={"Accept": "text/turtle"}
    )
    assert turtle.status_code == 200
    assert (URIRef(OS130), None, None) in parse_graph(turtle.content, "turtle")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_void_and_ontology_pages_name_classes_and_alignments(
    server: InProcess, lang: str
) -> None:
    void = page(server, f"/.well-known/void?lang={lang}")
    classes = [a.get_text(strip=True) for a in void.select("table td a")]
    assert classes and not [c for c in classes if c.startswith("http")]
    ontology = page(server, f"/ontology?lang={lang}")
    targets = [a.get_text(strip=True) for a in ontology.select("section.term dd a")]
    assert targets and not [t for t in targets if t.startswith("http")]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    iri=st.one_of(
        st.text(max_size=60),
        st.builds(lambda tail: "http://purl.org/essglobal/" + tail, st.text(max_size=40)),
    ),
    inbound=st.text(max_size=40),
    number=st.text(max_size=8),
)
def test_hostile_parameters_never_break_the_page(
    server: InProcess, iri: str, inbound: str, number: str
) -> None:
    response = server.fresh.get(
        f"{server.url}/resource",
        params={"iri": iri, "inbound": inbound, "page": number},
        headers={"Accept": "text/html"},
    )
    assert response.status_code in (200, 303, 400, 404)
    if response.status_code == 200:
        assert "<script" not in response.text.split("</header>", 1)[-1]
