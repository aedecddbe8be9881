"""The query editor at GET /sparql for browsers: YASGUI, a plain form without JS, examples."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup

from commons_graph.config import Settings
from commons_graph.i18n import translate
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.sparql.examples import example_queries
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STATIC = Path(__file__).resolve().parents[2] / "src/commons_graph/web/static/yasgui"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    settings = Settings(store=str(tmp_path_factory.mktemp("editor") / "store"))
    with LiveServer(settings) as live:
        yield live


def page(server: LiveServer, **params: str) -> BeautifulSoup:
    response = fetch.get(f"{server.url}/sparql", params=params, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def test_the_editor_page(server: LiveServer) -> None:
    """A plain form (works without JS), the vendored YASGUI, and the endpoint's config."""
    soup = page(server)
    form = soup.select_one("form#sparql-form")
    assert form is not None and form["method"] == "get" and form["action"] == "/sparql"
    textarea = form.select_one("textarea[name=query]")
    assert textarea is not None and "PREFIX cg:" in textarea.text
    assert {o["value"] for o in form.select("select[name=format] option")} >= {"", "json", "csv"}
    scripts = [s.get("src") for s in soup.select("script[src]")]
    assert "/static/yasgui/yasgui.min.js" in scripts and "/static/yasgui/editor.js" in scripts
    assert soup.select_one('link[href="/static/yasgui/yasgui.min.css"]') is not None
    # Nothing is loaded from another site.
    for element in soup.select("script[src], link[href]"):
        url = element.get("src") or element.get("href")
        assert not url.startswith(("http://", "https://", "//")) or element.name == "link"
    config = json.loads(soup.select_one("script#sparql-config").string)
    assert config["endpoint"] == f"{server.url}/sparql"
    assert config["prefixes"] == PREFIXES


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_is_translated(server: LiveServer, lang: str) -> None:
    """Every text of the page exists in the page's language (no message key shows through)."""
    soup = page(server, lang=lang)
    assert soup.select_one("h1").text == translate("sparql.page_title", lang)
    assert soup.select_one("#examples-title").text == translate("sparql.examples", lang)
    assert "sparql." not in soup.get_text()


def test_the_gallery_links_each_example(server: LiveServer) -> None:
    """Each example is a link that loads its query (JS: into YASGUI; no JS: the form)."""
    soup = page(server, lang="fr")
    links = soup.select("#examples a.example")
    examples = {e.name: e for e in example_queries()}
    assert [a["data-example"] for a in links] == list(examples)
    for link in links:
        example = examples[link["data-example"]]
        assert link.text.strip() == example.title("fr")
        assert parse_qs(urlparse(link["href"]).query)["query"] == [example.query]


def test_without_js_a_query_shows_a_results_table(server: LiveServer) -> None:
    """A browser submitting the plain form gets the page back with the results in a table."""
    example = next(e for e in example_queries() if "stewards" in e.name)
    soup = page(server, query=example.query)
    assert soup.select_one("textarea[name=query]").text.strip() == example.query.strip()
    table = soup.select_one("#results table.solutions")
    headers = [th.text for th in table.select("thead th")]
    assert "commonsLabel" in headers
    cells = [td.text for td in table.select("tbody td")]
    assert "ESSGlobal vocabulary" in cells


def test_vendored_files_are_served(server: LiveServer) -> None:
    for name in ("yasgui.min.js", "yasgui.min.css", "editor.js"):
        response = fetch.get(f"{server.url}/static/yasgui/{name}")
        assert response.status_code == 200
        assert response.content == (STATIC / name).read_bytes()
    readme = (STATIC / "README.md").read_text()
    assert "4.6.2" in readme and "MIT" in readme
    assert (STATIC / "LICENSE").read_text().startswith("The MIT License")


@pytest.mark.browser
def test_the_editor_runs_a_query_in_chromium(server: LiveServer, chromium: Any) -> None:
    """Headless Chromium: YASGUI replaces the form, runs an example and shows its table, under
    the page's Content-Security-Policy, without one violation of it."""
    requests: list[str] = []
    console: list[str] = []
    context = chromium.new_context()
    try:
        tab: Any = context.new_page()
        tab.on("request", lambda request: requests.append(request.url))
        tab.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        tab.add_init_script(CSP_WATCH)
        response = tab.goto(f"{server.url}/sparql")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        tab.wait_for_selector(".yasgui .CodeMirror")
        assert tab.is_hidden("#sparql-form")
        tab.click("a.example[data-example*='stewards']")
        tab.wait_for_selector(".yasr table tbody tr", timeout=30_000)
        assert "ESSGlobal vocabulary" in tab.inner_text(".yasr table")
        # Dragging a column's edge: the table's resizer styles the page while it lasts.
        grip = tab.locator(".grip-handle .grip-resizable").first.bounding_box()
        tab.mouse.move(grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2)
        tab.mouse.down()
        tab.mouse.move(grip["x"] + 60, grip["y"] + grip["height"] / 2, steps=5)
        tab.mouse.up()
        violations = tab.evaluate("window.cspViolations")
    finally:
        context.close()
    assert all(url.startswith(server.url) for url in requests), requests
    assert violations == [], violations
    assert not [line for line in console if "Content Security Policy" in line], console


# Records every Content-Security-Policy violation the page reports (run before its scripts).
CSP_WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI + " "
    + event.sourceFile + ":" + event.lineNumber);
});
"""
