"""The remote backend against a real `oxigraph serve`: loads, union of graphs, auth and faults."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import RdfSyntaxError
from commons_graph.store import ChangeSet, QuerySyntaxError, StoreError, open_store
from commons_graph.store.dialect import Dialect
from commons_graph.store.http import RetryPolicy
from commons_graph.store.remote import RemoteStore
from commons_graph.store.union import UnionMode
from tests.helpers.servers import (
    AuthProxy,
    OxigraphServer,
    ScriptedServer,
    free_port,
    start_oxigraph,
)
from tests.helpers.servers import stop_oxigraph as stop_server

pytestmark = pytest.mark.remote

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")
FAST_RETRY = RetryPolicy(attempts=3, first_delay=0.01)
SOLUTIONS_JSON = {"Content-Type": "application/sparql-results+json"}


def quad(s: str, o: str, graph: ox.NamedNode = G1) -> ox.Quad:
    """A quad of example IRIs with a literal object."""
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), graph)


def remote(server: OxigraphServer | AuthProxy | ScriptedServer, **options: object) -> RemoteStore:
    """A remote store on `server`, whose SPARQL paths are those of `oxigraph serve`."""
    return RemoteStore(
        f"{server.url}/query",
        f"{server.url}/update",
        f"{server.url}/store",
        retry=FAST_RETRY,
        # Oxigraph's dialect, given: tests that count requests see no probe among them.
        dialect=Dialect(),
        **options,  # type: ignore[arg-type]
    )


def record_requests(store: RemoteStore) -> list[httpx.Request]:
    """Keep every request the store's HTTP client sends (httpx's own event hook)."""
    sent: list[httpx.Request] = []
    store.http.client.event_hooks["request"].append(sent.append)
    return sent


def big_file(path: Path, triples: int, *, graph: str | None = None) -> Path:
    """An N-Triples (or, with `graph`, N-Quads) file of `triples` lines."""
    suffix = f" <{graph}>" if graph else ""
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(f'<{EX}s{i}> <{EX}p> "v{i}"@fr{suffix} .\n')
    return path


def test_open_store_selects_remote_backend(remote_settings: object) -> None:
    """An http(s) URL in COMMONS_GRAPH_STORE opens the remote backend."""
    with open_store(remote_settings) as store:  # type: ignore[arg-type]
        assert isinstance(store, RemoteStore)
        assert store.describe_location().endswith("/query")
        assert store.count() == 0


def test_oxigraph_gets_its_union_parameter(remote_server: OxigraphServer) -> None:
    """On Oxigraph, the default graph is made the union by its `union-default-graph` parameter."""
    with remote(remote_server) as store:
        store.commit(ChangeSet(insert=[quad("a", "1"), quad("b", "2", G2)]))
        sent = record_requests(store)
        assert len(store.select("SELECT ?s WHERE { ?s ?p ?o }").rows) == 2
        assert store.union_mode is UnionMode.PARAMETER
        assert b"union-default-graph" in sent[-1].content
        assert store.select("SELECT ?s WHERE { ?s ?p ?o }", union_default_graph=False).rows == []


def test_default_graph_only_quads_are_counted_and_exported(remote_server: OxigraphServer) -> None:
    """Quads in the server's own default graph are part of count, quads and dump."""
    with remote(remote_server) as store:
        default = ox.Quad(ox.NamedNode(EX + "d"), ox.NamedNode(EX + "p"), ox.Literal("d"))
        store.commit(ChangeSet(insert=[quad("a", "1"), default]))
        assert store.count() == 2
        assert set(store.quads()) == {quad("a", "1"), default}
        assert store.named_graphs() == [G1]


def test_server_without_union_gets_the_graphs_as_protocol_dataset(
    remote_server: OxigraphServer,
) -> None:
    """A server whose default graph is its own gets every named graph as default-graph-uri."""
    # The proxy hides Oxigraph's Server header, so the store sees an unknown server.
    with (
        AuthProxy(remote_server.url, "u", "p") as proxy,
        remote(proxy, user="u", password="p") as store,
    ):
        store.commit(ChangeSet(insert=[quad("a", "1"), quad("b", "2", G2)]))
        rows = store.select("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s").rows
        assert rows == [(ox.NamedNode(EX + "a"),), (ox.NamedNode(EX + "b"),)]
        assert store.union_mode is UnionMode.DATASET
        # GRAPH patterns still see the named graphs (they are also sent as named-graph-uri).
        assert store.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": G2})
        assert store.count() == 2


def test_server_with_union_default_graph_is_used_as_is(tmp_path: Path) -> None:
    """A server whose default graph already is the union gets no dataset parameters."""
    server = start_oxigraph(tmp_path / "union", "--union-default-graph")
    try:
        with (
            AuthProxy(server.url, "u", "p") as proxy,
            remote(proxy, user="u", password="p") as store,
        ):
            store.commit(ChangeSet(insert=[quad("a", "1"), quad("b", "2", G2)]))
            sent = record_requests(store)
            assert len(store.select("SELECT ?s WHERE { ?s ?p ?o }").rows) == 2
            assert store.union_mode is UnionMode.NATIVE
            assert b"default-graph-uri" not in sent[-1].content
            assert store.count() == 2  # not counted twice through the default graph
    finally:
        stop_server(server)


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_authentication_is_sent_when_configured(
    remote_server: OxigraphServer, tmp_path: Path, scheme: str
) -> None:
    """Reads, writes and streamed loads authenticate with the scheme the server asks for."""
    with AuthProxy(remote_server.url, "editor", "s3cret", scheme) as proxy:
        with remote(proxy, user="editor", password="s3cret", streaming_load_bytes=100) as store:
            store.replace_graph(G1, [quad("a", "1").triple])
            assert store.load_graph(G2, big_file(tmp_path / "f.nt", 50), rdf_format("nt")) == 50
            assert store.count() == 51
        authorised = [e for e in proxy.exchanges if proxy.authorised(e)]
        assert authorised, "no request carried valid credentials"
        prefix = "Basic " if scheme == "basic" else "Digest "
        assert all(e.headers["authorization"].startswith(prefix) for e in authorised)
        assert any(e.method == "PUT" for e in authorised)  # the streamed Graph Store upload
        assert not any(e.method == "GET" for e in proxy.exchanges)  # no dataset fetched


def test_wrong_password_is_one_clear_line(remote_server: OxigraphServer) -> None:
    """A 401 names the server, the status and the settings to check."""
    with (
        AuthProxy(remote_server.url, "editor", "s3cret") as proxy,
        remote(proxy, user="editor", password="wrong") as store,
        pytest.raises(StoreError) as caught,
    ):
        store.count()
    message = str(caught.value)
    assert message.startswith(f"the SPARQL server at {proxy.url}/query answered 401 Unauthorized")
    assert "COMMONS_GRAPH_STORE_PASSWORD" in message
    assert "\n" not in message


def test_no_credentials_are_sent_unless_configured(remote_server: OxigraphServer) -> None:
    """Without a user, requests carry no Authorization header."""
    with remote(remote_server) as store:
        sent = record_requests(store)
        store.replace_graph(G1, [quad("a", "1").triple])
        assert store.count() == 1
    assert sent and all("authorization" not in r.headers for r in sent)


def test_closed_port_is_reported_with_url() -> None:
    """A server that is not running: `cannot reach the SPARQL server at URL: connection refused`."""
    url = f"http://127.0.0.1:{free_port()}/query"
    with RemoteStore(url, retry=FAST_RETRY) as store, pytest.raises(StoreError) as caught:
        store.count()
    assert str(caught.value) == f"cannot reach the SPARQL server at {url}: connection refused"


def test_server_error_is_reported_with_url_status_and_first_line() -> None:
    """A 500 gives the URL, the status and the first line of the body, once (no retry)."""
    with ScriptedServer((500, {}, b"\nEvaluation blew up\nat line 3\n")) as server:
        with remote(server) as store, pytest.raises(StoreError) as caught:
            store.count()
        assert len(server.exchanges) == 1
    assert str(caught.value) == (
        f"the SPARQL server at {server.url}/query answered 500 Internal Server Error: "
        "Evaluation blew up"
    )


def test_unreadable_answer_is_reported() -> None:
    """A 200 with something that is not SPARQL results is an error, not an empty result."""
    html = (200, {"Content-Type": "application/sparql-results+json"}, b"<html>oops</html>")
    with (
        ScriptedServer(html) as server,
        remote(server) as store,
        pytest.raises(StoreError) as caught,
    ):
        store.ask("ASK { ?s ?p ?o }")
    assert "answered with unreadable results" in str(caught.value)


def test_bad_request_on_a_query_is_a_syntax_error(remote_server: OxigraphServer) -> None:
    """The server's 400 on a query is the query's fault: QuerySyntaxError with its message."""
    with remote(remote_server) as store, pytest.raises(QuerySyntaxError, match="1:"):
        store.select("SELECT WHERE {")


def test_reads_are_retried_with_backoff_then_succeed() -> None:
    """An idempotent read that meets 503 is sent again, and the later answer is used."""
    ok = json.dumps({"head": {}, "boolean": True}).encode()
    with ScriptedServer(
        (503, {}, b"busy"), (502, {}, b"proxy"), (200, SOLUTIONS_JSON, ok)
    ) as server:
        with remote(server) as store:
            assert store.ask("ASK { ?s ?p ?o }", union_default_graph=False) is True
        assert len(server.exchanges) == 3


def test_read_retries_are_bounded() -> None:
    """A server that stays unavailable is asked `attempts` times, then reported."""
    with ScriptedServer((503, {}, b"down for maintenance")) as server:
        with remote(server) as store, pytest.raises(StoreError, match="503 Service Unavailable"):
            store.ask("ASK { ?s ?p ?o }", union_default_graph=False)
        assert len(server.exchanges) == FAST_RETRY.attempts


@pytest.mark.parametrize("status", [500, 503])
def test_failing_update_is_sent_once(status: int) -> None:
    """A write is never retried: the server may have applied it before failing to answer."""
    with ScriptedServer((status, {}, b"update failed")) as server:
        with remote(server) as store, pytest.raises(StoreError, match=f"answered {status}"):
            store.commit(ChangeSet(insert=[quad("a", "1")]))
        updates = [e for e in server.exchanges if e.path.endswith("/update")]
        assert len(updates) == 1
        assert len(server.exchanges) == 1


def test_read_only_store_refuses_writes_clearly(remote_server: OxigraphServer) -> None:
    """Without an update URL (a read-only mirror), a write says what to set."""
    with (
        RemoteStore(remote_server.query_url) as store,
        pytest.raises(StoreError, match="COMMONS_GRAPH_STORE_UPDATE"),
    ):
        store.replace_graph(G1, [quad("a", "1").triple])


def test_commit_is_one_update_request(remote_server: OxigraphServer) -> None:
    """A change set goes as a single SPARQL Update request."""
    with remote(remote_server) as store:
        sent = record_requests(store)
        changes = ChangeSet(drop_graphs=[G2], insert=[quad("a", "1"), quad("b", "2", G2)])
        store.commit(changes)
    assert [(r.method, r.url.path) for r in sent] == [("POST", "/update")]
    assert sent[0].headers["content-type"] == "application/sparql-update"


@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store", "update"])
def test_large_load_is_streamed(remote_server: OxigraphServer, tmp_path: Path, gsp: bool) -> None:
    """A large file is checked, then streamed: a Graph Store PUT from a spooled file of known
    length (Virtuoso reads a chunked body as empty), or one SPARQL Update in chunks."""
    path = big_file(tmp_path / "big.nt", 2_000)
    with remote(remote_server, streaming_load_bytes=1024) as store:
        if not gsp:
            store.gsp_url = None
        store.replace_graph(G1, [quad("old", "x").triple])
        sent = record_requests(store)
        assert store.load_graph(G1, path, rdf_format("nt")) == 2_000
        assert store.load_graph(G1, path, rdf_format("nt")) == 2_000  # replaces, not adds
        assert store.count(G1) == 2_000
        assert store.ask('ASK { <http://example.org/s1999> ?p "v1999"@fr }')
        assert not store.ask("ASK { <http://example.org/old> ?p ?o }")
    uploads = [r for r in sent if r.method in ("PUT", "POST") and r.url.path != "/query"]
    if gsp:
        assert uploads and all(int(r.headers.get("content-length", 0)) > 0 for r in uploads)
    else:
        assert uploads and all(r.headers.get("transfer-encoding") == "chunked" for r in uploads)
    expected = ("PUT", "/store") if gsp else ("POST", "/update")
    assert {(r.method, r.url.path) for r in uploads} == {expected}


def test_large_dataset_load_keeps_its_graphs(remote_server: OxigraphServer, tmp_path: Path) -> None:
    """A large N-Quads file naming other graphs goes as one streamed update, graphs kept."""
    path = big_file(tmp_path / "big.nq", 3_000, graph=EX + "graph/other")
    with path.open("a", encoding="utf-8") as out:
        out.write(f'<{EX}x> <{EX}p> "in the default graph" .\n')
    with remote(remote_server, streaming_load_bytes=1024) as store:
        assert store.load_graph(G1, path, rdf_format("nq")) == 3_001
        assert store.count(ox.NamedNode(EX + "graph/other")) == 3_000
        assert store.count(G1) == 1


def test_large_load_with_error_on_last_line_writes_nothing(
    remote_server: OxigraphServer, tmp_path: Path
) -> None:
    """The streamed path also checks the whole file before sending anything."""
    path = big_file(tmp_path / "broken.nt", 2_000)
    with path.open("a", encoding="utf-8") as out:
        out.write(f"<{EX}s> <{EX}p> .\n")
    with remote(remote_server, streaming_load_bytes=1024) as store:
        store.replace_graph(G1, [quad("a", "1").triple])
        sent = record_requests(store)
        with pytest.raises(RdfSyntaxError, match="broken.nt"):
            store.load_graph(G1, path, rdf_format("nt"))
        assert sent == []
        assert store.count() == 1


def test_dump_streams_every_graph(remote_server: OxigraphServer) -> None:
    """TriG exports from the server keep each named graph."""
    import io

    with remote(remote_server) as store:
        store.commit(ChangeSet(insert=[quad("a", "1"), quad("b", "2", G2)]))
        buffer = io.BytesIO()
        store.dump(buffer, rdf_format("trig"))
    parsed = set(ox.parse(buffer.getvalue(), format=ox.RdfFormat.TRIG))
    assert parsed == {quad("a", "1"), quad("b", "2", G2)}


def test_large_write_is_one_update_where_the_server_takes_long_ones(
    remote_server: OxigraphServer, tmp_path: Path
) -> None:
    """Above the large-write threshold (made small here) the store asks once whether the server
    takes a long update (a padded no-op); Oxigraph does, so each large write stays ONE update
    (one transaction), and the staging graph is never written."""
    from commons_graph.store.staging import LONG_UPDATE_PROBE_BYTES

    with remote(remote_server, large_write_bytes=1024) as store:
        sent = record_requests(store)
        store.commit(ChangeSet(insert=[quad(f"s{n}", f"v{n}") for n in range(500)]))
        path = big_file(tmp_path / "big.nt", 500)
        assert store.load_graph(G2, path, rdf_format("nt")) == 500
        assert store.count(G1) == 500 and store.count(G2) == 500
        assert store.named_graphs() == [G1, G2]
    writes = [r for r in sent if r.url.path != "/query"]
    assert [(r.method, r.url.path) for r in writes] == [("POST", "/update")] * 3
    assert int(writes[0].headers["content-length"]) > LONG_UPDATE_PROBE_BYTES
    assert all(int(r.headers["content-length"]) < 200_000 for r in writes[1:])


def test_a_refused_last_step_of_a_staged_write_is_tried_once_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The staged write's last update, refused with a 5xx (rolled back: all still staged), is
    sent once more; a second refusal is the write's error."""
    from commons_graph.store import staging

    monkeypatch.setattr(staging, "MOVE_RETRY_SECONDS", 0.0)
    ok, refused = (200, {}, b""), (500, {}, b"Transaction timed out\n")
    quads = [quad("a", "1"), quad("b", "2")]

    def write(server: ScriptedServer, store: RemoteStore, replace: bool) -> None:
        gsp = f"{server.url}/store"
        staging.staged_write(store, gsp, G1, quads, replace=replace, blank_nodes=False)

    with ScriptedServer(ok, ok, refused, ok) as server, remote(server) as store:
        sent = record_requests(store)
        write(server, store, True)
    bodies = [r.content.decode() for r in sent]
    assert [r.url.path for r in sent] == ["/update", "/store", "/update", "/update"]
    assert bodies[2] == bodies[3] == f"MOVE {staging.STAGING_GRAPH} TO {G1}"
    with (
        ScriptedServer(ok, ok, refused, refused, ok) as server,
        remote(server) as store,
        pytest.raises(StoreError, match="Transaction timed out"),
    ):
        write(server, store, False)
