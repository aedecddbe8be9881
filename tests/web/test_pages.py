"""The HTML pages over real HTTP, parsed with BeautifulSoup: home, lists, resources, search."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import URIRef

from tests.helpers.pages import (
    BASE,
    CARE,
    ECOLOGY,
    OUISHARE,
    SAMPLE_ATTRIBUTION,
    SAMPLE_COUNT,
    SAMPLE_LICENCE,
    Site,
    in_process_site,
    parse_graph,
    sample_iri,
)

ORG_CLASSES_QUERY = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?root { org:Organization org:FormalOrganization }
  ?c rdfs:subClassOf* ?root . ?s a ?c . FILTER(isIRI(?s))
}
"""
PAGES = [
    "/",
    "/organisations",
    "/commons",
    "/projects",
    "/events",
    "/values",
    "/themes",
    "/search?q=oui",
    "/id/organisation/ouishare",
    "/value/care",
    "/scheme/values",
    "/ontology",
    "/.well-known/void",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site, shared by this module's tests."""
    yield from in_process_site(tmp_path_factory.mktemp("site"), tmp_path_factory)


def local(iri: str) -> str:
    """The path on the server of a minted IRI."""
    return "/" + iri.removeprefix(BASE)


def organisation_count(site: Site) -> int:
    """How many organisations the store holds, counted by rdflib from the snapshot."""
    row = next(iter(site.union().query(ORG_CLASSES_QUERY)))
    return int(row[0])  # type: ignore[index]


def test_home_counts_equal_the_store_and_lead_to_the_lists(site: Site) -> None:
    soup = site.html("/?lang=en")
    link = soup.select_one('a[data-kind="organisations"]')
    assert link["href"] == "/organisations"
    assert int(link.select_one(".count").get_text()) == organisation_count(site)
    assert soup.select_one("form[role=search] input[name=q]") is not None
    assert soup.select_one('nav a[href="/sparql"]') is not None


def test_a_list_pages_through_every_organisation_once(site: Site) -> None:
    seen: list[str] = []
    path: str | None = "/organisations?per_page=25&lang=en"
    while path:
        soup = site.html(path)
        seen += [a["href"] for a in soup.select("ul.items > li > a")]
        following = soup.select_one('.pager a[rel="next"]')
        path = following["href"] if following else None
    assert len(seen) == len(set(seen)) == organisation_count(site)
    assert local(sample_iri(SAMPLE_COUNT)) in seen and local(OUISHARE) in seen


def test_the_value_facet_filters_the_list(site: Site) -> None:
    soup = site.html("/organisations?lang=en")
    facet = soup.select_one('[data-facet="value"]')
    care = next(a for a in facet.select("a") if a.get_text().startswith("Care"))
    filtered = site.html(care["href"])
    listed = {a["href"] for a in filtered.select("ul.items > li > a")}
    union = site.union()
    holders = {
        local(str(s))
        for s in union.subjects(URIRef(BASE + "ontology#holdsValue"), URIRef(CARE))
        if (s, None, URIRef("http://www.w3.org/ns/org#Organization")) in union
    }
    assert listed == holders
    # The count shown beside the facet value is the number of results.
    assert f"({len(holders)})" in care.get_text()
    assert filtered.select_one('[data-facet="value"] a[aria-current="true"]') is not None


def test_the_kind_facet_offers_subclasses(site: Site) -> None:
    soup = site.html("/organisations?lang=en")
    kinds = [a.get_text() for a in soup.select('[data-facet="kind"] a')]
    assert any(k.startswith(f"Cooperative ({SAMPLE_COUNT})") for k in kinds)


def test_a_bad_filter_is_a_400(site: Site) -> None:
    response = site.get("/organisations?value=not%20an%20iri", accept="application/json")
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_resource_page_groups_relations_both_ways_by_meaning(site: Site) -> None:
    soup = site.html("/id/organisation/ouishare?lang=en")
    assert soup.select_one("h1").get_text() == "Ouishare"
    values = soup.select_one('[data-group="group.values"]')
    assert values.select_one("h2").get_text() == "Values"
    hrefs = {a["href"] for a in values.select("a")}
    union = site.union()
    held = {
        local(str(o)) for o in union.objects(URIRef(OUISHARE), URIRef(BASE + "ontology#holdsValue"))
    }
    assert hrefs == held
    care = values.select_one(f'a[href="{local(CARE)}"]')
    assert care.get_text() == "Care"
    # Links to the page are in their own section, grouped by relation, with counts.
    members = soup.select_one('.inbound [data-group="group.members"]')
    assert members.select_one("h3 .group-title").get_text() == "Members"
    assert members["data-count"] == "3"
    assert {a["href"] for a in members.select("a")} == {local(sample_iri(n)) for n in (1, 2, 3)}


def test_a_resource_page_leads_to_its_history(site: Site) -> None:
    soup = site.html("/id/organisation/ouishare?lang=fr")
    link = soup.select_one("header p.history a")
    assert link.get_text() == "Historique des modifications de cette description"
    history = site.html(link["href"])
    assert history.select_one("#history-empty") is not None


def test_a_concept_page_shows_who_holds_it(site: Site) -> None:
    soup = site.html("/value/care?lang=fr")
    assert soup.select_one("h1").get_text() == "Soin"
    held_by = soup.select_one('[data-group="group.held_by"]')
    assert held_by.select_one("h3 .group-title").get_text() == "Portée par"
    # 31 holders: two pages of links, reached by plain links (no JavaScript).
    count = int(held_by["data-count"])
    texts: dict[str, str] = {}
    pages = 0
    while held_by is not None and pages < 10:
        pages += 1
        texts |= {a["href"]: a.get_text() for a in held_by.select("ul.links a")}
        following = held_by.select_one('.pager a[rel="next"]')
        if following is None:
            break
        held_by = site.html(following["href"]).select_one('[data-group="group.held_by"]')
    assert pages == 2 and len(texts) == count
    assert texts[local(OUISHARE)] == "Ouishare"


def test_labels_fall_back_to_the_other_language(site: Site) -> None:
    soup = site.html("/id/organisation/ouishare?lang=fr")
    members = soup.select_one('[data-group="group.members"]')
    texts = {a["href"]: a.get_text() for a in members.select("a")}
    assert texts[local(sample_iri(1))] == "Coop exemple 001"  # has a French label
    assert texts[local(sample_iri(2))] == "Sample co-op 002"  # English only


def test_imported_statements_show_their_licence_and_attribution(site: Site) -> None:
    soup = site.html(local(sample_iri(4)) + "?lang=en")
    source = soup.select_one(".sources li")
    assert source.select_one('a[rel="license"]')["href"] == SAMPLE_LICENCE
    assert SAMPLE_ATTRIBUTION in source.select_one(".attribution").get_text()
    # Ouishare's page shows the sample's incoming memberships, so it credits the sample too;
    # a page with nothing imported credits nothing.
    assert site.html("/id/organisation/ouishare").select_one(".sources li") is not None
    assert site.html("/id/event/ouishare-fest").select_one(".sources") is None


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_its_rdf_forms_and_has_no_inline_script(site: Site, path: str) -> None:
    soup = site.html(path)
    alternates = {link["type"]: link["href"] for link in soup.select('link[rel="alternate"][type]')}
    assert "text/turtle" in alternates and "application/ld+json" in alternates
    visible = {a.get_text(): a["href"] for a in soup.select(".data-as a")}
    assert visible["Turtle"] == alternates["text/turtle"]
    assert visible["JSON-LD"] == alternates["application/ld+json"]
    turtle = site.get(alternates["text/turtle"], accept="*/*")
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    parse_graph(turtle.content, "turtle")
    # No inline script: scripts come from /static, data travels as JSON (never run).
    assert all(
        s.get("src", "").startswith("/static/") or s.get("type") == "application/json"
        for s in soup.select("script")
    )
    assert all(not s.get_text().strip() for s in soup.select("script[src]"))
    # Landmarks and the skip link.
    assert (
        soup.select_one("main#content") and soup.select_one("header") and soup.select_one("footer")
    )
    assert soup.select_one('a.skip-link[href="#content"]') is not None
    assert len(soup.select("h1")) == 1


def test_language_comes_from_parameter_then_cookie_then_accept_language(site: Site) -> None:
    assert site.html("/", **{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}).html["lang"] == "fr"
    assert site.html("/", **{"Accept-Language": "en"}).html["lang"] == "en"
    site.client.cookies.clear()
    response = site.client.get("/values?lang=fr", headers={"Accept": "text/html"})
    assert response.cookies.get("lang") == "fr"
    # The cookie now chooses French even though the browser asks for English.
    again = site.client.get("/values", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert 'lang="fr"' in again.text.split(">", 2)[1]


def test_the_language_switch_keeps_the_page(site: Site) -> None:
    soup = site.html("/id/organisation/ouishare?lang=en")
    switch = {a["hreflang"]: a["href"] for a in soup.select("nav.languages a")}
    assert switch["fr"] == "/id/organisation/ouishare?lang=fr"
    assert soup.select_one('nav.languages a[aria-current="true"]')["hreflang"] == "en"
    french = site.html(switch["fr"])
    assert french.select_one('[data-group="group.values"] h2').get_text() == "Valeurs"


def test_search_finds_labels_case_insensitively(site: Site) -> None:
    soup = site.html("/search?q=OUISHARE&lang=en")
    hrefs = [a["href"] for a in soup.select("ul.items > li > a")]
    assert local(OUISHARE) in hrefs
    assert soup.select_one("input[name=q]")["value"] == "OUISHARE"


@pytest.mark.parametrize("text", ['") } DROP ALL #', "<script>", "\\", "' OR 1=1"])
def test_search_text_is_bound_never_pasted(site: Site, text: str) -> None:
    response = site.client.get("/search", params={"q": text}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "<script>" not in response.text.replace("&lt;script&gt;", "")


def test_the_ontology_page_documents_every_term_in_both_languages(site: Site) -> None:
    union = site.union()
    owl = "http://www.w3.org/2002/07/owl#"
    terms = {
        str(s)
        for kind in ("Class", "ObjectProperty", "DatatypeProperty")
        for s in union.subjects(
            URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(owl + kind)
        )
        if str(s).startswith(BASE + "ontology#")
    }
    for lang, label in (("en", "Commons"), ("fr", "Commun")):
        soup = site.html(f"/ontology?lang={lang}")
        anchors = {section["id"] for section in soup.select("section.term")}
        assert anchors == {iri.split("#")[1] for iri in terms}
        assert soup.select_one("section#Commons h3").get_text().startswith(label)
    stewards = site.html("/ontology?lang=en").select_one("section#stewards")
    text = stewards.get_text(" ")
    assert "Commons" in text  # the range
    assert "rdfs:seeAlso" in text  # an alignment


def test_a_scheme_page_lists_its_concepts_with_definitions(site: Site) -> None:
    soup = site.html("/scheme/values?lang=en")
    assert soup.select_one("h1").get_text() == "Values"
    concepts = {a["href"]: a for a in soup.select("dl.concepts dt a")}
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    expected = {
        local(str(s)) for s in site.union().subjects(in_scheme, URIRef(BASE + "scheme/values"))
    }
    assert set(concepts) == expected
    assert concepts[local(CARE)].get_text() == "Care"
    assert (
        concepts[local(CARE)]
        .find_parent("dt")
        .find_next_sibling("dd")
        .get_text()
        .startswith("Attention")
    )


def test_list_pages_offer_rdf_too(site: Site) -> None:
    response = site.get("/themes?format=ttl")
    graph = parse_graph(response.content, "turtle")
    assert (URIRef(ECOLOGY), None, None) in graph
