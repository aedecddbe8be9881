"""/search with the list pages' facets and exports, in process, on the seed plus a slice of the
Co-operatives UK file brought in by the real importer: multi-valued facets (OR within, AND
across) counted as a list counts them, the same names and labels as the list page, every export
format of a search in rank order with its filters, licences, and hostile parameters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from rdflib import URIRef

from commons_graph.config import Settings
from commons_graph.search.index import MAX_MATCHES
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.coops_slice import ATTRIBUTION, ODC_BY, import_slice
from tests.helpers.inprocess import in_process
from tests.helpers.pages import parse_graph
from tests.web.test_list_facets_exports import _facet_values

# Enough co-operatives for several values in each facet, few enough to stay quick.
SLICE = 150
QUERY = "society"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SITE_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The seed and the first rows of the Co-operatives UK file, served in process."""
    folder = tmp_path_factory.mktemp("search-facets")
    location = folder / "store"
    with EmbeddedStore(location) as store:
        initialise(store)
        import_slice(store, folder, SLICE)
    with in_process(Settings(store=str(location), cache_bytes=0)) as app:
        yield app.http


def _get(http: httpx.Client, path: str, accept: str = "text/html") -> httpx.Response:
    response = http.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.text[:300]
    return response


def _soup(http: httpx.Client, path: str) -> BeautifulSoup:
    return BeautifulSoup(_get(http, path).text, "lxml")


def _path(*pairs: tuple[str, str], **more: str) -> str:
    return "/search?" + urlencode([("q", QUERY), *pairs, *more.items()])


def _items(http: httpx.Client, *pairs: tuple[str, str]) -> list[dict[str, object]]:
    """The JSON export of the search with `pairs` as filters: every hit, in rank order."""
    body = json.loads(_get(http, _path(*pairs, format="json")).text)
    assert body["total"] == len(body["items"])
    return list(body["items"])


def _values(item: dict[str, object], name: str) -> set[str]:
    found = item[name]
    assert isinstance(found, list)
    return {value["iri"] for value in found}


def _two_values(http: httpx.Client, name: str) -> tuple[str, str]:
    """The two most frequent values of facet `name` among the hits."""
    counts = _facet_values(_soup(http, _path()), name)
    first, second = sorted(counts, key=lambda iri: -counts[iri][1])[:2]
    return first, second


def test_several_values_of_a_facet_are_any_and_several_facets_all(http: httpx.Client) -> None:
    every = _items(http)
    england, scotland = _two_values(http, "nation")
    activity, _ = _two_values(http, "activity")
    either = _items(http, ("nation", england), ("nation", scotland))
    expected = [item["iri"] for item in every if _values(item, "nation") & {england, scotland}]
    assert [item["iri"] for item in either] == expected
    assert 0 < len(either) < len(every)
    both = _items(http, ("nation", england), ("nation", scotland), ("activity", activity))
    assert [item["iri"] for item in both] == [
        item["iri"] for item in either if activity in _values(item, "activity")
    ]
    # The page shows the same hits, in the same order, and says how many there are.
    page = _soup(http, _path(("nation", england), ("nation", scotland), ("activity", activity)))
    shown = [li["data-iri"] for li in page.select("ul.search-hits > li")]
    assert shown == [item["iri"] for item in both][: len(shown)]


def test_each_facet_is_counted_over_the_hits_passing_the_other_facets(
    http: httpx.Client,
) -> None:
    england, scotland = _two_values(http, "nation")
    activity, _ = _two_values(http, "activity")
    page = _soup(http, _path(("nation", england), ("activity", activity)))
    nations = _facet_values(page, "nation")
    activities = _facet_values(page, "activity")
    # A nation's count: the hits of the activity with it (what choosing it would add).
    with_activity = _items(http, ("activity", activity))
    assert nations[scotland][1] == sum(scotland in _values(i, "nation") for i in with_activity)
    # The chosen values (keyed by label: their links remove them) are counted the same way.
    in_england = _items(http, ("nation", england))
    (chosen,) = [count for _, count, selected in activities.values() if selected]
    assert chosen == sum(activity in _values(i, "activity") for i in in_england)
    assert [selected for _, _, selected in nations.values()].count(True) == 1
    # An activity's count: the hits in England with it.
    for iri, (_, count, selected) in activities.items():
        if not selected:
            assert count == sum(iri in _values(i, "activity") for i in in_england), iri
    # The list kinds are a facet too, and combine with the others.
    kinds = _facet_values(page, "list")
    assert kinds["organisations"][1] == len(
        _items(http, ("nation", england), ("activity", activity))
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_facets_are_the_list_page_s_with_the_same_labels(http: httpx.Client, lang: str) -> None:
    england, _ = _two_values(http, "nation")
    search = _soup(http, _path(("nation", england), ("list", "organisations"), lang=lang))
    listing = _soup(http, "/organisations?" + urlencode([("nation", england), ("lang", lang)]))

    def headings(soup: BeautifulSoup) -> dict[str, str]:
        return {
            d["data-facet"]: d.select_one("summary h3").get_text(strip=True)
            for d in soup.select("aside.facets details.facet")
        }

    searched, listed = headings(search), headings(listing)
    assert searched.pop("list") == ("Kind of resource" if lang == "en" else "Type de ressource")
    assert searched and set(searched) <= set(listed)
    assert all(searched[name] == listed[name] for name in searched)
    assert (
        search.select_one(".facet-help").get_text() == listing.select_one(".facet-help").get_text()
    )
    for name in searched:
        mine, theirs = _facet_values(search, name), _facet_values(listing, name)
        for iri in set(mine) & set(theirs):
            assert mine[iri][0] == theirs[iri][0], (name, iri)
            # Every hit here is an organisation in England: the counts are the list's too.
            assert mine[iri][1] <= theirs[iri][1], (name, iri)


def test_every_export_format_gives_the_hits_in_rank_order_with_the_filters(
    http: httpx.Client,
) -> None:
    england, scotland = _two_values(http, "nation")
    filters = (("nation", england), ("nation", scotland))
    items = _items(http, *filters)
    expected = [str(item["iri"]) for item in items]
    page = _soup(http, _path(*filters))
    assert [li["data-iri"] for li in page.select("ul.search-hits > li")] == expected[:50]
    rows = list(csv.DictReader(io.StringIO(_get(http, _path(*filters, format="csv")).text)))
    assert [row["iri"] for row in rows] == expected
    assert {"iri", "label", "kind", "kind_iri", "nation", "nation_iri"} <= set(rows[0])
    assert all(england in row["nation_iri"] or scotland in row["nation_iri"] for row in rows)
    nt = _get(http, _path(*filters, format="nt")).text
    subjects = [line.split(" ", 1)[0][1:-1] for line in nt.splitlines() if line]
    assert [s for s in dict.fromkeys(subjects) if s in set(expected)] == expected
    jsonld = json.loads(_get(http, _path(*filters, format="jsonld")).text)
    assert [node["@id"] for node in jsonld["@graph"] if node["@id"] in set(expected)] == expected
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        graph = parse_graph(_get(http, _path(*filters, format=fmt)).content, parser)
        assert {str(s) for s in graph.subjects(RDFS_LABEL, None)} == set(expected), fmt
    geojson = _get(http, _path(*filters, format="geojson")).json()
    located = [f["properties"]["iri"] for f in geojson["features"]]
    assert located and located == [iri for iri in expected if iri in set(located)]


@pytest.mark.parametrize("fmt", ["csv", "json", "ttl", "nt", "jsonld", "geojson"])
def test_search_exports_carry_the_licences(http: httpx.Client, fmt: str) -> None:
    response = _get(http, _path(("list", "organisations"), format=fmt))
    assert f'<{ODC_BY}>; rel="license"' in response.headers["link"]
    assert ATTRIBUTION in response.headers["attribution"]
    assert response.headers["content-disposition"].startswith('inline; filename="search.')


def test_the_side_channel_says_the_query_filters_licences_and_cap(http: httpx.Client) -> None:
    response = _get(http, _path(("list", "organisations"), format="csv"))
    described = response.headers["link"].split('; rel="describedby"')[0].rsplit("<", 1)[1]
    query = dict(parse_qsl(urlsplit(described.removesuffix(">")).query))
    assert query["q"] == QUERY and query["meta"] == "1" and query["list"] == "organisations"
    meta = _get(http, described.removesuffix(">")).json()
    assert meta["query"] == QUERY and meta["filters"] == {"list": ["organisations"]}
    assert meta["capped"] is False and meta["max_matches"] == MAX_MATCHES
    assert meta["total"] == len(list(csv.DictReader(io.StringIO(response.text))))
    assert meta["licences"][0]["licence"] == ODC_BY
    # Hits that are not imported (the seed's) are under the site's licence, named too.
    everything = _get(http, _path(format="json"))
    assert SITE_LICENCE in everything.headers["link"]


@pytest.mark.parametrize(
    "media",
    ["text/csv", "application/json", "text/turtle", "application/ld+json", "application/geo+json"],
)
def test_search_exports_are_negotiated_by_accept(http: httpx.Client, media: str) -> None:
    response = _get(http, _path(), accept=f"{media}, text/html;q=0.5")
    assert response.headers["content-type"].startswith(media)
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    page = _get(http, _path(), accept="text/html")
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers.get("vary", "")


def test_the_search_page_links_to_its_exports_keeping_query_and_filters(
    http: httpx.Client,
) -> None:
    england, _ = _two_values(http, "nation")
    soup = _soup(http, _path(("nation", england), offset="50"))
    links = {a["data-export"]: a["href"] for a in soup.select("p.exports a")}
    assert set(links) == {"CSV", "JSON", "Turtle", "JSON-LD", "GeoJSON"}
    for href in links.values():
        query = parse_qsl(urlsplit(href).query)
        assert ("q", QUERY) in query and ("nation", england) in query
        assert "offset" not in dict(query)
    alternates = {link["type"] for link in soup.select('link[rel="alternate"][type]')}
    assert {"text/csv", "application/json", "text/turtle", "application/geo+json"} <= alternates
    # A facet link goes back to the first page of hits.
    assert all("offset=" not in a["href"] for a in soup.select("aside.facets a"))


@pytest.mark.parametrize(
    "query",
    [
        "nosuchfacet=https://example.org/x",
        "nation=not%20an%20iri",
        "list=nosuchlist",
        "&".join(f"nation=https://example.org/{n}" for n in range(1000)),
        "&".join(f"list=organisations{n}" for n in range(100)),
        "nation=https://example.org/" + "x" * 5000,
        "format=xlsx",
    ],
)
@pytest.mark.parametrize("fmt", ["", "&format=csv"])
def test_hostile_search_parameters_are_a_400_in_the_one_error_shape(
    http: httpx.Client, query: str, fmt: str
) -> None:
    response = http.get(f"/search?q={QUERY}{fmt}&{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400, response.text[:200]
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and body["errors"][0]["message"]


def test_an_export_stops_at_the_cap_on_matches_and_says_so(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cap is 500; this slice has fewer hits: a cap of 20 shows the same behaviour.
    monkeypatch.setattr("commons_graph.search.index.MAX_MATCHES", 20)
    monkeypatch.setattr("commons_graph.views.search.MAX_MATCHES", 20)
    monkeypatch.setattr("commons_graph.web.routes.search.MAX_MATCHES", 20)
    body = json.loads(_get(http, _path(format="json")).text)
    assert body["capped"] is True and body["max_matches"] == 20
    assert len(body["items"]) == body["total"] == 20
    rows = list(csv.DictReader(io.StringIO(_get(http, _path(format="csv")).text)))
    assert [row["iri"] for row in rows] == [item["iri"] for item in body["items"]]
    meta = _get(http, _path(format="csv", meta="1")).json()
    assert meta["capped"] is True and meta["total"] == 20
    # The page counts every match, and says its exports hold the best 20.
    page = _soup(http, _path(lang="fr"))
    assert "(au plus les 20 meilleurs résultats)" in page.select_one("p.exports").get_text()


def test_head_of_a_search_export_gives_its_headers_without_a_body(http: httpx.Client) -> None:
    response = http.head(_path(format="csv"))
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/csv")
    assert f'<{ODC_BY}>; rel="license"' in response.headers["link"]
