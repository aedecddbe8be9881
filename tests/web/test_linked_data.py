"""Dereferencing minted IRIs over HTTP: conneg, Cool URIs headers, descriptions, 404s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from commons_graph.config import Settings
from commons_graph.views.labels import LABEL_PROPERTIES
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer
from tests.helpers.pages import (
    BASE,
    CARE,
    OUISHARE,
    Site,
    in_process_site,
    parse_graph,
    same_graph,
    sample_iri,
)

RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"

RDF_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site, shared by this module's tests."""
    yield from in_process_site(tmp_path_factory.mktemp("site"), tmp_path_factory)


def parse(body: bytes, rdflib_format: str) -> Graph:
    """Parse an RDF response body (never fetching anything remote)."""
    return parse_graph(body, rdflib_format)


def expected_description(site: Site, iri: str) -> Graph:
    """From the store's quads: statements both ways, plus the labels of linked resources."""
    union = site.union()
    node = URIRef(iri)
    expected = Graph()
    for triple in union.triples((node, None, None)):
        expected.add(triple)
    for triple in union.triples((None, None, node)):
        expected.add(triple)
    linked = {t for s, _, o in expected for t in (s, o) if isinstance(t, URIRef)}
    for resource in linked:
        for prop in LABEL_PROPERTIES:
            for label in union.objects(resource, URIRef(prop)):
                expected.add((resource, URIRef(prop), label))
    return expected


@pytest.mark.parametrize("media_type", sorted(RDF_MEDIA_TYPES))
def test_each_rdf_format_gives_the_description_in_both_directions(
    site: Site, media_type: str
) -> None:
    response = site.get("/id/organisation/ouishare", accept=media_type)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    extension = {"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media_type)
    if extension:
        assert response.headers["content-location"] == f"/id/organisation/ouishare.{extension}"
    got = parse(response.content, RDF_MEDIA_TYPES[media_type])
    assert same_graph(got, expected_description(site, OUISHARE))
    # Incoming statements are there: members of Ouishare point at it.
    member_of = URIRef("http://www.w3.org/ns/org#memberOf")
    assert (URIRef(sample_iri(1)), member_of, URIRef(OUISHARE)) in got


def test_a_concept_lists_who_holds_it(site: Site) -> None:
    got = parse(site.get("/value/care", accept="text/turtle").content, "turtle")
    holds = URIRef(BASE + "ontology#holdsValue")
    assert (URIRef(OUISHARE), holds, URIRef(CARE)) in got
    assert same_graph(got, expected_description(site, CARE))


def test_browsers_get_a_page_with_conneg_headers(site: Site) -> None:
    response = site.get(
        "/id/organisation/ouishare",
        accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"] == "/id/organisation/ouishare.html"
    assert 'rel="alternate"; type="text/turtle"' in response.headers["link"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html;q=0.5, text/turtle", "text/turtle"),
        ("application/rdf+xml;q=0.9, */*;q=0.1", "application/rdf+xml"),
        ("application/ld+json;q=0.2, text/turtle;q=0.8", "text/turtle"),
        ("*/*", "text/html"),
        ("", "text/html"),
        ("application/*", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("text/html;q=0, text/*", "text/turtle"),
    ],
)
def test_negotiation_follows_q_values_and_wildcards(site: Site, accept: str, expected: str) -> None:
    response = site.get("/id/organisation/ouishare", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected


def test_unacceptable_types_get_406_in_the_error_shape(site: Site) -> None:
    response = site.get("/id/organisation/ouishare", accept="image/png")
    assert response.status_code == 406
    body = response.json()
    assert body["ok"] is False and body["status"] == 406
    assert "text/turtle" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/id/organisation/ouishare.ttl", "text/turtle"),
        ("/id/organisation/ouishare.jsonld", "application/ld+json"),
        ("/id/organisation/ouishare.nt", "application/n-triples"),
        ("/id/organisation/ouishare.rdf", "application/rdf+xml"),
        ("/id/organisation/ouishare?format=ttl", "text/turtle"),
        ("/id/organisation/ouishare.html", "text/html"),
    ],
)
def test_document_urls_fix_the_format_whatever_the_accept_header(
    site: Site, path: str, media_type: str
) -> None:
    response = site.get(path, accept="application/rdf+xml")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type != "text/html":
        assert "Accept" not in response.headers.get("vary", "")


def test_jsonld_is_compact_with_an_inline_context(site: Site) -> None:
    body = site.get("/id/organisation/ouishare.jsonld").json()
    context = body["@context"]
    assert isinstance(context, dict)
    assert context["cg"] == BASE + "ontology#"
    # No remote context anywhere: every value of the context is a namespace, not a document.
    assert all(isinstance(v, str) for v in context.values())


def test_unknown_iris_are_404_as_json_for_tools(site: Site) -> None:
    response = site.get("/id/organisation/no-such-thing", accept="text/turtle")
    assert response.status_code == 404
    body = response.json()
    assert body == {
        "ok": False,
        "status": 404,
        "errors": [
            {"focus": None, "path": None, "value": None, "message": body["errors"][0]["message"]}
        ],
    }


def test_unknown_iris_are_404_pages_for_people_in_their_language(site: Site) -> None:
    response = site.get("/id/organisation/no-such-thing", **{"Accept-Language": "fr"})
    assert response.status_code == 404
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.text, "lxml")
    assert soup.html["lang"] == "fr"
    assert soup.select_one("h1").get_text() == "Erreur 404"
    assert "Rien n'est connu" in soup.select_one(".error-message").get_text()


def test_head_is_answered(site: Site) -> None:
    response = site.client.head("/id/organisation/ouishare", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


def test_the_ontology_dereferences_to_its_graph(site: Site) -> None:
    response = site.get("/ontology", accept="text/turtle")
    assert response.status_code == 200
    assert response.headers["content-location"] == "/ontology.ttl"
    got = parse(response.content, "turtle")
    dataset = site.dataset()
    expected = dataset.graph(URIRef(BASE + "graph/ontology"))
    assert same_graph(got, expected)


def test_a_hash_term_of_the_ontology_links_to_its_anchor(site: Site) -> None:
    soup = site.html("/id/organisation/ouishare?lang=en")
    kinds = [a["href"] for a in soup.select(".kinds a")]
    assert "/ontology#Collective" in kinds
    ontology = site.html("/ontology")
    assert ontology.select_one("section#Collective") is not None


def test_a_scheme_dereferences_to_its_description(site: Site) -> None:
    got = parse(site.get("/scheme/values", accept="text/turtle").content, "turtle")
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    assert (URIRef(CARE), in_scheme, URIRef(BASE + "scheme/values")) in got


def test_static_and_other_routes_are_not_swallowed_by_the_catch_all(site: Site) -> None:
    assert site.get("/static/site.css", accept="*/*").status_code == 200
    assert site.get("/organisations").status_code == 200
    assert site.get("/api/openapi.json", accept="application/json").status_code == 200


def test_a_non_empty_store_gets_the_seed_when_served(embedded_settings: Settings) -> None:
    """Serving brings any store up to date with the shipped seed, not only an empty one."""
    import pyoxigraph as ox

    from commons_graph.store import open_store

    with open_store(embedded_settings) as store:
        store.replace_graph(
            ox.NamedNode("https://w3id.org/commons-graph/graph/file/mine.ttl"),
            [ox.Triple(ox.NamedNode(OUISHARE), ox.NamedNode(RDFS_COMMENT), ox.Literal("mine"))],
        )
    with LiveServer(embedded_settings) as server:
        response = fetch.get(
            server.url + "/id/organisation/ouishare", headers={"Accept": "text/turtle"}
        )
        graph = parse_graph(response.content, "turtle")
    assert (URIRef(OUISHARE), URIRef(RDFS_COMMENT), Literal("mine")) in graph
    assert (URIRef(OUISHARE), RDF.type, URIRef("http://www.w3.org/ns/org#Organization")) in graph
