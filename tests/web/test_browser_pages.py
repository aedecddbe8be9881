"""A real headless Chromium browses the site with the keyboard, in both languages, on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.pages import Site, start_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site, shared by this module's tests."""
    yield from start_site(tmp_path_factory.mktemp("site"), tmp_path_factory)


@pytest.fixture
def browser(chromium: object) -> object:
    """The session's Chromium."""
    return chromium


def press_link(page: object, selector: str) -> None:
    """Focus a link and follow it with the Enter key, as a keyboard user does."""
    link = page.locator(selector).first  # type: ignore[attr-defined]
    link.focus()
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]


def test_keyboard_from_home_to_a_linked_value_and_into_french(site: Site, browser: object) -> None:
    context = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site.url + "/")
    # The first Tab reaches the skip link, which takes focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    press_link(page, 'main a[data-kind="organisations"]')
    assert page.url.endswith("/organisations")
    assert page.locator("h1").inner_text() == "Organisations"
    press_link(page, 'ul.items a[href="/id/organisation/ouishare"]')
    assert page.locator("h1").inner_text() == "Ouishare"
    press_link(page, '[data-group="group.values"] a[href="/value/care"]')
    assert page.locator("h1").inner_text() == "Care"
    # The visible focus style is there for keyboard users.
    page.locator('nav.languages a[hreflang="fr"]').focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    press_link(page, 'nav.languages a[hreflang="fr"]')
    assert page.locator("h1").inner_text() == "Soin"
    assert page.locator("html").get_attribute("lang") == "fr"
    # The choice sticks: the next page, reached without ?lang, is French too.
    press_link(page, 'nav.main-nav a[href="/values"]')
    assert page.locator("h1").inner_text() == "Valeurs"
    context.close()


def test_pages_fit_a_phone_screen(site: Site, browser: object) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    for path in ("/", "/organisations", "/id/organisation/ouishare", "/ontology"):
        page.goto(site.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    # On a phone the facets come below the list rather than beside it.
    page.goto(site.url + "/organisations")
    items = page.locator("section.listing").bounding_box()
    facets = page.locator("aside.facets").bounding_box()
    assert facets["y"] >= items["y"] + items["height"] - 1
    context.close()


# Records every Content-Security-Policy violation a page reports (run before its scripts).
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_pages_work_under_their_content_security_policy(site: Site, browser: object) -> None:
    """Every kind of page loads its styles and scripts with no CSP violation; the #CodeSocial
    print button, a script of ours, is shown."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.add_init_script(CSP_WATCH)
        for path in ("/", "/organisations", "/id/organisation/ouishare", "/ontology",
                     "/.well-known/void", "/search?q=co", "/id/codesocial/ouishare"):  # fmt: skip
            response = page.goto(site.url + path)
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            # The site's stylesheet applied: the skip link is moved off screen by it.
            skip = "getComputedStyle(document.querySelector('.skip-link')).position"
            assert page.evaluate(skip) == "absolute", path
            assert page.evaluate("window.cspViolations") == [], path
        assert page.is_visible("button.print-page")
    finally:
        context.close()
