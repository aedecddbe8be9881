"""The SPARQL 1.1 Protocol at /sparql, over real HTTP with real SPARQL clients."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from commons_graph.rdf.conversion import rdflib_graph
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
ORGANISATIONS = """
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?organisation WHERE { ?organisation a org:Organization } ORDER BY ?organisation
"""
DESCRIBE_OUISHARE = f"CONSTRUCT {{ <{OUISHARE}> ?p ?o }} WHERE {{ <{OUISHARE}> ?p ?o }}"
SD = "http://www.w3.org/ns/sparql-service-description#"
ONTOLOGY_GRAPH = "https://w3id.org/commons-graph/graph/ontology"


@pytest.fixture(scope="module")
def live_server(read_only_live_server: LiveServer) -> LiveServer:
    """The module's shared server: these tests only read."""
    return read_only_live_server


def _on_virtuoso(request: pytest.FixtureRequest) -> bool:
    """Whether this test runs on the Virtuoso backend."""
    return "virtuoso" in request.node.callspec.params.values()


def _xfail_on_virtuoso(request: pytest.FixtureRequest, reason: str) -> None:
    if _on_virtuoso(request):
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True, raises=AssertionError))


def endpoint(server: Any) -> str:
    return f"{server.url}/sparql"


def wrapper(server: Any, query: str, fmt: str) -> Any:
    client = SPARQLWrapper(endpoint(server))
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client.query().convert()


def organisations_in_json(server: Any) -> list[str]:
    data = wrapper(server, ORGANISATIONS, JSON)
    return [row["organisation"]["value"] for row in data["results"]["bindings"]]


def test_select_in_json_xml_csv_tsv_agree(live_server: Any, request: pytest.FixtureRequest) -> None:
    _xfail_on_virtuoso(
        request, 'Virtuoso heads a TSV column "organisation", not ?organisation (passed on)'
    )
    """SPARQLWrapper reads the same solutions in the four result formats."""
    expected = organisations_in_json(live_server)
    assert OUISHARE in expected
    xml = wrapper(live_server, ORGANISATIONS, XML)
    uris = [node.firstChild.data for node in xml.getElementsByTagName("uri")]
    assert uris == expected
    table = list(csv.reader(io.StringIO(wrapper(live_server, ORGANISATIONS, CSV).decode())))
    assert table[0] == ["organisation"] and [row[0] for row in table[1:]] == expected
    tsv = wrapper(live_server, ORGANISATIONS, TSV).decode().strip().splitlines()
    assert tsv[0] == "?organisation" and tsv[1:] == [f"<{iri}>" for iri in expected]


def test_ask(live_server: Any) -> None:
    assert wrapper(live_server, f"ASK {{ <{OUISHARE}> ?p ?o }}", JSON)["boolean"] is True
    assert wrapper(live_server, "ASK { <http://example.org/none> ?p ?o }", JSON)["boolean"] is False


def construct_graph(server: Any, accept: str, rdflib_format: str) -> Graph:
    response = fetch.get(
        endpoint(server), params={"query": DESCRIBE_OUISHARE}, headers={"Accept": accept}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    return parse_graph(response.content, rdflib_format)


def parse_graph(data: bytes | str, rdflib_format: str) -> Graph:
    """Parse an RDF response; JSON-LD through pyoxigraph (rdflib's JSON-LD parser warns)."""
    raw = data.encode() if isinstance(data, str) else data
    if rdflib_format == "json-ld":
        triples = ox.parse(raw, format=ox.RdfFormat.JSON_LD)
        return rdflib_graph(triples, Graph())
    return Graph().parse(data=raw, format=rdflib_format)


def test_construct_in_every_rdf_format_is_the_same_graph(live_server: Any) -> None:
    """Turtle (via SPARQLWrapper), N-Triples, JSON-LD and RDF/XML carry the same triples."""
    turtle = Graph().parse(data=wrapper(live_server, DESCRIBE_OUISHARE, TURTLE), format="turtle")
    assert (URIRef(OUISHARE), RDF.type, URIRef("http://www.w3.org/ns/org#Organization")) in turtle
    for accept, name in (
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ):
        assert isomorphic(construct_graph(live_server, accept, name), turtle), accept


def test_rdflib_sparqlstore_as_a_client(live_server: Any) -> None:
    """rdflib's SPARQLStore queries the endpoint like any SPARQL server."""
    graph = Graph(store=SPARQLStore(endpoint(live_server), returnFormat="json"))
    labels = {
        row.label
        for row in graph.query(
            f"SELECT ?label WHERE {{ <{OUISHARE}> <http://www.w3.org/2000/01/rdf-schema#label> "
            "?label }"
        )
    }
    assert Literal("Ouishare", lang="en") in labels
    graph.close()


def _vary(response: httpx.Response) -> list[str]:
    """The request headers a response varies with (caches must key on them)."""
    return [name.strip() for name in response.headers.get("vary", "").split(",")]


def test_the_three_ways_to_send_a_query(live_server: Any) -> None:
    """GET ?query=, POST form-encoded and POST application/sparql-query answer alike."""
    url = endpoint(live_server)
    accept = {"Accept": "application/sparql-results+json"}
    by_get = fetch.get(url, params={"query": ORGANISATIONS}, headers=accept)
    by_form = fetch.post(url, data={"query": ORGANISATIONS}, headers=accept)
    by_body = fetch.post(
        url,
        content=ORGANISATIONS.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert "Accept" in _vary(response)
    assert by_get.json() == by_form.json() == by_body.json()


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_format_parameter_for_links(live_server: Any, fmt: str, media_type: str) -> None:
    response = fetch.get(
        endpoint(live_server),
        params={"query": ORGANISATIONS, "format": fmt},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_q_values_decide(live_server: Any) -> None:
    response = fetch.get(
        endpoint(live_server),
        params={"query": ORGANISATIONS},
        headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"},
    )
    assert response.headers["content-type"].startswith("text/csv")
    graph = fetch.get(
        endpoint(live_server),
        params={"query": DESCRIBE_OUISHARE},
        headers={"Accept": "text/*;q=0.9, application/ld+json;q=0.1"},
    )
    assert graph.headers["content-type"].startswith("text/turtle")


def test_default_and_named_graph_parameters(live_server: Any) -> None:
    """default-graph-uri narrows the default graph; named-graph-uri the GRAPH patterns."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = endpoint(live_server)
    accept = {"Accept": "application/sparql-results+json"}

    def number(response: httpx.Response) -> int:
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    union = number(fetch.get(url, params={"query": count}, headers=accept))
    ontology = number(
        fetch.get(url, params={"query": count, "default-graph-uri": ONTOLOGY_GRAPH}, headers=accept)
    )
    assert 0 < ontology < union
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = fetch.get(
        url, params={"query": graphs, "named-graph-uri": ONTOLOGY_GRAPH}, headers=accept
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [ONTOLOGY_GRAPH]


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert set(body["errors"][0]) == {"focus", "path", "value", "message"}
    return body["errors"][0]  # type: ignore[no-any-return]


def test_malformed_query_is_400_with_the_parser_message(
    live_server: Any, request: pytest.FixtureRequest
) -> None:
    _xfail_on_virtuoso(request, "Virtuoso's SP030 message says 'line 2', not 'line:column'")
    response = fetch.get(endpoint(live_server), params={"query": "SELECT * WHERE { ?s ?p"})
    assert "1:" in error_of(response, 400)["message"]


def test_errors_speak_the_callers_language(live_server: Any) -> None:
    response = fetch.get(
        endpoint(live_server),
        params={"query": "SELECT * {"},
        headers={"Accept-Language": "fr"},
    )
    assert error_of(response, 400)["message"].startswith("La requête")


@pytest.mark.parametrize(
    "send",
    [
        lambda url: fetch.post(url, data={"update": "DROP ALL"}),
        lambda url: fetch.post(
            url, content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
        ),
        lambda url: fetch.get(url, params={"update": "DROP ALL"}),
        lambda url: fetch.get(url, params={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}),
    ],
)
def test_updates_are_refused(live_server: Any, send: Any) -> None:
    """The public never writes: 403, and the store is unchanged."""
    before = organisations_in_json(live_server)
    error_of(send(endpoint(live_server)), 403)
    assert organisations_in_json(live_server) == before


def test_wrong_method_unsupported_type_nothing_acceptable(live_server: Any) -> None:
    url = endpoint(live_server)
    error_of(fetch.put(url, content=b"x"), 405)
    error_of(
        fetch.post(url, content=ORGANISATIONS.encode(), headers={"Content-Type": "text/plain"}),
        415,
    )
    response = fetch.get(url, params={"query": ORGANISATIONS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    construct = fetch.get(url, params={"query": DESCRIBE_OUISHARE}, headers={"Accept": "text/csv"})
    assert construct.status_code == 406


def test_oversized_queries_are_413(live_server: Any) -> None:
    url = endpoint(live_server)
    limit = live_server.settings.max_query_bytes
    big = "SELECT * { ?s ?p ?o } #" + "x" * limit
    error_of(fetch.post(url, data={"query": big}), 413)
    error_of(
        fetch.post(url, content=big.encode(), headers={"Content-Type": "application/sparql-query"}),
        413,
    )


def test_service_description_for_rdf_clients(
    live_server: Any, request: pytest.FixtureRequest
) -> None:
    """GET /sparql without a query describes the service (sd:Service), in Turtle by default."""
    url = endpoint(live_server)
    response = fetch.get(url, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "Accept" in _vary(response)
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(url)
    assert (service, RDF.type, URIRef(SD + "Service")) in graph
    assert (service, URIRef(SD + "endpoint"), service) in graph
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    formats = set(graph.objects(service, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    dataset = graph.value(service, URIRef(SD + "defaultDataset"))
    assert dataset == URIRef("https://w3id.org/commons-graph/.well-known/void#dataset")
    see_also = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    assert graph.value(dataset, see_also) == URIRef(f"{live_server.url}/.well-known/void")
    names = {
        graph.value(n, URIRef(SD + "name"))
        for n in graph.objects(dataset, URIRef(SD + "namedGraph"))
    }
    assert URIRef(ONTOLOGY_GRAPH) in names
    # The GeoSPARQL functions the store evaluates are declared, and answer through /sparql.
    geof = "http://www.opengis.net/def/function/geosparql/"
    declared = set(graph.objects(service, URIRef(SD + "extensionFunction")))
    if _on_virtuoso(request):
        # Virtuoso 7.2 has no geof: functions: none declared (docs/remote.md).
        assert declared == set()
        return
    assert {URIRef(geof + "distance"), URIRef(geof + "sfWithin")} <= declared
    assert URIRef(geof + "buffer") not in declared
    assert (URIRef(geof + "distance"), RDF.type, URIRef(SD + "Function")) in graph
    wkt = "^^<http://www.opengis.net/ont/geosparql#wktLiteral>"
    query = (
        f'SELECT ?d ?in WHERE {{ BIND(<{geof}distance>("POINT(2.35 48.86)"{wkt}, '
        f'"POINT(-43.2 -22.9)"{wkt}, <http://www.opengis.net/def/uom/OGC/1.0/metre>) AS ?d) '
        f'BIND(<{geof}sfWithin>("POINT(2.35 48.86)"{wkt}, '
        f'"POLYGON((2 48, 3 48, 3 49, 2 49, 2 48))"{wkt}) AS ?in) }}'
    )
    answer = fetch.get(
        url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    row = answer.json()["results"]["bindings"][0]
    assert 9_100_000 < float(row["d"]["value"]) < 9_200_000  # Paris to Rio, in metres
    assert row["in"]["value"] == "true"
    as_jsonld = fetch.get(url, headers={"Accept": "application/ld+json"})
    assert isomorphic(parse_graph(as_jsonld.content, "json-ld"), graph)
    assert fetch.get(url).headers["content-type"].startswith("text/turtle")
