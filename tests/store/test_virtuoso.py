"""The remote backend on OpenLink Virtuoso: what only Virtuoso shows (the rest of the suite runs on
it too, through the `virtuoso` backend of tests/helpers/backends.py).

Virtuoso differs from Oxigraph where it matters here: its default graph is already the union of
all graphs, updates go to /sparql-auth with HTTP Digest authentication, and it holds system
graphs of its own, so counts are taken per graph.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet, QuerySyntaxError
from commons_graph.store.remote import RemoteStore
from commons_graph.store.union import UnionMode
from tests.helpers.virtuoso import VirtuosoServer, virtuoso_executable

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(virtuoso_executable() is None, reason="scripts/setup test installs it"),
]

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")


@pytest.fixture
def store(virtuoso_server: VirtuosoServer) -> Iterator[RemoteStore]:
    """A remote store on the session's Virtuoso, emptied; updates as the documented user."""
    virtuoso_server.clear()
    opened = RemoteStore.from_settings(virtuoso_server.settings())
    try:
        yield opened
    finally:
        opened.close()


def quad(s: str, o: str, graph: ox.NamedNode = G1) -> ox.Quad:
    """A quad of example IRIs."""
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), graph)


def test_union_is_native_and_writes_need_digest(store: RemoteStore) -> None:
    """Virtuoso's default graph is the union; the update endpoint asked for Digest."""
    store.commit(ChangeSet(insert=[quad("a", "1"), quad("b", "2", G2)]))
    query = "SELECT ?s WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"
    assert [row[0] for row in store.select(query).rows] == [
        ox.NamedNode(EX + "a"),
        ox.NamedNode(EX + "b"),
    ]
    assert store.union_mode is UnionMode.NATIVE
    assert store.http.auth is not None and store.http.auth.scheme == "digest"


def test_replace_count_drop(store: RemoteStore) -> None:
    """Graphs are replaced and dropped; counts are exact per graph."""
    store.replace_graph(G1, [quad("a", "1").triple, quad("b", "2").triple])
    store.replace_graph(G1, [quad("c", "3").triple])
    assert store.count(G1) == 1
    assert G1 in store.named_graphs()
    store.drop_graph(G1)
    assert store.count(G1) == 0


def test_invalid_change_writes_nothing(store: RemoteStore) -> None:
    """A change that the server refuses leaves the graph as it was."""
    store.replace_graph(G1, [quad("a", "1").triple])
    bad = ChangeSet(drop_graphs=[G1], insert=[quad("x", "x", G2)])
    bad.delete.append(ox.Quad(ox.BlankNode("b"), ox.NamedNode(EX + "p"), ox.Literal("1"), G1))
    with pytest.raises(Exception):  # noqa: B017 - the server's own refusal
        store.commit(bad)
    assert store.count(G1) == 1
    assert store.count(G2) == 0


def test_load_and_dump_one_graph(store: RemoteStore, tmp_path: Path) -> None:
    """A file is loaded into its graph and exported again with its literals."""
    path = tmp_path / "data.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "é"@fr .\n', encoding="utf-8")
    assert store.load_graph(G1, path, rdf_format("ttl")) == 1
    buffer = io.BytesIO()
    store.dump(buffer, rdf_format("nq"), G1)
    assert set(ox.parse(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)) == {
        ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("é", language="fr"), G1)
    }


def test_malformed_query(store: RemoteStore) -> None:
    """Virtuoso's refusal of a query that does not parse is a QuerySyntaxError."""
    with pytest.raises(QuerySyntaxError):
        store.select("SELECT WHERE {")
