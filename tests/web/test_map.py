"""/map and the lists' GeoJSON (/organisations.geojson ...): valid RFC 7946, the located
organisations of the list with its filters, credited; the map's tiles as set; small maps."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from commons_graph.config import Settings
from commons_graph.geo.cache import answer_cache
from commons_graph.geo.geojson import parse_properties
from commons_graph.geo.points import located_index
from commons_graph.relations.keeper import rebuild
from commons_graph.store import ChangeSet, Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index
from commons_graph.web.geojson_answers import MAP_PROPERTIES, answer_key
from tests.helpers.inprocess import InProcess, in_process
from tests.helpers.maps import (
    COOPS_ATTRIBUTION,
    COOPS_LICENCE,
    COOPS_LOCATED,
    SAMPLE_POINTS,
    WGS84,
    located_quads,
    located_settings,
)
from tests.helpers.pages import (
    CARE,
    CG,
    ECOLOGY,
    OUISHARE,
    SAMPLE_ATTRIBUTION,
    SAMPLE_LICENCE,
    sample_iri,
    sample_quads,
)
from tests.helpers.prepared import index_beside, settings_of_copy

LOCATED_SAMPLES = {sample_iri(2), sample_iri(3), sample_iri(4)}
COOP = "https://w3id.org/commons-graph/id/organisation/coops-uk-r006315"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    """The seed, Co-operatives UK imported, the located sample: served in process."""
    with in_process(located_settings(tmp_path_factory, tmp_path_factory.mktemp("map"))) as started:
        yield started


def features(app: InProcess, query: str = "", **headers: str) -> dict[str, dict[str, object]]:
    """The GeoJSON of the organisations (with `query`), by IRI; checks its shape on the way."""
    response = app.fresh.get("/organisations.geojson" + query, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    found: dict[str, dict[str, object]] = {}
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) == {"iri", "label", "kind", "url"}
        found[feature["properties"]["iri"]] = feature
    assert len(found) == len(collection["features"])
    return found


@pytest.mark.slow  # the first request builds the list and location indexes
def test_the_geojson_holds_every_located_organisation_longitude_first(app: InProcess) -> None:
    found = features(app)
    coops = {iri for iri in found if iri.startswith(COOP.rsplit("-", 1)[0] + "-")}
    assert len(coops) == COOPS_LOCATED
    # The sample's two lat/long points and its WKT-only one; not its invalid ones, not the seed.
    assert set(found) - coops == LOCATED_SAMPLES
    lat, lon = SAMPLE_POINTS[2]
    assert found[sample_iri(2)]["geometry"]["coordinates"] == [lon, lat]  # type: ignore[index]
    assert found[sample_iri(3)]["geometry"]["coordinates"] == [4.8357, 45.764]  # type: ignore[index]
    # Five decimals (1.1 m): the statements keep the file's six.
    assert found[COOP]["geometry"]["coordinates"] == [-6.29537, 49.96603]  # type: ignore[index]
    properties = found[COOP]["properties"]
    assert properties == {  # type: ignore[comparison-overlap]
        "iri": COOP,
        "label": "Isles of Scilly Renewable Energy Co-operative",
        "kind": "organisations",
        "url": "http://testserver/id/organisation/coops-uk-r006315",
    }


def test_labels_are_in_the_language_asked_for(app: InProcess) -> None:
    english = features(app, "?lang=en")[sample_iri(3)]["properties"]
    french = features(app, "?lang=fr")[sample_iri(3)]["properties"]
    assert english["label"] == "Sample co-op 003"  # type: ignore[index]
    assert french["label"] == "Coop exemple 003"  # type: ignore[index]
    by_header = features(app, **{"Accept-Language": "fr"})[sample_iri(3)]["properties"]
    assert by_header["label"] == "Coop exemple 003"  # type: ignore[index]


def test_the_list_filters_narrow_it(app: InProcess) -> None:
    assert set(features(app, f"?value={CARE}")) == {sample_iri(2), sample_iri(4)}
    assert set(features(app, f"?theme={ECOLOGY}")) == {sample_iri(3)}
    assert set(features(app, f"?value={CARE}&theme={ECOLOGY}")) == set()
    cooperatives = features(app, "?kind=" + quote(CG + "Cooperative", safe=""))
    assert len(cooperatives) == COOPS_LOCATED + 3
    bad = app.fresh.get("/organisations.geojson?value=not%20an%20iri")
    assert bad.status_code == 400
    assert bad.json()["ok"] is False


def test_headers_credit_the_licences_and_attributions_of_what_it_holds(app: InProcess) -> None:
    response = app.fresh.get("/organisations.geojson")
    links = response.headers["link"]
    assert f'<{COOPS_LICENCE}>; rel="license"' in links
    assert f'<{SAMPLE_LICENCE}>; rel="license"' in links
    assert response.headers["attribution"] == f'"{COOPS_ATTRIBUTION}", "{SAMPLE_ATTRIBUTION}"'
    credits = {d["iri"]: d for d in response.json()["datasets"]}
    assert {d["license"] for d in credits.values()} == {COOPS_LICENCE, SAMPLE_LICENCE}
    # Only the sample's organisations hold the value care: only its licence and attribution.
    narrowed = app.fresh.get(f"/organisations.geojson?value={CARE}")
    assert narrowed.headers["link"] == f'<{SAMPLE_LICENCE}>; rel="license"'
    assert narrowed.headers["attribution"] == f'"{SAMPLE_ATTRIBUTION}"'


def test_it_is_gzipped_when_accepted_and_answers_head(app: InProcess) -> None:
    plain = app.fresh.get("/organisations.geojson", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = app.fresh.get("/organisations.geojson", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["vary"]
    assert packed.content == plain.content  # httpx decompressed it
    assert len(gzip.compress(plain.content)) < len(plain.content) / 3
    head = app.fresh.head("/organisations.geojson")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/geo+json"


def test_properties_can_be_chosen_and_the_iri_is_always_there(app: InProcess) -> None:
    response = app.fresh.get(f"/organisations.geojson?value={CARE}&properties=label")
    assert [set(f["properties"]) for f in response.json()["features"]] == [{"iri", "label"}] * 2
    only_iri = app.fresh.get(f"/organisations.geojson?value={CARE}&properties=iri").json()
    assert {f["properties"]["iri"] for f in only_iri["features"]} == {sample_iri(2), sample_iri(4)}
    for bad in ("colour", "label,colour", "x" * 5000):
        refused = app.fresh.get(f"/organisations.geojson?properties={bad}")
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["message"].startswith("no GeoJSON property")


def test_gzipped_answers_are_kept_and_stay_the_same(app: InProcess) -> None:
    headers = {"Accept-Encoding": "gzip"}
    first = app.fresh.get("/organisations.geojson?lang=fr", headers=headers)
    again = app.fresh.get("/organisations.geojson?lang=fr", headers=headers)
    assert first.content == again.content
    assert first.headers["link"] == again.headers["link"]
    assert first.headers["attribution"] == again.headers["attribution"]
    assert again.headers["content-encoding"] == "gzip"
    english = app.fresh.get("/organisations.geojson?lang=en", headers=headers)
    assert english.content != first.content


def test_every_list_has_its_geojson_even_with_nothing_located(app: InProcess) -> None:
    for kind in ("commons", "events", "projects", "values", "themes", "topics"):
        response = app.fresh.get(f"/{kind}.geojson")
        assert response.status_code == 200
        assert response.json()["features"] == []
        assert "link" not in response.headers


def locate_ouishare(store: Store, graph_name: str) -> list[ox.Quad]:
    """Give Ouishare a place in a test graph of its own (written through the store); the quads."""
    graph = ox.NamedNode(f"https://w3id.org/commons-graph/graph/test/{graph_name}")
    quads = [
        ox.Quad(ox.NamedNode(OUISHARE), ox.NamedNode(WGS84 + p), ox.Literal(v), graph)
        for p, v in (("lat", "48.87"), ("long", "2.37"))
    ]
    store.commit(ChangeSet(insert=quads))
    return quads


def page(app: InProcess, path: str) -> BeautifulSoup:
    response = app.fresh.get(path)
    assert response.status_code == 200, response.text
    return BeautifulSoup(response.text, "lxml")


def assert_no_inline_script_or_style(soup: BeautifulSoup) -> None:
    for script in soup.find_all("script"):
        # Scripts come from /static; data travels as JSON blocks, which never run.
        if script.get("type") == "application/json":
            continue
        assert script.get("src", "").startswith("/static/"), script
    assert not soup.find_all("style")
    assert not soup.select("[style]")


def test_the_map_page_counts_links_and_filters_as_the_list_does(app: InProcess) -> None:
    soup = page(app, "/map")
    canvas = soup.select_one("#map[data-map=collection]")
    assert canvas["data-geojson"] == "/organisations.geojson?lang=en&properties=label"
    assert canvas["data-iri-base"] == "https://w3id.org/commons-graph/"
    assert canvas["data-tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    count = soup.select_one("#map-count")
    assert count["data-located"] == str(COOPS_LOCATED + 3)
    assert soup.select_one("a[data-link=list]")["href"] == "/organisations"
    assert soup.select_one("a[data-link=geojson]")["href"] == "/organisations.geojson"
    assert soup.select_one('link[rel=alternate][type="application/geo+json"]')
    assert soup.select_one("noscript")
    credited = {li["data-dataset"] for li in soup.select(".sources li")}
    assert len(credited) == 2
    assert_no_inline_script_or_style(soup)
    # The facets are the list's, linking back to the map.
    care = soup.select_one('[data-facet=value] a[href*="value%2Fcare"]')
    assert care["href"].startswith("/map?value=")
    filtered = page(app, care["href"])
    assert filtered.select_one("#map-count")["data-located"] == "2"
    assert filtered.select_one("#map")["data-geojson"].startswith("/organisations.geojson?value=")
    assert filtered.select_one("a[data-link=list]")["href"] == care["href"].replace(
        "/map", "/organisations"
    )
    assert filtered.select_one('[data-facet=value] a[aria-current="true"]')


def test_the_map_page_speaks_french(app: InProcess) -> None:
    soup = page(app, "/map?lang=fr")
    assert soup.select_one("h1").get_text() == "Carte"
    assert (
        soup.select_one("#map")["data-geojson"] == "/organisations.geojson?lang=fr&properties=label"
    )
    assert "organisations sur" in soup.select_one("#map-count").get_text()


def test_a_located_page_has_a_small_map_and_others_none(app: InProcess) -> None:
    soup = page(app, "/id/organisation/coops-uk-r006315")
    small = soup.select_one("#minimap[data-map=point]")
    assert (small["data-lat"], small["data-lon"]) == ("49.966029", "-6.295374")
    assert small["data-label"] == "Isles of Scilly Renewable Energy Co-operative"
    assert_no_inline_script_or_style(soup)
    wkt_only = page(app, "/id/organisation/sample-003")
    assert wkt_only.select_one("#minimap")["data-lat"] == "45.764"
    assert page(app, "/id/organisation/ouishare").select_one("#minimap") is None
    assert page(app, "/id/organisation/sample-005").select_one("#minimap") is None


@pytest.mark.slow
def test_the_geojson_follows_writes(app: InProcess) -> None:
    store = app.app.state.services.store
    quads = locate_ouishare(store, "located")
    try:
        # After a write the previous index answers while the next is built: bounded wait.
        deadline = time.monotonic() + 60
        while OUISHARE not in features(app):
            assert time.monotonic() < deadline, "the write never reached the GeoJSON"
            time.sleep(0.2)
        assert features(app)[OUISHARE]["geometry"]["coordinates"] == [2.37, 48.87]  # type: ignore[index]
    finally:
        store.commit(ChangeSet(delete=quads))


@pytest.mark.parametrize(
    "query",
    [
        "value=" + quote("javascript:alert(1)", safe=""),
        "kind=" + quote('https://example.org/a"><script>alert(1)</script>', safe=""),
        "theme=" + quote("https://example.org/" + "x" * 50_000, safe=""),
        "value=" + quote(CARE, safe="") + "&value=" + quote(ECOLOGY, safe=""),
        "&".join(f"p{number}=v" for number in range(500)),
        "lang=xx&properties=label,label,label",
    ],
)
def test_hostile_filters_give_a_bounded_answer_never_a_500_nor_markup(
    app: InProcess, query: str
) -> None:
    for path in ("/map", "/organisations.geojson"):
        response = app.fresh.get(f"{path}?{query}")
        assert response.status_code in (200, 400), response.text[:300]
        if response.headers["content-type"].startswith("text/html"):
            assert "<script>alert" not in response.text
        if path == "/map" and response.status_code == 200:
            assert_no_inline_script_or_style(BeautifulSoup(response.text, "lxml"))


# The tile setting: the CSP allows exactly its host; empty means no tiles.


def _fill_small(folder: Path) -> None:
    """The seed and the located sample, with the relations and the search index a start would
    otherwise derive (filled once per session, tests/helpers/prepared.py)."""
    with EmbeddedStore(folder / "store") as store:
        initialise(store)
        store.commit(ChangeSet(insert=sample_quads() + located_quads()))
        rebuild(store, Settings().related_per_organisation)
        index_beside(store, folder / "store")


def small_site(
    tmp_path_factory: pytest.TempPathFactory, folder: Path, **settings: object
) -> Settings:
    """A copy of the seed and the located sample (no import), with `settings`."""
    return settings_of_copy(tmp_path_factory, "map-small", _fill_small, folder, **settings)


def image_sources(response: object) -> list[str]:
    policy = response.headers["content-security-policy"]  # type: ignore[attr-defined]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    return directives["img-src"].split()


@pytest.mark.parametrize(
    ("template", "allowed"),
    [
        ("https://tiles.example.org/osm/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("https://{s}.tile.example.net/{z}/{x}/{y}.png", "https://*.tile.example.net"),
        ("http://127.0.0.1:8089/{z}/{x}/{y}.png", "http://127.0.0.1:8089"),
    ],
)
def test_the_csp_allows_exactly_the_configured_tile_host(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, template: str, allowed: str
) -> None:
    settings = small_site(
        tmp_path_factory, tmp_path, map_tiles=template, map_attribution="Example tiles"
    )
    with in_process(settings) as started:
        response = started.fresh.get("/map")
        assert image_sources(response) == ["'self'", "data:", allowed]
        soup = BeautifulSoup(response.text, "lxml")
        assert soup.select_one("#map")["data-tiles"] == template
        assert soup.select_one("#map")["data-attribution"] == "Example tiles"
        assert "Example tiles" in soup.select_one(".map-tiles").get_text()
        assert image_sources(started.fresh.get("/id/organisation/sample-002")) == image_sources(
            response
        )


def test_empty_tiles_mean_no_tiles_and_no_outside_images(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    with in_process(small_site(tmp_path_factory, tmp_path, map_tiles="")) as started:
        response = started.fresh.get("/map")
        assert image_sources(response) == ["'self'", "data:"]
        soup = BeautifulSoup(response.text, "lxml")
        assert soup.select_one("#map")["data-tiles"] == ""
        assert "plain background" in soup.select_one(".map-tiles").get_text()
        small = BeautifulSoup(started.fresh.get("/id/organisation/sample-002").text, "lxml")
        assert small.select_one("#minimap")["data-tiles"] == ""


@pytest.mark.parametrize(
    "template",
    [
        "javascript:alert(1)//{z}/{x}/{y}",
        "https://tiles.example.org/{z}/{x}.png",
        "https://tiles.example.org/{z}/{x}/{y}.png' data:",
        "https://tiles.example.org/{z}/{x}/{y}/{s}.png",
        "ftp://tiles.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/{z}/{x}/{y}.png; script-src *",
    ],
)
def test_a_tile_template_that_could_widen_the_csp_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match="tile URL template"):
        Settings(map_tiles=template)


def kept_map(store: Store, lang: str) -> bytes | None:
    """The map's answer in `lang` kept for the current indexes, if one is (gzipped)."""
    kind = KINDS["organisations"]
    key = answer_key(kind, lang, {}, parse_properties(MAP_PROPERTIES), "")
    kept = answer_cache(store).get(key, (list_index(store, kind), located_index(store)))
    return None if kept is None else kept.body


@pytest.mark.slow
def test_the_map_answer_is_written_ahead_and_again_after_writes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The map's answers are written and kept before anyone asks, the same as one written for
    a request; after a write they are written again, with the new point.

    On a service of its own: after the writes of other tests that nobody's map asked for, the
    shared one's warmer rightly waits for a visitor (web/map_warming.py).
    """
    with in_process(located_settings(tmp_path_factory, tmp_path_factory.mktemp("warm"))) as app:
        _written_ahead_and_again(app)


def _written_ahead_and_again(app: InProcess) -> None:
    store = app.app.state.services.store
    path = "/organisations.geojson?properties=label&lang=fr"
    deadline = time.monotonic() + 120
    while (packed := kept_map(store, "fr")) is None or kept_map(store, "en") is None:
        assert time.monotonic() < deadline, "the map's answers were never written ahead"
        time.sleep(0.1)
    written = app.fresh.get(path, headers={"Accept-Encoding": "identity"})
    assert json.loads(gzip.decompress(packed)) == written.json()
    assert app.fresh.get(path, headers={"Accept-Encoding": "gzip"}).content == written.content
    quads = locate_ouishare(store, "warmed")
    try:
        deadline = time.monotonic() + 120
        while True:
            packed = kept_map(store, "en")
            if packed is not None:
                found = json.loads(gzip.decompress(packed))["features"]
                if OUISHARE in {f["properties"]["iri"] for f in found}:
                    break
            assert time.monotonic() < deadline, "the map's answer was not written again"
            time.sleep(0.2)
    finally:
        store.commit(ChangeSet(delete=quads))
