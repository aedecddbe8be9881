"""Facets on every dimension and exports of any list, over real HTTP, on the seed plus a slice of
the Co-operatives UK file brought in by the real importer (and a real Chromium for the links)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from rdflib import URIRef

from commons_graph.config import Settings
from commons_graph.places import country_code, postcode_area, tidy_name
from commons_graph.store.changes import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from commons_graph.views.exports import safe_cell
from commons_graph.views.facet_values import NORMALISERS
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index
from tests.helpers import http as fetch
from tests.helpers.coops_slice import ATTRIBUTION, ODC_BY, import_slice
from tests.helpers.live import LiveServer
from tests.helpers.pages import parse_graph

SLICE = 300
HOSTILE = "https://w3id.org/commons-graph/id/organisation/formula-test"
HOSTILE_LABEL = '=HYPERLINK("http://127.0.0.1/x","click")'
ESS = "http://purl.org/essglobal/vocab/"
SCHEMA = "https://schema.org/"
# Every dimension the seed plus the slice has data for (qualifiers: the file has none; they
# appear when data has them).
PRESENT = (
    "kind", "activity", "sector", "structure", "membership", "legal_form", "industry",
    "ownership", "value", "theme", "topic",
    "dataset", "country", "nation", "region", "locality", "postcode_area",
)  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, object]]]:
    """The seed, the first rows of the Co-operatives UK file and one organisation whose name is
    a spreadsheet formula, served over real HTTP."""
    folder = tmp_path_factory.mktemp("facets")
    location = folder / "store"
    with EmbeddedStore(location) as store:
        initialise(store)
        rows = import_slice(store, folder, SLICE)
        graph = ox.NamedNode("https://w3id.org/commons-graph/graph/test")
        subject = ox.NamedNode(HOSTILE)
        store.commit(
            ChangeSet(
                insert=[
                    ox.Quad(subject, ox.NamedNode(ox.NamedNode(
                        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type").value),
                        ox.NamedNode("http://www.w3.org/ns/org#Organization"), graph),
                    ox.Quad(subject, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                            ox.Literal(HOSTILE_LABEL), graph),
                    # A legal form written as words (as an importer may write it): the
                    # dimension is defined by its property, so it flows into the facet.
                    ox.Quad(subject, ox.NamedNode(ESS + "legalForm"),
                            ox.Literal("community  benefit society", language="en"), graph),
                ]
            )
        )  # fmt: skip
        missed = dict(list_index(store, KINDS["organisations"]).unnormalised)
    with LiveServer(Settings(store=str(location))) as live:
        yield live.url, {"unnormalised": missed, "rows": rows}


def _get(server: tuple[str, object], path: str, accept: str = "text/html") -> httpx.Response:
    return fetch.get(server[0] + path, headers={"Accept": accept}, timeout=60)


def _soup(server: tuple[str, object], path: str) -> BeautifulSoup:
    response = _get(server, path)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "lxml")


def _facet_values(soup: BeautifulSoup, name: str) -> dict[str, tuple[str, int, bool]]:
    """IRI -> (label, count, selected) of the values of facet `name` on a page."""
    found = {}
    for link in soup.select(f'[data-facet="{name}"] a'):
        query = dict(parse_qsl(urlsplit(link["href"]).query))
        text = link.get_text(" ", strip=True)
        label, _, count = text.rpartition(" (")
        selected = link.get("aria-current") == "true"
        iri = query.get(name)
        if selected:  # the link removes it: the value is the one not left in the URL
            iri = None
        found[iri or label] = (label, int(count.split(")")[0]), selected)
    return found


def _listed(server: tuple[str, object], path: str) -> list[str]:
    """Every IRI a list shows, walking all its pages."""
    seen: list[str] = []
    next_path: str | None = path + ("&" if "?" in path else "?") + "per_page=200"
    for _ in range(100):
        if next_path is None:
            break
        soup = _soup(server, next_path)
        seen += [a["href"] for a in soup.select("ul.items > li > a")]
        following = soup.select_one('.pager a[rel="next"]')
        next_path = following["href"] if following else None
    return ["https://w3id.org/commons-graph" + s if s.startswith("/") else s for s in seen]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_dimension_of_the_imported_data_is_a_counted_facet(
    server: tuple[str, object], lang: str
) -> None:
    soup = _soup(server, f"/organisations?lang={lang}")
    headings = {}
    for name in PRESENT:
        section = soup.select_one(f'[data-facet="{name}"]')
        assert section is not None, name
        headings[name] = section.select_one("h3").get_text()
        values = _facet_values(soup, name)
        assert values and all(count > 0 for _, count, _ in values.values()), name
    if lang == "fr":
        assert headings["region"] == "Région" and headings["postcode_area"] == "Zone postale"
    else:
        assert headings["activity"] == "Activity (ESSGlobal)"
    country = _facet_values(soup, "country")
    assert ("Royaume-Uni" if lang == "fr" else "United Kingdom") in {
        label for label, _, _ in country.values()
    }


def _sparql(server: tuple[str, object], query: str) -> list[dict[str, str]]:
    response = fetch.post(
        server[0] + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return [
        {k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]
    ]


def test_facets_combine_or_within_and_across_with_consistent_counts(
    server: tuple[str, object],
) -> None:
    soup = _soup(server, "/organisations?lang=en")
    activities = sorted(_facet_values(soup, "activity").items(), key=lambda kv: -kv[1][1])
    (a1, (_, n1, _)), (a2, (_, n2, _)) = activities[0], activities[1]
    # OR within a facet: the two values together give the holders of either.
    both = _listed(server, f"/organisations?activity={a1}&activity={a2}")
    holders = {
        row["s"]
        for row in _sparql(
            server,
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?a {{ <{a1}> <{a2}> }} "
            f"?s <{ESS}economicSector> ?a }}",
        )
    }
    assert set(both) == holders and len(both) == len(holders) <= n1 + n2
    # AND across facets: and in this postcode area.
    area_soup = _soup(server, f"/organisations?activity={a1}&activity={a2}")
    areas = _facet_values(area_soup, "postcode_area")
    area_iri, (_, count, _) = max(areas.items(), key=lambda kv: kv[1][1])
    area = area_iri.rsplit("/", 1)[1]
    narrowed = _listed(
        server, f"/organisations?activity={a1}&activity={a2}&postcode_area={area_iri}"
    )
    coded = {
        row["s"]
        for row in _sparql(
            server, f"SELECT ?s ?p WHERE {{ ?s <{SCHEMA}address>/<{SCHEMA}postalCode> ?p }}"
        )
        if postcode_area(row["p"]) == area
    }
    assert set(narrowed) == holders & coded and len(narrowed) == count
    # The selected values are marked, and their counts say what each adds.
    page = _soup(server, f"/organisations?activity={a1}&activity={a2}&postcode_area={area_iri}")
    assert page.select('[data-facet="activity"] a[aria-current="true"]').__len__() == 2
    assert f"{len(narrowed)} " in page.select_one("#results").get_text() or len(narrowed) <= 50


def test_places_are_normalised_and_what_is_not_is_counted(server: tuple[str, object]) -> None:
    assert tidy_name("Bristol, City of") == "City of Bristol"
    assert tidy_name("  NEWCASTLE UPON   TYNE ") == "Newcastle upon Tyne"
    assert tidy_name("Rhondda, Cynon, Taf") == "Rhondda Cynon Taf"
    assert postcode_area("M60 0AG") == "M" and postcode_area("sl71re") == "SL"
    assert postcode_area("75011") is None and postcode_area("75011", "FR") is None
    # The nation from the postcode's area; an area across a border gives none.
    assert NORMALISERS["nation"]("nation", "EH1 1AA", "")[1]["fr"] == "Écosse"  # type: ignore[index]
    assert NORMALISERS["nation"]("nation", "SY23 1AA", "") is None
    assert NORMALISERS["postcode_area"]("postcode_area", "bs1 4dj", "")[1] == {"": "BS (Bristol)"}  # type: ignore[index]
    assert country_code(" uk ") == "GB" and country_code("France") is None
    # Over the slice: every postcode is a UK one (an area each), and the facet's labels are
    # the normalised names.
    soup = _soup(server, "/organisations?lang=en")
    regions = {label for label, _, _ in _facet_values(soup, "region").values()}
    assert not any(label.endswith(", City of") for label in regions)


GB = "https%3A%2F%2Fw3id.org%2Fcommons-graph%2Fid%2Fplace%2Fcountry%2FGB"
FILTERED = f"/organisations?lang=en&country={GB}"


def _export(server: tuple[str, object], fmt: str, path: str = FILTERED) -> httpx.Response:
    response = _get(server, f"{path}&format={fmt}")
    assert response.status_code == 200, response.text
    return response


def test_every_export_format_gives_the_rows_of_the_list_with_its_filters(
    server: tuple[str, object],
) -> None:
    expected = _listed(server, FILTERED)
    assert len(expected) == SLICE
    rows = list(csv.DictReader(io.StringIO(_export(server, "csv").text)))
    assert [row["iri"] for row in rows] == expected
    assert {"iri", "label", "kind", "kind_iri", "region", "region_iri", "activity_iri"} <= set(
        rows[0]
    )
    items = json.loads(_export(server, "json").text)
    assert [item["iri"] for item in items["items"]] == expected
    assert items["total"] == SLICE and items["licences"][0]["licence"] == ODC_BY
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        graph = parse_graph(_export(server, fmt).content, parser)
        subjects = set(graph.subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
        assert {str(s) for s in subjects} == set(expected), fmt


@pytest.mark.parametrize("fmt", ["csv", "json", "ttl", "jsonld"])
def test_exports_carry_the_licences_and_attributions(server: tuple[str, object], fmt: str) -> None:
    response = _export(server, fmt)
    assert f'<{ODC_BY}>; rel="license"' in response.headers["link"]
    assert ATTRIBUTION in response.headers["attribution"]
    described = response.headers["link"].split('; rel="describedby"')[0].rsplit("<", 1)[1]
    meta = _get(server, described.removesuffix(">"))
    assert meta.json()["licences"][0] == {
        "licence": ODC_BY,
        "attribution": ATTRIBUTION,
        "dataset": "https://w3id.org/commons-graph/id/dataset/coops-uk",
        "title": "Co-operatives UK",
    }
    # Not in the rows.
    assert ATTRIBUTION not in response.text.split("\n", 1)[0] or fmt != "csv"


def test_an_unfiltered_export_also_names_the_site_licence(server: tuple[str, object]) -> None:
    response = _get(server, "/organisations?format=csv")
    assert "creativecommons.org/licenses/by/4.0" in response.headers["link"]
    assert ODC_BY in response.headers["link"]


def test_csv_cells_cannot_run_as_formulas(server: tuple[str, object]) -> None:
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-2") == "'-2" and safe_cell("@a") == "'@a"
    assert safe_cell("+3") == "'+3" and safe_cell("Plain") == "Plain"
    rows = list(csv.DictReader(io.StringIO(_get(server, "/organisations?format=csv").text)))
    row = next(r for r in rows if r["iri"] == HOSTILE)
    assert row["label"] == "'" + HOSTILE_LABEL
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values() if cell
    )


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/csv", "text/csv"),
        ("application/json", "application/json"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("text/html", "text/html"),
    ],
)
def test_exports_are_negotiated_by_accept(
    server: tuple[str, object], accept: str, media: str
) -> None:
    response = _get(server, "/topics", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Accept" in response.headers.get("vary", "")


@pytest.mark.parametrize(
    "query",
    [
        "nosuchfacet=https://example.org/x",
        "region=not%20an%20iri",
        "&".join(f"region=https://example.org/{n}" for n in range(1000)),
        "region=https://example.org/" + "x" * 5000,
        "format=xlsx",
    ],
)
def test_hostile_filters_are_a_400_in_the_one_error_shape(
    server: tuple[str, object], query: str
) -> None:
    response = fetch.get(
        f"{server[0]}/organisations?{query}", headers={"Accept": "application/json"}, timeout=60
    )
    assert response.status_code == 400, response.text[:200]
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and body["errors"][0]["message"]


@pytest.mark.parametrize("how", ["format", "accept"])
def test_a_list_as_geojson_is_its_map_data_with_the_same_filters(
    server: tuple[str, object], how: str
) -> None:
    expected = set(_listed(server, FILTERED))
    if how == "format":
        response = _get(server, FILTERED + "&format=geojson")
    else:
        response = _get(server, FILTERED, accept="application/geo+json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    features = response.json()["features"]
    located = {f["properties"]["iri"] for f in features}
    assert located and located <= expected
    assert located == {
        f["properties"]["iri"]
        for f in _get(server, "/organisations.geojson?" + FILTERED.split("?", 1)[1]).json()[
            "features"
        ]
    }
    assert f'<{ODC_BY}>; rel="license"' in response.headers["link"]


def test_the_list_page_links_to_its_exports_keeping_filters(server: tuple[str, object]) -> None:
    soup = _soup(server, FILTERED)
    links = {a["data-export"]: a["href"] for a in soup.select("p.exports a")}
    assert set(links) == {"CSV", "JSON", "Turtle", "JSON-LD", "GeoJSON"}
    assert all("country=" in href for href in links.values())
    alternates = {link["type"] for link in soup.select('link[rel="alternate"][type]')}
    assert {"text/csv", "application/json", "text/turtle", "application/ld+json"} <= alternates


@pytest.mark.browser
def test_a_browser_clicks_a_facet_then_an_export(
    server: tuple[str, object], chromium: object
) -> None:
    context = chromium.new_context(locale="en-GB", accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server[0] + "/organisations?lang=en")
    # The facet is folded (<details>): a click on its heading opens it, no script needed.
    page.locator('[data-facet="postcode_area"] summary').click()
    link = page.locator('[data-facet="postcode_area"] a').first
    label = link.inner_text().rsplit(" (", 1)
    count = int(label[1].rstrip(")"))
    with page.expect_navigation():
        link.click()
    assert "postcode_area=" in page.url
    assert page.locator('[data-facet="postcode_area"] a[aria-current="true"]').count() == 1
    href = page.locator('p.exports a[data-export="CSV"]').get_attribute("href")
    assert href and "postcode_area=" in href
    response = page.request.get(server[0] + href)
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == count
    context.close()


def test_the_index_counts_what_it_could_not_normalise(server: tuple[str, object]) -> None:
    assert NORMALISERS["locality"]("locality", "12", "") is None
    assert NORMALISERS["postcode_area"]("postcode_area", "not a postcode", "") is None
    # The index's count of cells it could not normalise is the normalisers' verdict on the
    # file's own cells (the importer keeps every non-empty cell, tidied).
    state = server[1]
    assert isinstance(state, dict)
    rows = state["rows"]
    header = [h.strip().lower() for h in rows[0]]
    expected = {}
    for name, column in (("postcode_area", "postcode"), ("nation", "postcode"),
                         ("region", "region"), ("locality", "locality")):  # fmt: skip
        at = header.index(column)
        cells = [row[at].strip() for row in rows[1:] if row[at].strip()]
        expected[name] = sum(1 for c in cells if NORMALISERS[name](name, c, "") is None)
    missed = state["unnormalised"]
    assert {name: missed[name] for name in expected} == expected


def test_head_of_an_export_gives_its_headers_without_a_body(server: tuple[str, object]) -> None:
    response = fetch.head(f"{server[0]}{FILTERED}&format=csv", timeout=60)
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/csv")
    assert f'<{ODC_BY}>; rel="license"' in response.headers["link"]


def test_paging_keeps_every_value_of_a_facet(server: tuple[str, object]) -> None:
    soup = _soup(server, "/organisations?lang=en")
    first, second = list(_facet_values(soup, "activity"))[:2]
    page = _soup(server, f"/organisations?activity={first}&activity={second}&per_page=5")
    following = page.select_one('.pager a[rel="next"]')["href"]
    kept = [v for k, v in parse_qsl(urlsplit(following).query) if k == "activity"]
    assert sorted(kept) == sorted([first, second])


def test_data_written_later_under_a_dimension_s_property_becomes_a_facet(
    server: tuple[str, object],
) -> None:
    soup = _soup(server, "/organisations?lang=en")
    legal = _facet_values(soup, "legal_form")
    # The importer's own legal forms (IRIs of the shipped scheme) and the one written as words.
    words = "https://w3id.org/commons-graph/id/facet/legal_form/community-benefit-society"
    assert ("Community Benefit Society", 1) in [(label, n) for label, n, _ in legal.values()]
    assert len(legal) > 1
    iri = words
    assert _listed(server, f"/organisations?legal_form={iri}") == [HOSTILE]


def test_csv_labels_are_the_labels_the_page_shows(server: tuple[str, object]) -> None:
    for lang in ("en", "fr"):
        soup = _soup(server, f"/organisations?lang={lang}&per_page=200")
        shown = [a.get_text() for a in soup.select("ul.items > li > a")]
        response = _get(server, f"/organisations?lang={lang}&format=csv")
        labels = [
            row["label"].removeprefix("'") for row in csv.DictReader(io.StringIO(response.text))
        ]
        assert labels[: len(shown)] == shown


def test_a_region_gives_the_nation_a_cross_border_postcode_cannot() -> None:
    from commons_graph.places.inference import infer_nations

    england, wales = ("england",), ("wales",)
    nations = {"a": england, "b": england, "c": england, "d": wales, "e": england}
    regions = {
        **{m: ("shropshire",) for m in ("a", "b", "c", "x")},  # x: SY postcode, no nation
        "d": ("mixed",),
        "e": ("mixed",),
        "y": ("mixed",),  # the data disagrees: no nation
        "z": ("thin",),  # no evidence at all
    }
    assert infer_nations(nations, regions) == {"x": england}
