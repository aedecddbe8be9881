"""Reading contributions: media types, size, syntax positions, graphs, shapes, JSON-LD contexts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import local_http_server

from commons_graph.contributions.errors import ContributionError, TooLarge, UnsupportedMediaType
from commons_graph.contributions.parsing import (
    CONTEXT_URL,
    media_format,
    parse_contribution,
)
from commons_graph.formats import rdf_format

TURTLE = rdf_format("turtle")
JSONLD = rdf_format("jsonld")
OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"


def test_unknown_media_type_is_415() -> None:
    with pytest.raises(UnsupportedMediaType):
        media_format("application/pdf")
    with pytest.raises(UnsupportedMediaType):
        media_format("application/trig")
    assert media_format("text/turtle; charset=utf-8") == TURTLE


def test_too_large_is_413() -> None:
    with pytest.raises(TooLarge):
        parse_contribution(b"<a> <b> <c> ." * 10, TURTLE, 50)


def test_syntax_error_names_line_and_column() -> None:
    body = b'@prefix cg: <https://w3id.org/commons-graph/ontology#> .\n<x> cg:mission "oops .\n'
    with pytest.raises(ContributionError) as caught:
        parse_contribution(body, TURTLE, 10_000)
    assert caught.value.status == 400
    assert "line 2" in str(caught.value) and "column" in str(caught.value)


def test_relative_iris_resolve_against_the_instances_namespace() -> None:
    (triple,) = parse_contribution(b"<organisation/ouishare> <p:x> <commons/y> .", TURTLE, 1000)
    assert triple.subject.value == OUISHARE


def test_shapes_and_named_graphs_are_refused() -> None:
    shape = b"<x> a <http://www.w3.org/ns/shacl#NodeShape> ."
    with pytest.raises(ContributionError, match="SHACL"):
        parse_contribution(shape, TURTLE, 1000)
    graph = json.dumps({"@id": "http://g", "@graph": [{"@id": "http://a", "http://p": "x"}]})
    with pytest.raises(ContributionError, match="named graphs"):
        parse_contribution(graph.encode(), JSONLD, 1000)


def test_bundled_context_is_used_without_fetching() -> None:
    doc = {
        "@context": CONTEXT_URL,
        "@id": OUISHARE,
        "holdsValue": "https://w3id.org/commons-graph/value/sharing",
    }
    (triple,) = parse_contribution(json.dumps(doc).encode(), JSONLD, 10_000)
    assert triple.predicate.value == "https://w3id.org/commons-graph/ontology#holdsValue"


class _Listener(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(b'{"@context": {"name": "http://example.org/name"}}')

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[str]:
    """A local HTTP server that records every request it gets."""
    _Listener.hits = []
    with local_http_server(_Listener) as url:
        yield url + "/context.jsonld"


@pytest.mark.parametrize("form", ["direct", "import", "list", "nested"])
def test_remote_contexts_are_refused_and_never_fetched(listener: str, form: str) -> None:
    context: object = {
        "direct": listener,
        "import": {"@import": listener},
        "list": [CONTEXT_URL, listener],
        "nested": {"p": {"@id": "http://example.org/p", "@context": listener}},
    }[form]
    doc = {"@context": context, "@id": OUISHARE, "name": "x"}
    with pytest.raises(ContributionError, match="never fetched"):
        parse_contribution(json.dumps(doc).encode(), JSONLD, 10_000)
    assert _Listener.hits == []


def test_pyoxigraph_itself_does_not_fetch_remote_contexts(listener: str) -> None:
    """Even if a context slipped past our allow-list, the parser would refuse to load it."""
    import pyoxigraph as ox

    doc = json.dumps({"@context": listener, "@id": OUISHARE, "name": "x"}).encode()
    with pytest.raises(SyntaxError):
        list(ox.parse(doc, format=ox.RdfFormat.JSON_LD, base_iri=OUISHARE))
    assert _Listener.hits == []
