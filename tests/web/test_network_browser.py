"""A real Chromium draws the network graph, follows a click on a node, and reads the text
alternative without JavaScript; screenshots of each view are saved as test artefacts
(tests/helpers/artifacts.py says where)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from commons_graph.config import Settings
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.artifacts import artifacts_dir
from tests.helpers.live import LiveServer
from tests.helpers.network import CARE, COOP_B, OUISHARE, fill_network_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("network-browser")
    with EmbeddedStore(folder / "store") as store:
        fill_network_store(store, folder)
    with LiveServer(Settings(store=str(folder / "store"))) as server:
        yield server.url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory, "screenshots", "network")


def open_graph(browser: Any, url: str, errors: list[str]) -> Any:
    """A page at `url` once its graph is drawn; console errors and CSP reports collected."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    # Uncaught script errors, and refusals by the CSP.
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url)
    page.wait_for_selector(".network-graph.network-ready", timeout=30_000)
    return page


def drawn_nodes(page: Any) -> int:
    return int(page.evaluate("window.commonsGraphNetworks[0].nodes().length"))


def test_the_resource_page_graph_renders_and_a_click_navigates(
    site: str, chromium: Any, shots: Path
) -> None:
    errors: list[str] = []
    page = open_graph(chromium, site + "/id/organisation/ouishare", errors)
    expected = len(
        page.evaluate("JSON.parse(document.getElementById('network-data').text)")["nodes"]
    )
    assert drawn_nodes(page) == expected > 5
    assert page.locator(".network-graph canvas").count() >= 1
    # The derived relation is drawn dashed, the stated ones solid.
    styles = page.evaluate(
        "window.commonsGraphNetworks[0].edges()"
        ".map(e => [e.data('derived'), e.style('line-style')])"
    )
    assert {tuple(s) for s in styles} == {(0, "solid"), (1, "dashed")}
    page.locator("section.network").screenshot(path=str(shots / "resource-page-network.png"))
    # Click the node of the value "care" (brought to the middle of the view): its page opens.
    page.locator(".network-graph").scroll_into_view_if_needed()
    point = page.evaluate(
        """iri => {
            const cy = window.commonsGraphNetworks[0];
            const node = cy.getElementById(iri);
            // The screenshot above resized the view: Cytoscape learns its new place.
            cy.resize();
            cy.zoom(2);
            cy.center(node);
            const box = cy.container().getBoundingClientRect();
            const at = node.renderedPosition();
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        CARE,
    )
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert page.url.endswith("/value/care")
    # No script error, nothing refused by the CSP (Cytoscape adds no <style> of its own).
    assert errors == []
    page.context.close()


def test_the_network_view_at_depth_three(site: str, chromium: Any, shots: Path) -> None:
    errors: list[str] = []
    url = f"{site}/network?iri={quote(OUISHARE, safe='')}&depth=3&lang=fr"
    page = open_graph(chromium, url, errors)
    data = page.evaluate("JSON.parse(document.getElementById('network-data').text)")
    assert drawn_nodes(page) == len(data["nodes"]) > 20
    assert errors == []
    assert page.locator("h2#network-result").inner_text() == "Ouishare"
    page.screenshot(path=str(shots / "network-view-depth-3-fr.png"), full_page=True)
    page.context.close()


def test_paths_page(site: str, chromium: Any, shots: Path) -> None:
    context = chromium.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(site + "/paths")
    page.fill("#paths-from", OUISHARE)
    page.fill("#paths-to", COOP_B)
    with page.expect_navigation():
        page.click("form.paths-form button")
    assert page.locator("section.path").count() >= 1
    assert page.locator("section.path").first.locator("li.step").count() == 3
    page.screenshot(path=str(shots / "paths.png"), full_page=True)
    context.close()


def test_the_text_alternative_without_javascript(site: str, chromium: Any, shots: Path) -> None:
    context = chromium.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/id/organisation/ouishare")
    links = page.locator("section.network .network-text li")
    assert links.count() > 5 and links.first.is_visible()
    assert page.locator(".network-graph canvas").count() == 0
    assert page.locator("section.network noscript").count() == 1
    assert page.locator("section.bridges li").count() >= 1
    page.locator("section.network").screenshot(path=str(shots / "resource-page-no-js-fr.png"))
    context.close()
