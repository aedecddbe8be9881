"""The remote backend on OpenLink Virtuoso (opt-in: needs `virtuoso-t`, Debian virtuoso-opensource).

Virtuoso differs from Oxigraph where it matters here: its default graph is already the union of
all graphs, updates go to /sparql-auth with HTTP Digest authentication, and it holds system
graphs of its own, so counts are taken per graph.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet, QuerySyntaxError
from commons_graph.store.remote import RemoteStore
from commons_graph.store.union import UnionMode
from tests.helpers.servers import free_port

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(shutil.which("virtuoso-t") is None, reason="Virtuoso is not installed"),
]

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")

_INI = """
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away Virtuoso in a temporary folder; yields its base URL."""
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(dir=folder, sql_port=free_port(), http_port=http_port))
    process = subprocess.Popen(
        ["virtuoso-t", "-f", "-c", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "virtuoso.log").read_text(errors="replace")
                raise RuntimeError(f"Virtuoso did not start: {log[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def store(virtuoso: str) -> Iterator[RemoteStore]:
    """A remote store on Virtuoso with our test graphs dropped; updates as dba (Digest)."""
    opened = RemoteStore(
        f"{virtuoso}/sparql", f"{virtuoso}/sparql-auth", user="dba", password="dba"
    )
    opened.commit(ChangeSet(drop_graphs=[G1, G2]))
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
