"""The answer rewriter of store/dialect.py: a server's own geometry datatype read back as
`geo:wktLiteral`, and blank node prefixes taken off, whole or cut anywhere into chunks."""

from __future__ import annotations

import pyoxigraph as ox

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
