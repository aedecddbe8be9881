"""A real Chromium on /map and a co-operative's page, with the Co-operatives UK data imported:
clustered markers, popups linking to pages, the tile host blocked or serving, no JavaScript.

The tile server is a local address nobody listens on; Chromium's requests to it are answered
(or refused) by Playwright's routing, so nothing leaves 127.0.0.0/8. Screenshots are saved as
test artefacts (tests/helpers/artefacts.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.helpers import http as fetch
from tests.helpers.artefacts import artefact_path
from tests.helpers.live import LiveServer
from tests.helpers.maps import COOPS_LOCATED, located_settings
from tests.helpers.pages import CARE, ECOLOGY
from tests.helpers.servers import free_port

STATIC = Path(__file__).parents[2] / "src" / "commons_graph" / "web" / "static"
TILE = (STATIC / "leaflet" / "images" / "layers.png").read_bytes()


@pytest.fixture(scope="module")
def tile_host() -> str:
    """A local tile address nobody listens on: Playwright answers for it."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tile_host: str) -> Iterator[LiveServer]:
    """The seed, Co-operatives UK imported and the located sample, on a real socket."""
    settings = located_settings(
        tmp_path_factory,
        tmp_path_factory.mktemp("map-browser"),
        map_tiles=tile_host + "/tiles/{z}/{x}/{y}.png",
        map_attribution="Test tiles",
    )
    with LiveServer(settings) as live:
        yield live


def open_page(
    chromium: Any, server: LiveServer, tile_host: str, *, tiles: bool, **options: Any
) -> tuple[Any, Any, list[str]]:
    """A new page whose tile requests are served (or aborted), and whose requests to anything
    but the site and the tile host are refused; the CSP reports it logs."""
    context = chromium.new_context(**{"viewport": {"width": 1280, "height": 1000}, **options})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(server.url + "/"):
            request_route.continue_()
        elif url.startswith(tile_host + "/tiles/") and tiles:
            request_route.fulfill(status=200, content_type="image/png", body=TILE)
        else:
            request_route.abort()

    page.route("**/*", route)
    return context, page, violations


# How many points the map shows: those in clusters (the number each shows) and the single ones.
SHOWN = """(() => {
  let n = document.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
  for (const c of document.querySelectorAll('.marker-cluster span')) n += parseInt(c.textContent);
  return n;
})()"""


def wait_until(page: Any, expression: str, timeout: float = 60.0) -> None:
    """Wait (bounded) until `expression` is true in the page, asked through Playwright's
    evaluate: its wait_for_function compiles the expression with eval in the page, which the
    site's CSP (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(100)


def wait_loaded(page: Any, selector: str = "#map") -> str:
    """The map's data-loaded once its data is drawn."""
    page.wait_for_selector(f"{selector}[data-loaded]", timeout=60_000)
    loaded = str(page.get_attribute(selector, "data-loaded"))
    assert loaded != "error", page.get_attribute(selector, "data-error")
    return loaded


SPLIT = "document.querySelectorAll('.marker-cluster').length > 3"
# Leaflet marks the map while it zooms, Leaflet.markercluster while clusters fly in or out.
STILL = "document.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim') === null"


def wait_still(page: Any) -> None:
    """Wait until the map has been still (no zoom, no cluster animation) twice, 200 ms apart."""
    for _ in range(2):
        wait_until(page, STILL)
        page.wait_for_timeout(200)
    wait_until(page, STILL)


def click_the_biggest_cluster_until_it_splits(page: Any, attempts: int = 3) -> None:
    """Click the biggest cluster, once the map is still, until the map zooms in and it splits.

    A click landing while clusters still fly in (the last chunk added, the bounds fitted: slow on
    a busy machine) can hit a small cluster passing over the big one and zoom elsewhere (seen
    in CI): the map is then loaded again and the click tried again, a bounded number of times.
    """
    clusters = page.locator(".marker-cluster")
    for attempt in range(attempts):
        if attempt:
            page.reload()
            wait_loaded(page)
            wait_until(page, SHOWN + " === " + str(COOPS_LOCATED + 3))
        wait_still(page)
        sizes = [int(clusters.nth(n).inner_text()) for n in range(clusters.count())]
        clusters.nth(sizes.index(max(sizes))).click()
        try:
            wait_until(page, SPLIT, timeout=20.0)
            return
        except AssertionError:
            continue
    wait_until(page, SPLIT)


@pytest.mark.browser
@pytest.mark.slow
def test_the_map_clusters_every_located_co_operative_with_tiles_blocked(
    chromium: Any, server: LiveServer, tile_host: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    context, page, violations = open_page(chromium, server, tile_host, tiles=False)
    tiles_asked: list[str] = []
    page.on("request", lambda r: tiles_asked.append(r.url) if "/tiles/" in r.url else None)
    page.goto(server.url + "/map")
    assert wait_loaded(page) == str(COOPS_LOCATED + 3)
    # Every point is in a cluster or on its own, once the chunks are all added.
    wait_until(page, SHOWN + " === " + str(COOPS_LOCATED + 3))
    assert page.locator(".marker-cluster").count() >= 1
    page.screenshot(path=str(artefact_path(tmp_path_factory, "map-world.png")))
    # A click on the big cluster zooms to it (Great Britain), where it splits into many.
    click_the_biggest_cluster_until_it_splits(page)
    page.wait_for_timeout(500)  # the zoom animation, for the screenshot only
    # The tiles were asked for and refused; the points are there all the same.
    assert tiles_asked
    assert page.locator(".leaflet-tile-loaded").count() == 0
    assert violations == []
    page.screenshot(path=str(artefact_path(tmp_path_factory, "map-tiles-blocked.png")))
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_popup_links_to_the_page_and_tiles_are_drawn_when_served(
    chromium: Any, server: LiveServer, tile_host: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    context, page, violations = open_page(chromium, server, tile_host, tiles=True)
    # The value filter of the list: the sample's two organisations, Paris and Rio, apart.
    page.goto(server.url + "/map?value=" + quote(CARE, safe=""))
    assert wait_loaded(page) == "2"
    assert page.locator(".leaflet-tile-loaded").count() > 0
    markers = page.locator(".leaflet-marker-icon:not(.marker-cluster)")
    assert markers.count() == 2
    markers.first.click()
    link = page.locator(".leaflet-popup-content a")
    link.wait_for()
    href = link.get_attribute("href") or ""
    # The map asks for labels only: the popup links to the IRI's path, as pages do.
    assert href in {"/id/organisation/sample-002", "/id/organisation/sample-004"}
    page.screenshot(path=str(artefact_path(tmp_path_factory, "map-popup.png")))
    label = link.inner_text()
    with page.expect_navigation():
        link.click()
    assert page.locator("h1").inner_text() == label
    assert violations == []
    context.close()


@pytest.mark.browser
def test_popups_speak_the_page_language(chromium: Any, server: LiveServer, tile_host: str) -> None:
    context, page, _ = open_page(chromium, server, tile_host, tiles=False)
    page.goto(server.url + "/map?lang=fr&theme=" + quote(ECOLOGY, safe=""))
    assert wait_loaded(page) == "1"
    assert page.locator("h1").inner_text() == "Carte"
    link = page.locator(".leaflet-popup-content a")
    # A click landing while the map still fits its bounds (slow on a busy machine) opens no
    # popup: click again, a bounded number of times.
    for _ in range(5):
        page.locator(".leaflet-marker-icon").first.click()
        try:
            link.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    link.wait_for()
    assert link.inner_text() == "Coop exemple 003"
    assert link.get_attribute("href") == "/id/organisation/sample-003"
    context.close()


@pytest.mark.browser
def test_a_co_operative_page_has_its_small_map(
    chromium: Any, server: LiveServer, tile_host: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    context, page, violations = open_page(chromium, server, tile_host, tiles=True)
    page.goto(server.url + "/id/organisation/coops-uk-r006315")
    assert wait_loaded(page, "#minimap") == "1"
    assert page.locator("#minimap .leaflet-marker-icon").count() == 1
    assert page.locator("#minimap .leaflet-tile-loaded").count() > 0
    assert violations == []
    page.locator("#minimap").scroll_into_view_if_needed()
    page.screenshot(path=str(artefact_path(tmp_path_factory, "minimap-coop.png")), full_page=True)
    context.close()


@pytest.mark.browser
def test_without_javascript_the_map_page_links_to_the_list_and_the_geojson(
    chromium: Any, server: LiveServer, tile_host: str
) -> None:
    context, page, _ = open_page(
        chromium, server, tile_host, tiles=False, java_script_enabled=False
    )
    page.goto(server.url + "/map")
    assert "needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("#map-count").inner_text().startswith(f"{COOPS_LOCATED + 3} of")
    with page.expect_navigation():
        page.locator("a[data-link=list]").click()
    assert page.locator("h1").inner_text() == "Organisations"
    context.close()


def test_the_geojson_is_streamed_in_chunks(server: LiveServer) -> None:
    headers = {"Accept-Encoding": "identity"}
    with fetch.stream("GET", server.url + "/organisations.geojson", headers=headers) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        assert response.headers["transfer-encoding"] == "chunked"
        chunks = [len(chunk) for chunk in response.iter_raw()]
    # Written piece by piece (about 64 KiB of text each), never as one body.
    assert len(chunks) > 10
