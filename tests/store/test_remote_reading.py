"""A remote store's whole-store and one-graph reads (N-Triples by graph, store/remote_reading.py)
give exactly the quads of one `SELECT ?s ?p ?o ?g` in SPARQL JSON, on every server backend."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.remote import RemoteStore
from commons_graph.store.remote_reading import LARGE_GRAPH_QUADS, large_graphs
from tests.helpers.backends import BACKENDS

XSD = "http://www.w3.org/2001/XMLSchema#"
BOOLEAN = ox.NamedNode(XSD + "boolean")
P = ox.NamedNode("https://example.org/p")
LARGE = ox.NamedNode("https://example.org/graph/large")
SMALL = ox.NamedNode("https://example.org/graph/small")
# Literals a format could get wrong: whitespace at either end (Virtuoso's XML drops the
# trailing one), escapes, control and non-BMP characters, languages, datatypes, geometry.
HOSTILE = [
    ox.Literal(text)
    for text in (
        "trailing  ",
        "  leading",
        " ",
        "",
        "tab\there",
        "new\nline",
        "cr\rreturn",
        'quote"s',
        '"""',
        "back\\slash",
        "line\\nnot",
        "ctl\u0001x",
        "\u2028separator",
        "é ü 中文",
        "emoji 😀",
        "<tag>&amp;",
        "nodeID://b1",
        '"^^<http://www.openlinksw.com/schemas/virtrdf#Geometry>',
    )
] + [
    ox.Literal("hello", language="en-gb"),
    ox.Literal("bonjour ", language="fr"),
    ox.Literal("x y ", datatype=ox.NamedNode("https://example.org/datatype")),
    ox.Literal(
        "POINT(1 2)", datatype=ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")
    ),
]
# Values a server may store in a canonical form of its own: compared between the two paths only.
TYPED = [
    ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("2020-01-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("2020-01-01T10:00:00Z", datatype=ox.NamedNode(XSD + "dateTime")),
    ox.Literal("2020-01-01T10:00:00.5+02:00", datatype=ox.NamedNode(XSD + "dateTime")),
    ox.Literal("1.5E3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("0.1", datatype=ox.NamedNode(XSD + "float")),
    ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("-0", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("2020", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("true", datatype=BOOLEAN),
    ox.Literal("false", datatype=BOOLEAN),
]


# The server backends only: the embedded store reads its own files.
SERVERS = [backend for backend in BACKENDS if backend != "embedded"]


def _as_written(quad: ox.Quad) -> ox.Quad:
    """`quad` with a boolean's numeric form written as the word: Virtuoso keeps booleans as
    numbers, and its JSON answers give them as "1"/"0", its N-Triples as "true"/"false"; the
    same value, which its updates treat as one."""
    value = quad.object
    if isinstance(value, ox.Literal) and value.datatype == BOOLEAN and value.value in ("0", "1"):
        value = ox.Literal(("false", "true")[int(value.value)], datatype=BOOLEAN)
    return ox.Quad(quad.subject, quad.predicate, value, quad.graph_name)


def _hostile_quads() -> list[ox.Quad]:
    shared = ox.BlankNode("shared")
    quads = [
        ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), P, value, graph)
        for graph in (LARGE, SMALL)
        for i, value in enumerate(HOSTILE + TYPED)
    ]
    # A blank node (put in the small graph too by `_share_blank_node`), and an IRI needing
    # escapes.
    quads += [
        ox.Quad(shared, P, ox.Literal("shared"), LARGE),
        ox.Quad(ox.NamedNode("https://example.org/é%20x?y=z#w"), P, ox.NamedNode("urn:x:y"), LARGE),
    ]
    # Enough quads to make LARGE a graph read on its own.
    quads += [
        ox.Quad(ox.NamedNode(f"https://example.org/padding/{i}"), P, ox.Literal(str(i)), LARGE)
        for i in range(LARGE_GRAPH_QUADS)
    ]
    return quads


def _share_blank_node(store: RemoteStore) -> None:
    """The large graph's blank node named in the small graph too (one update reading it: a
    label in a write names a new node, and Virtuoso refuses one template over two graphs)."""
    update = (
        f"INSERT {{ GRAPH {SMALL} {{ <https://example.org/s0> {P} ?b }} }} "
        f'WHERE {{ GRAPH {LARGE} {{ ?b {P} "shared" }} }}'
    )
    assert store.update_url is not None
    store.http.write(
        "POST", store.update_url, content=update.encode(), content_type="application/sparql-update"
    )


@pytest.mark.parametrize("backend_settings", SERVERS, indirect=True)
def test_whole_store_and_graph_reads_match_one_select(seeded_store: Store) -> None:
    store = seeded_store
    assert isinstance(store, RemoteStore)
    store.commit(ChangeSet(insert=_hostile_quads()))
    _share_blank_node(store)
    assert LARGE in large_graphs(store) and SMALL not in large_graphs(store)

    raw = list(store.quads())
    assert len(raw) == len(set(raw))  # each graph read once
    pattern = store._all_quads_pattern()
    selected = list(store.stream_solutions(f"SELECT ?s ?p ?o ?g WHERE {{ {pattern} }}"))
    everything = {_as_written(quad) for quad in raw}
    assert everything == {_as_written(quad) for quad in selected}
    # The copy an admin's update is evaluated on (a pyoxigraph store, sparql/update_worker.py)
    # is the same, term for term, whichever way it was read: booleans included.
    read, copied = ox.Store(), ox.Store()
    read.extend(raw)
    copied.extend(selected)
    assert set(read) == set(copied)
    # Booleans read as the seed wrote them.
    unique_lang = ox.NamedNode("http://www.w3.org/ns/shacl#uniqueLang")
    assert {q.object for q in everything if q.predicate == unique_lang} == {
        ox.Literal("true", datatype=BOOLEAN)
    }
    by_graph = {graph: set(store.quads(graph)) for graph in (LARGE, SMALL)}
    for graph, quads in by_graph.items():
        assert quads == {q for q in everything if q.graph_name == graph}

    # The hostile values come back as written (blank nodes aside: the server names them).
    found = {(q.subject, q.object, q.graph_name) for q in everything}
    for graph in (LARGE, SMALL):
        for i, value in enumerate(HOSTILE):
            assert (ox.NamedNode(f"https://example.org/s{i}"), value, graph) in found, value
    shared = [q.subject for q in by_graph[LARGE] if isinstance(q.subject, ox.BlankNode)]
    assert len(shared) == 1
    assert [q.object for q in by_graph[SMALL] if isinstance(q.object, ox.BlankNode)] == shared

    # Booleans as either path read them (N-Triples for the large graph, JSON for the small
    # one) are deleted by a write naming them so.
    booleans = [quad for quad in raw if _is_test_boolean(quad)]
    assert len(booleans) == 4
    store.commit(ChangeSet(delete=booleans))
    left = store.stream_solutions(
        f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?g {{ {LARGE} {SMALL} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    assert not [quad for quad in left if _is_test_boolean(quad)]


def _is_test_boolean(quad: ox.Quad) -> bool:
    value = quad.object
    return (
        isinstance(value, ox.Literal)
        and value.datatype == BOOLEAN
        and quad.graph_name in (LARGE, SMALL)
    )
