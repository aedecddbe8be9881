"""A real Chromium shows an imported co-operative's page as people read it, in both languages:
labelled rows, its address and geometry inline, the links to its organisational structure's
page, and that page's counted and paged list of co-operatives. Screenshots are kept as test
artefacts (in $COMMONS_GRAPH_TEST_ARTEFACTS when set, else in the test's temporary folder)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.imports import coop_path, seed_with_coops
from tests.helpers.live import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on the seed plus a small Co-operatives UK import."""
    with LiveServer(seed_with_coops(tmp_path_factory.mktemp("human-browser"))) as server:
        yield server.url


@pytest.fixture
def artefacts(tmp_path: Path) -> Path:
    """Where screenshots go."""
    folder = Path(os.environ.get("COMMONS_GRAPH_TEST_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(
    ("lang", "address", "structure"),
    [
        ("en", "Address", "Organisations with this structure"),
        ("fr", "Adresse", "Organisations ayant cette structure"),
    ],
)
def test_a_cooperative_page_in_chromium(
    chromium: object, url: str, artefacts: Path, lang: str, address: str, structure: str
) -> None:
    context = chromium.new_context(locale=lang)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{url}{coop_path()}?lang={lang}")
    assert page.locator("h1").inner_text() == "The Co-operative Group"
    # The address is a visible block inside its row, not a link back to the page.
    block = page.locator(".part#address")
    assert block.is_visible()
    assert "1 Angel Square" in block.inner_text()
    assert address in page.locator("section.group", has=block).locator("h2").inner_text()
    headings = page.locator("main h2, main h3, main dt").all_inner_texts()
    assert headings and not [h for h in headings if h.strip().startswith("http")]
    page.screenshot(path=str(artefacts / f"cooperative-{lang}.png"), full_page=True)
    # Its organisational structure leads to the structure's page on this site.
    link = page.locator('section.group[data-group$="organisationalStructure"] a').first
    with page.expect_navigation():
        link.click()
    assert page.url.startswith(f"{url}/resource?iri=")
    group = page.locator(".inbound .inbound-group").first
    assert structure in group.locator(".group-title").inner_text()
    first = group.locator("ul.links a").all_inner_texts()
    next_page = group.locator('.pager a[rel="next"]')
    if next_page.count():
        with page.expect_navigation():
            next_page.click()
        second = page.locator(".inbound .inbound-group").first.locator("ul.links a")
        assert not set(second.all_inner_texts()) & set(first)
    page.screenshot(path=str(artefacts / f"structure-{lang}.png"), full_page=True)
    context.close()
