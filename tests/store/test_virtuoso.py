"""The remote backend on OpenLink Virtuoso: what only Virtuoso shows (the rest of the suite runs on
it too, through the `virtuoso` backend of tests/helpers/backends.py).

Virtuoso differs from Oxigraph where it matters here: its default graph is already the union of
all graphs, updates go to /sparql-auth with HTTP Digest authentication, and it holds system
graphs of its own, so counts are taken per graph.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet, QuerySyntaxError, StoreError
from commons_graph.store.remote import RemoteStore
from commons_graph.store.staging import STAGING_GRAPH
from commons_graph.store.union import UnionMode
from tests.helpers.backends import store_options
from tests.helpers.virtuoso import (
    VirtuosoServer,
    restart_virtuoso,
    start_virtuoso,
    stop_virtuoso,
    virtuoso_executable,
)

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


SCRIPT = str(Path(sys.executable).with_name("commons-graph"))


def _env(server: VirtuosoServer) -> dict[str, str]:
    settings = server.settings()
    return {
        "PATH": os.environ.get("PATH", ""),
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "COMMONS_GRAPH_STORE": settings.store,
        "COMMONS_GRAPH_STORE_UPDATE": str(settings.store_update),
        "COMMONS_GRAPH_STORE_USER": str(settings.store_user),
        "COMMONS_GRAPH_STORE_PASSWORD": str(settings.store_password),
    }


def _read(pid: int) -> int:
    """Bytes the process has read so far (its file included)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return 0


def _cpu_ticks(pid: int) -> int:
    """User and system CPU time of the process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_virtuoso_killed_mid_load_leaves_the_graph_as_it_was(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Virtuoso killed while it applies a load: the command fails with one line naming the
    server, and after a restart the graph holds what it held before, not a part of the file."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-killed"))
    try:
        old = tmp_path_factory.mktemp("killed") / "old.nt"
        old.write_text('<http://example.org/kept> <http://example.org/p> "before" .\n')
        env = _env(server)
        graph = "http://example.org/graph/big"
        done = subprocess.run(
            [SCRIPT, "load", "--graph", graph, str(old)], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        big = old.with_name("big.nt")
        with big.open("w") as output:
            for n in range(60_000):
                output.write(f'<http://example.org/s{n}> <http://example.org/p> "value {n}" .\n')
        size = big.stat().st_size
        command = subprocess.Popen(
            [SCRIPT, "load", "--quiet", "--graph", graph, str(big)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Kill the server while it works on the update: once the command has read the file
        # and the (otherwise idle) server has spent half a second of CPU since then.
        deadline = time.monotonic() + 60
        while command.poll() is None and _read(command.pid) < size:
            assert time.monotonic() < deadline, "the command never read its file"
            time.sleep(0.01)
        start = _cpu_ticks(server.process.pid)
        while command.poll() is None and _cpu_ticks(server.process.pid) < start + 50:
            assert time.monotonic() < deadline, "the server never worked on the update"
            time.sleep(0.01)
        if command.poll() is not None:
            pytest.fail(f"the load ended before the kill: {command.communicate()}")
        server.kill()
        _, stderr = command.communicate(timeout=60)
        assert command.returncode != 0
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and server.update_url in lines[0], stderr
        restart_virtuoso(server)
        with RemoteStore.from_settings(server.settings()) as store:
            assert store.count(ox.NamedNode(graph)) == 1
    finally:
        stop_virtuoso(server)


def _canonical(path: Path, graphs: set[ox.NamedNode] | None = None) -> set[ox.Quad]:
    """The quads of an N-Quads file with canonical blank node labels, in `graphs` if given."""
    dataset = ox.Dataset(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {q for q in dataset if graphs is None or q.graph_name in graphs}


AS_WKT = ox.NamedNode("http://www.opengis.net/ont/geosparql#asWKT")
WKT = ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")


def _without_points(quads: set[ox.Quad]) -> set[ox.Quad]:
    return {q for q in quads if q.predicate != AS_WKT}


def test_move_embedded_to_virtuoso_and_back(
    virtuoso_server: VirtuosoServer, tmp_path: Path
) -> None:
    """docs/remote.md's move: export the folder, load it into Virtuoso (its loader), export from
    Virtuoso, load that into a new folder: the network's quads are the same."""
    virtuoso_server.clear()
    remote = store_options(virtuoso_server.settings())
    runner = CliRunner()

    def run(*args: str) -> None:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output

    first, back = tmp_path / "store", tmp_path / "store2"
    run("--store", str(first), "init")
    run("--store", str(first), "export", "--format", "nq", "-q", "-o", str(tmp_path / "dump.nq"))
    # Into Virtuoso with its own loader, as the doc says (`load` refuses this many blank nodes).
    virtuoso_server.restore(tmp_path / "dump.nq")
    run(*remote, "export", "--format", "nq", "-q", "-o", str(tmp_path / "from-virtuoso.nq"))
    run("--store", str(back), "init")
    run("--store", str(back), "load", "-q", str(tmp_path / "from-virtuoso.nq"))
    run("--store", str(back), "export", "--format", "nq", "-q", "-o", str(tmp_path / "back.nq"))
    original = _canonical(tmp_path / "dump.nq")
    graphs = {q.graph_name for q in original}
    exported = _canonical(tmp_path / "from-virtuoso.nq")
    # Virtuoso's own graphs are private (the documented setup): its export holds only ours.
    assert {q.graph_name for q in exported} == graphs
    back = _canonical(tmp_path / "back.nq", graphs)  # type: ignore[arg-type]
    # The network's graphs come back the same, but for the digits of its WKT points, which
    # Virtuoso keeps in single precision (their datatype is read back as geo:wktLiteral).
    assert _without_points(back) == _without_points(original)
    points = {q.object for q in back if q.predicate == AS_WKT}
    assert points and all(isinstance(p, ox.Literal) and p.datatype == WKT for p in points)


def _staged_rows(server: VirtuosoServer) -> int:
    """Quads in the staging graph, counted in SQL (no SPARQL reader may see that graph)."""
    output = server.sql(
        f"SELECT COUNT(*) FROM DB.DBA.RDF_QUAD WHERE G = iri_to_id ('{STAGING_GRAPH.value}');\n"
    )
    return int(re.findall(r"^(\d+)\s*$", output, re.M)[-1])


def _many(count: int, tag: str, graph: ox.NamedNode) -> list[ox.Quad]:
    return [quad(f"s{n}", f"{tag} {n}", graph) for n in range(count)]


def test_large_writes_are_all_or_nothing_through_a_hidden_staging_graph(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A write too long for one update (the threshold made small here) goes through the hidden
    staging graph: it succeeds whole; killed in the middle, the graph is as it was, the client
    gets one line naming the server, stale staging data stays unseen and goes at the next try."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-staged"))
    small = {"large_write_bytes": 64 * 1024}

    def store() -> RemoteStore:
        settings = server.settings()
        return RemoteStore(
            settings.store,
            settings.store_update,
            settings.store_gsp,
            user=settings.store_user,
            password=settings.store_password,
            **small,  # type: ignore[arg-type]
        )

    try:
        with store() as first:
            first.replace_graph(G1, [quad("kept", "before").triple])
            # An import's first write: an insert into one graph, 2000 statements.
            first.commit(ChangeSet(insert=_many(2_000, "added", G2)))
            assert first.count(G2) == 2_000
            assert first._refuses_long_updates is True and first._staging_hidden is True
            assert _staged_rows(server) == 0
            folder = tmp_path_factory.mktemp("staged")
            path, retried = folder / "big.nt", folder / "retried.nt"
            for target, lines in ((path, 40_000), (retried, 3_000)):
                with target.open("w") as output:
                    for n in range(lines):
                        output.write(f'<{EX}s{n}> <{EX}p> "value {n}" .\n')
            failures: list[BaseException] = []

            def load() -> None:
                try:
                    first.load_graph(G1, path, rdf_format("nt"))
                except BaseException as error:  # noqa: BLE001 - checked below
                    failures.append(error)

            worker = threading.Thread(target=load)
            start = _cpu_ticks(server.process.pid)
            worker.start()
            deadline = time.monotonic() + 60
            # Kill the server once it has spent half a second of CPU on the load (staging it).
            while worker.is_alive() and _cpu_ticks(server.process.pid) < start + 50:
                assert time.monotonic() < deadline, "the server never worked on the load"
                time.sleep(0.01)
            assert worker.is_alive(), f"the load ended before the kill: {failures}"
            server.kill()
            worker.join(60)
        assert len(failures) == 1 and isinstance(failures[0], StoreError), failures
        message = str(failures[0])
        assert "\n" not in message and server.url in message, message
        restart_virtuoso(server)
        with store() as again:
            # As before the load; what the load staged is not seen, in any graph or the union.
            assert again.count(G1) == 1 and again.count(G2) == 2_000
            assert STAGING_GRAPH not in again.named_graphs()
            assert again.count() == 2_001
            assert not again.ask('ASK { GRAPH ?g { ?s ?p "value 1" } }')
            # What an interrupted write leaves staged (the kill may land before any of it is
            # committed: made sure of here) is unseen, and the next large write drops it first.
            again.http.write(
                "POST",
                server.gsp_url,
                params=[("graph", STAGING_GRAPH.value)],
                content=f'<{EX}stale> <{EX}p> "value 1" .\n'.encode(),
                content_type="application/n-triples",
            )
            assert _staged_rows(server) > 0 and again.count() == 2_001
            assert not again.ask('ASK { GRAPH ?g { ?s ?p "value 1" } }')
            assert again.load_graph(G1, retried, rdf_format("nt")) == 3_000
            assert again.count(G1) == 3_000 and again.count() == 5_000
            assert _staged_rows(server) == 0
    finally:
        stop_virtuoso(server)
