"""Type-ahead in a real Chromium: type, see suggestions, choose one with the keyboard, land on
its page; without scripts the box is a plain search form."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest

from tests.helpers.pages import SAMPLE_COUNT, Site, start_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site on a real socket."""
    yield from start_site(tmp_path_factory.mktemp("typeahead"))


def test_keyboard_type_ahead_lands_on_the_chosen_page(site: Site, chromium: object) -> None:
    context = chromium.new_context(locale="fr-FR")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site.url + "/search?lang=fr")
    box = page.locator("input[name=q]")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.type("ouis", delay=30)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.locator("[role=option]").first.wait_for(state="visible", timeout=15_000)
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_attribute("role") == "listbox"
    options = listbox.locator("[role=option]")
    assert "Ouishare" in options.first.inner_text()
    assert "suggestions" in page.locator("[role=status]").first.inner_text()
    page.keyboard.press("ArrowDown")
    chosen = box.get_attribute("aria-activedescendant")
    assert chosen == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    # Escape closes the list and keeps the text; ArrowDown opens it again.
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == "ouis"
    page.keyboard.press("ArrowDown")
    options.first.wait_for(state="visible", timeout=15_000)
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/id/organisation/ouishare")
    assert page.locator("h1").inner_text() == "Ouishare"
    context.close()


def test_without_scripts_the_form_searches(site: Site, chromium: object) -> None:
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site.url + "/?lang=en")
    box = page.locator("form.search input[name=q]").first
    assert box.get_attribute("role") is None
    box.fill("economie circulaire")
    with page.expect_navigation():
        box.press("Enter")
    assert "/search?q=economie+circulaire" in page.url
    assert "Circular economy" in page.locator("ul.search-hits > li > a").first.inner_text()
    context.close()


def test_a_browser_clicks_a_search_facet_then_an_export(site: Site, chromium: object) -> None:
    context = chromium.new_context(locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site.url + "/search?q=sample&lang=en")
    facet = page.locator('details[data-facet="value"]')
    if facet.get_attribute("open") is None:  # folded: its heading opens it, no script needed
        facet.locator("summary").click()
    with page.expect_navigation():
        facet.locator("a", has_text="Care").first.click()
    assert "value=" in page.url and "q=sample" in page.url
    assert page.locator('[data-facet="value"] a[aria-current="true"]').count() == 1
    href = page.locator('p.exports a[data-export="CSV"]').get_attribute("href")
    assert href and "value=" in href and "q=sample" in href
    assert page.locator('link[rel="alternate"][type="text/csv"]').get_attribute("href") == href
    response = page.request.get(site.url + href)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert len(rows) == SAMPLE_COUNT // 2
    assert [row["iri"] for row in rows][:3] == [
        page.locator("ul.search-hits > li").nth(n).get_attribute("data-iri") for n in range(3)
    ]
    context.close()
