"""The answer rewriter of store/dialect.py: a server's own geometry datatype read back as
`geo:wktLiteral`, and blank node prefixes taken off, whole or cut anywhere into chunks."""

from __future__ import annotations

import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.store.dialect import WKT_LITERAL, BlankNodeRewriter, Dialect

GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
ANSWER = (
    '{ "head": { "vars": ["b", "l"] }, "results": { "bindings": [ '
    '{ "b": { "type": "bnode", "value": "nodeID://b1" }, "l": { "type": "typed-literal", '
    f'"datatype": "{GEOMETRY}", "value": "POINT(1 2)" }}}} ] }} }}'
).encode()


def _parse(body: bytes) -> tuple[ox.BlankNode, ox.Literal]:
    solutions = list(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))  # type: ignore[arg-type]
    return solutions[0]["b"], solutions[0]["l"]


def test_geometry_datatype_is_read_as_wkt_whole_and_in_any_chunks() -> None:
    rewriter = BlankNodeRewriter("nodeID://", GEOMETRY)
    expected = (ox.BlankNode("b1"), ox.Literal("POINT(1 2)", datatype=ox.NamedNode(WKT_LITERAL)))
    assert _parse(rewriter.whole(ANSWER)) == expected
    for size in (1, 7, 50, len(ANSWER)):
        pieces = iter([ANSWER[i : i + size] for i in range(0, len(ANSWER), size)])
        assert _parse(b"".join(rewriter.chunks(pieces))) == expected


def test_only_the_geometry_datatype_when_blank_nodes_are_standard() -> None:
    dialect = Dialect(wkt_datatype=GEOMETRY)
    rewriter = dialect.rewriter()
    assert rewriter is not None
    body = ANSWER.replace(b"nodeID://", b"")
    assert _parse(rewriter.whole(body))[1].datatype == ox.NamedNode(WKT_LITERAL)
    assert rewriter.term(ox.BlankNode("x")) == "_:x"
    assert Dialect().rewriter() is None


# The rewriting as one regular expression (what the rewriter did before it searched bytes):
# the reference the faster rewriting must agree with.
_REFERENCE = re.compile(
    rb'(?P<b>"type"\s{0,8}:\s{0,8}"bnode"\s{0,8},\s{0,8}"value"\s{0,8}:\s{0,8}"|<bnode>)'
    + re.escape(b"nodeID://")
    + rb'|(?P<d>")'
    + re.escape(GEOMETRY.encode())
    + rb'"'
)


def _reference(body: bytes) -> bytes:
    return _REFERENCE.sub(
        lambda m: m["b"] if m["b"] is not None else f'"{WKT_LITERAL}"'.encode(), body
    )


def _reference_chunks(chunks: list[bytes]) -> bytes:
    """As `BlankNodeRewriter.chunks` with the reference pattern (its tail kept back, again)."""
    done, pending = b"", b""
    for chunk in chunks:
        pending = _reference(pending + chunk)
        done, pending = done + pending[:-192], pending[-192:]
    return done + pending


# Whole tokens of an answer (a server never writes a quote that both closes a datatype and
# opens a key, where the two ways would differ).
_PIECES = st.sampled_from(
    [
        b'"type": "bnode", "value": "',
        b'"type":"bnode","value":"',
        b'"type"  :  "bnode"  ,\n "value" : "',
        b'"type": "uri", "value": "',
        b"<bnode>",
        b"<uri>",
        b"nodeID://",
        b"nodeID:/",
        f'"{GEOMETRY}"'.encode(),
        b"b1",
        b'"',
        b" ",
        b"}, {",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.integers(1, 300))
def test_the_rewriting_is_the_one_pattern_s_whole_and_in_chunks(
    pieces: list[bytes], size: int
) -> None:
    """Whatever the answer and wherever the network cuts it, as one regular expression."""
    rewriter = BlankNodeRewriter("nodeID://", GEOMETRY)
    body = b"".join(pieces)
    expected = _reference(body)
    assert rewriter.whole(body) == expected
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    assert b"".join(rewriter.chunks(iter(chunks))) == _reference_chunks(chunks)
