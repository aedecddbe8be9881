"""Reading contributions: media types, size, syntax positions, graphs, shapes, JSON-LD contexts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pyoxigraph as ox
import pytest

from commons_graph.contributions.errors import ContributionError, TooLarge, UnsupportedMediaType
from commons_graph.contributions.parsing import (
    CONTEXT_URL,
    ContributionLimits,
    media_format,
    parse_contribution,
)
from commons_graph.rdf.formats import Format, rdf_format
from commons_graph.rdf.parsing import nesting_depth
from tests.helpers.servers import local_http_server

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


# Limits: each bounds the work of one contribution (docs/security.md).


def _refused(body: bytes, fmt: Format = TURTLE, **limits: int) -> ContributionError:
    with pytest.raises(ContributionError) as caught:
        parse_contribution(body, fmt, ContributionLimits(**limits))
    return caught.value


def _subject(n: int) -> str:
    return f"<{OUISHARE}> <https://example.org/p{n}> "


@pytest.mark.parametrize(
    "body",
    [
        _subject(0) + "[ <https://example.org/p> " * 40 + "<p:o>" + " ]" * 40 + " .",
        _subject(0) + "( " * 40 + "1" + " )" * 40 + " .",
        _subject(0) + "[ <https://example.org/p> " * 20_000 + "<p:o>" + " ]" * 20_000 + " .",
    ],
    ids=["property-lists", "collections", "20000-levels"],
)
def test_turtle_nested_too_deep_is_422(body: str) -> None:
    error = _refused(body.encode(), max_depth=32)
    assert error.status == 422 and error.key == "contribution.too_deep"
    assert "32" in error.message("en") and "32" in error.message("fr")


def test_brackets_inside_strings_iris_and_comments_do_not_count() -> None:
    body = (
        _subject(0)
        + '"[[[[((((" , """ ]]]] [[[[ \\""" """ , \'((((\' .  # [[[[[[[[[[[[\n'
        + _subject(1)
        + "[ <https://example.org/q> ( 1 2 ) ] ."
    )
    triples = parse_contribution(body.encode(), TURTLE, ContributionLimits(max_depth=2))
    assert len(triples) == 9


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"@id": "x", "p": ', "}")])
def test_json_ld_nested_too_deep_is_422(opening: str, closing: str) -> None:
    inner = opening * 5_000 + "1" + closing * 5_000
    body = json.dumps({"@id": OUISHARE}).replace("}", f', "https://example.org/p": {inner}}}')
    error = _refused(body.encode(), JSONLD, max_depth=32)
    assert error.status == 422 and error.key == "contribution.too_deep"


def test_too_many_statements_is_413() -> None:
    body = "".join(_subject(n) + f'"{n}" .\n' for n in range(11))
    error = _refused(body.encode(), max_statements=10)
    assert error.status == 413 and "10" in error.message("en")
    assert len(parse_contribution(body.encode(), TURTLE, ContributionLimits(max_statements=11)))


def test_too_many_blank_nodes_is_422() -> None:
    body = "".join(_subject(n) + f'[ <https://example.org/v> "{n}" ] .\n' for n in range(6))
    error = _refused(body.encode(), max_blank_nodes=5)
    assert error.status == 422 and error.key == "contribution.too_many_blank_nodes"
    assert "5" in error.message("fr")


@pytest.mark.parametrize(
    "body,fmt",
    [
        (f"<{OUISHARE}> <https://example.org/p> <<( <{OUISHARE}> <p:q> <p:r> )>> .", TURTLE),
        (f"<< <{OUISHARE}> <https://example.org/p> <p:o> >> <p:q> <p:r> .", TURTLE),
        (f"<{OUISHARE}> <https://example.org/p> <p:o> {{| <p:q> <p:r> |}} .", TURTLE),
        (
            f"<{OUISHARE}> <https://example.org/p> <<( <{OUISHARE}> <p:q> <p:r> )>> .",
            rdf_format("ntriples"),
        ),
    ],
    ids=["triple-term", "reifier", "annotation", "n-triples"],
)
def test_triple_terms_are_422(body: str, fmt: Format) -> None:
    error = _refused(body.encode(), fmt)
    assert error.status == 422 and error.key == "contribution.triple_terms"


def test_json_ld_annotation_is_refused_or_ignored() -> None:
    doc = {
        "@id": OUISHARE,
        "https://example.org/p": {
            "@id": "https://example.org/o",
            "@annotation": {"https://example.org/q": "r"},
        },
    }
    try:
        triples = parse_contribution(json.dumps(doc).encode(), JSONLD, 10_000)
    except ContributionError as error:
        assert 400 <= error.status < 500
    else:
        assert all(not isinstance(t.object, ox.Triple) for t in triples)


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD])
def test_a_byte_order_mark_is_read_or_refused_cleanly(fmt: Format) -> None:
    text = (
        f'<{OUISHARE}> <https://example.org/p> "x" .'
        if fmt is TURTLE
        else json.dumps({"@id": OUISHARE, "https://example.org/p": "x"})
    )
    for body in (b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        try:
            (triple,) = parse_contribution(body, fmt, 10_000)
        except ContributionError as error:
            assert error.status == 400
        else:
            assert triple.object == ox.Literal("x")


@pytest.mark.parametrize(
    "source,depth",
    [
        (b'<a> <b> [ <c> [ <d> "x]]]" ] ] .', 2),
        (b"<a> <b> ( 1 ( 2 ) ) . # ((((", 2),
        (b'<a> <b> """ [[[ \\""" """ .', 0),
        (b"<a> <b> '''(('''  .", 0),
        (b"<< <a> <b> <c> >> <p> <o> .", 1),
        (b"ex:a\\(b <p> <o> .", 0),
        (b'"unterminated [[[', 3),
    ],
)
def test_nesting_depth_of_turtle(source: bytes, depth: int) -> None:
    assert nesting_depth(source, TURTLE) == depth


def test_nesting_depth_of_json() -> None:
    assert nesting_depth(b'{"a": [{"b": "[[[\\"{{"}]}', JSONLD) == 3
    assert nesting_depth(b"[" * 1000, JSONLD, stop_at=10) == 11
