"""/search and /search/suggest in process: ranking, snippets escaped, facets, paging, both
languages, JSON, hostile queries, and contributions found at once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.store import ChangeSet, open_store
from tests.helpers.contributions import GLOSSARY, ContributionServer, valid
from tests.helpers.inprocess import in_process
from tests.helpers.pages import CARE, OUISHARE, SAMPLE_COUNT, Site, sample_iri, seed_site

BASE = "https://w3id.org/commons-graph/"
HOSTILE = BASE + "id/test/hostile"
CIRCULAR = BASE + "topic/circular-economy"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The seed, the sample import and a resource whose texts are markup, served in process."""
    settings, quads = seed_site(tmp_path_factory.mktemp("search"))
    store = open_store(settings)
    graph = ox.NamedNode(BASE + "graph/test/hostile")
    hostile = ox.NamedNode(HOSTILE)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    description = ox.NamedNode("http://purl.org/dc/terms/description")
    markup = "<script>alert(1)</script> the quokka <b>collective</b> & friends"
    store.commit(
        ChangeSet(
            insert=[
                ox.Quad(hostile, label, ox.Literal("<img src=x> Quokka", language="en"), graph),
                ox.Quad(hostile, description, ox.Literal(markup, language="en"), graph),
            ]
        )
    )
    store.close()
    with in_process(settings) as app:
        yield Site(app.url, quads, app.http)


def hits(soup: BeautifulSoup) -> list[str]:
    """The IRIs of the hits of a search page, in order."""
    return [li["data-iri"] for li in soup.select("ul.search-hits > li")]


def test_hits_are_ranked_and_accents_folded_in_both_languages(site: Site) -> None:
    assert hits(site.html("/search?q=OUISHARE&lang=en"))[0] == OUISHARE
    english = site.html("/search?q=economie+circulaire&lang=en")
    french = site.html("/search?q=economie+circulaire&lang=fr")
    assert hits(english)[0] == hits(french)[0] == CIRCULAR
    assert english.select_one("ul.search-hits > li > a").get_text() == "Circular economy"
    assert french.select_one("ul.search-hits > li > a").get_text() == "Économie circulaire"
    assert "résultats" in french.select_one("h2#results").get_text()


def test_snippets_highlight_words_and_escape_the_data(site: Site) -> None:
    response = site.get("/search?q=quokka&lang=en")
    soup = BeautifulSoup(response.text, "lxml")
    (hit,) = soup.select("ul.search-hits > li")
    assert [m.get_text() for m in hit.select(".snippet mark")] == ["quokka"]
    assert hit.select("script, img, b") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<img src=x>" not in response.text


def test_facets_count_and_filter_the_hits(site: Site) -> None:
    page = site.html("/search?q=sample&lang=en")
    kinds = page.select_one('details.facet[data-facet="list"]')
    assert kinds is not None
    link = next(a for a in kinds.select("a") if "list=organisations" in a["href"])
    assert f"({SAMPLE_COUNT})" in link.get_text()
    values = page.select_one('details.facet[data-facet="value"]')
    care = next(
        a for a in values.select("a") if parse_qs(urlsplit(a["href"]).query)["value"] == [CARE]
    )
    assert f"({SAMPLE_COUNT // 2})" in care.get_text()
    filtered = site.html(care["href"])
    assert filtered.select_one('details.facet[data-facet="value"] a[aria-current="true"]')
    found = hits(filtered)
    assert len(found) == SAMPLE_COUNT // 2
    assert all(int(iri.rsplit("-", 1)[1]) % 2 == 0 for iri in found)
    # Ouishare, then the organisations linked to it (members of it), and nothing else.
    only = hits(site.html("/search?q=ouishare&list=organisations"))
    assert only[0] == OUISHARE
    assert set(only) == {OUISHARE, *(sample_iri(n) for n in (1, 2, 3))}


def test_paging_covers_every_hit_once(site: Site) -> None:
    first = site.html("/search?q=sample+co-op&lang=en")
    second = site.html(first.select_one('a[rel="next"]')["href"])
    together = hits(first) + hits(second)
    assert len(together) == len(set(together)) == SAMPLE_COUNT
    assert set(together) == {sample_iri(n) for n in range(1, SAMPLE_COUNT + 1)}
    assert second.select_one('a[rel="next"]') is None


def test_the_search_form_is_a_plain_form_with_its_script(site: Site) -> None:
    page = site.html("/search")
    form = page.select_one("form.search[role=search]")
    assert form["action"] == "/search" and form["data-suggest"] == "/search/suggest"
    assert page.select_one('script[src="/static/typeahead.js"]') is not None
    assert site.get("/static/typeahead.js", accept="*/*").status_code == 200


def test_suggestions_are_json_names_first(site: Site) -> None:
    response = site.get("/search/suggest?q=ouis&lang=fr", accept="application/json")
    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert first == {
        "iri": OUISHARE,
        "label": "Ouishare",
        "kind": "organisations",
        "kind_label": "Organisations",
        "url": "/id/organisation/ouishare",
    }
    limited = site.get("/search/suggest?q=sample&limit=3").json()["results"]
    assert len(limited) == 3
    assert site.get("/search/suggest?q=sample&limit=50").status_code == 400
    assert site.get("/search/suggest?q=" + "x" * 20_000).status_code == 400
    assert site.get("/search/suggest?q=").json()["results"] == []


def test_search_results_have_rdf_forms(site: Site) -> None:
    response = site.get("/search?q=ouishare&format=nt", accept="application/n-triples")
    assert response.status_code == 200
    assert f"<{OUISHARE}>" in response.text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=250))
def test_any_text_is_a_clear_answer(site: Site, text: str) -> None:
    suggest = site.client.get("/search/suggest", params={"q": text})
    assert suggest.status_code == 200
    assert isinstance(json.loads(suggest.text)["results"], list)
    page = site.client.get("/search", params={"q": text}, headers={"Accept": "text/html"})
    assert page.status_code == 200


@pytest.mark.parametrize("text", ['"', "*", "NEAR(a b)", "OR", ":", "name: x", "^a", "\x00\x1f"])
def test_fts_syntax_is_never_taken_from_users(site: Site, text: str) -> None:
    assert site.client.get("/search/suggest", params={"q": text}).status_code == 200
    assert site.client.get("/search", params={"q": text}).status_code == 200


def test_a_contribution_is_found_at_once(contrib: ContributionServer) -> None:
    response = contrib.post(valid(), contrib.ana_token)
    assert response.status_code == 201, response.text
    page = contrib.http.get("/search?q=glossaire", headers={"Accept": "text/html"})
    assert GLOSSARY in hits(BeautifulSoup(page.text, "lxml"))
    found = contrib.http.get("/search/suggest?q=collaborative+econ").json()["results"]
    assert GLOSSARY in [r["iri"] for r in found]


def test_the_index_file_is_beside_the_store(tmp_path: Path) -> None:
    from commons_graph.config import Settings
    from commons_graph.search.location import index_path

    assert index_path(Settings(store=str(tmp_path / "db"))) == tmp_path / "db.search.sqlite"
    remote = Settings(store="http://127.0.0.1:1/query", accounts=str(tmp_path / "a.sqlite"))
    assert index_path(remote) == tmp_path / "a.search.sqlite"
