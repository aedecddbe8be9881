"""Public queries forwarded to a real `oxigraph serve`: formats, row caps, time limits, errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import SPARQLWrapper

from commons_graph.config import Settings
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryAnswer,
    QueryRequest,
    QueryTimeoutError,
)
from commons_graph.sparql.remote_executor import RemoteExecutor
from commons_graph.store import ChangeSet, QuerySyntaxError
from commons_graph.store.remote import RemoteStore
from tests.helpers.servers import OxigraphServer, start_oxigraph, stop_oxigraph

pytestmark = pytest.mark.remote

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")
SELECT_ALL = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


def fill(store: RemoteStore, rows: int, graph: ox.NamedNode = G1) -> None:
    """Put `rows` triples (with language-tagged literals) in `graph`."""
    quads = [
        ox.Quad(
            ox.NamedNode(f"{EX}s{i:03}"),
            ox.NamedNode(EX + "p"),
            ox.Literal(f"v{i}", language="fr"),
            graph,
        )
        for i in range(rows)
    ]
    store.commit(ChangeSet(insert=quads))


@pytest.fixture
def executor(remote_server: OxigraphServer) -> Iterator[RemoteExecutor]:
    """The remote executor on an emptied Oxigraph server."""
    settings = remote_server.settings()
    store = RemoteStore.from_settings(settings)
    try:
        yield RemoteExecutor(settings, store)
    finally:
        store.close()


def run(executor: RemoteExecutor, query: str, accept: str, max_rows: int = 1000) -> QueryAnswer:
    """Execute `query` as a public request with a generous time limit."""
    return executor.execute(QueryRequest(query, accept), timeout=30, max_rows=max_rows)


def straight_from_server(server: OxigraphServer, query: str, accept: str) -> bytes:
    """The same query sent straight to the server by SPARQLWrapper, as raw bytes."""
    client = SPARQLWrapper(server.query_url)
    client.setQuery(query)
    client.setMethod("POST")
    client.addParameter("union-default-graph", "")
    client.addCustomHttpHeader("Accept", accept)
    return client.query().response.read()  # type: ignore[no-any-return]


def solutions(answer: QueryAnswer) -> list[dict[str, str]]:
    """The rows of a SELECT answer in any results format, as {variable: N-Triples term}."""
    media_type = answer.media_type.split(";")[0]
    if media_type == "text/csv":
        return list(csv.DictReader(io.StringIO(answer.body.decode("utf-8"))))
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    parsed = ox.parse_query_results(answer.body, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [{n: str(s[n]) for n in names if s[n] is not None} for s in parsed]


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
        "text/csv",
    ],
)
def test_small_answers_are_passed_on_byte_for_byte(
    executor: RemoteExecutor, remote_server: OxigraphServer, accept: str
) -> None:
    """Below the row cap the server's bytes are the answer: nothing parsed, nothing rewritten."""
    fill(executor.store, 5)
    fill(executor.store, 2, G2)
    answer = run(executor, SELECT_ALL, accept)
    assert answer.body == straight_from_server(remote_server, SELECT_ALL, accept)
    assert answer.media_type.startswith(accept)
    assert not answer.truncated
    assert len(solutions(answer)) == 7  # the union of both named graphs


def test_formats_are_chosen_as_the_embedded_backend_does(executor: RemoteExecutor) -> None:
    """A client that takes anything gets JSON for SELECT and Turtle for CONSTRUCT."""
    fill(executor.store, 3)
    assert run(executor, SELECT_ALL, "*/*").media_type == "application/sparql-results+json"
    graph = run(executor, CONSTRUCT_ALL, "*/*")
    assert graph.media_type.startswith("text/turtle")
    assert len(list(ox.parse(graph.body, format=ox.RdfFormat.TURTLE))) == 3
    boolean = run(executor, "ASK { ?s ?p ?o }", "*/*")
    assert ox.parse_query_results(boolean.body, format=ox.QueryResultsFormat.JSON)


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
        "text/csv",
    ],
)
def test_rows_past_the_cap_are_cut(executor: RemoteExecutor, accept: str) -> None:
    """More rows than max_rows: the first max_rows, re-serialised in the same format."""
    fill(executor.store, 30)
    answer = run(executor, SELECT_ALL, accept, max_rows=10)
    assert answer.truncated
    rows = solutions(answer)
    assert len(rows) == 10
    assert rows[0]["s"] in ("<http://example.org/s000>", "http://example.org/s000")


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_triples_past_the_cap_are_cut(executor: RemoteExecutor, accept: str) -> None:
    """CONSTRUCT answers are capped at max_rows triples too."""
    fill(executor.store, 30)
    answer = run(executor, CONSTRUCT_ALL, accept, max_rows=10)
    assert answer.truncated
    fmt = ox.RdfFormat.from_media_type(answer.media_type.split(";")[0])
    assert len(list(ox.parse(answer.body, format=fmt))) == 10


def test_answer_of_exactly_max_rows_is_parsed_but_untouched(
    executor: RemoteExecutor, remote_server: OxigraphServer
) -> None:
    """Big enough to be counted, but not over the cap: the server's bytes, not truncated."""
    fill(executor.store, 30)
    accept = "application/sparql-results+json"
    answer = run(executor, SELECT_ALL, accept, max_rows=30)
    assert not answer.truncated
    assert answer.body == straight_from_server(remote_server, SELECT_ALL, accept)


def test_protocol_dataset_is_forwarded(executor: RemoteExecutor) -> None:
    """default-graph-uri given by the client replaces the union of all graphs."""
    fill(executor.store, 4)
    fill(executor.store, 2, G2)
    request = QueryRequest(SELECT_ALL, "text/csv", default_graphs=(G2.value,))
    answer = executor.execute(request, timeout=30, max_rows=100)
    assert len(solutions(answer)) == 2


def test_syntax_error_is_the_clients(executor: RemoteExecutor) -> None:
    """The server's 400 becomes QuerySyntaxError (a 400 for the public too)."""
    with pytest.raises(QuerySyntaxError):
        run(executor, "SELECT WHERE {", "*/*")


def test_unacceptable_form_is_406(executor: RemoteExecutor) -> None:
    """A client that only takes RDF, asking a SELECT, gets NotAcceptableError listing formats."""
    with pytest.raises(NotAcceptableError) as caught:
        run(executor, SELECT_ALL, "text/turtle")
    assert "application/sparql-results+json" in caught.value.offered
    with pytest.raises(NotAcceptableError):
        run(executor, SELECT_ALL, "image/png")


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A server of its own, stopped after the test: that ends the runaway query it holds."""
    server = start_oxigraph(tmp_path / "slow")
    try:
        store = RemoteStore(server.query_url, server.update_url)
        fill(store, 200)
        store.close()
        yield server
    finally:
        stop_oxigraph(server)


@pytest.mark.parametrize(
    "query",
    [
        # Nothing to send until the end: the client's read timeout stops the wait.
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
        # Rows stream in without end: the deadline between chunks stops the reading.
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    ],
    ids=["silent", "streaming"],
)
def test_time_limit_stops_the_query(slow_server: OxigraphServer, query: str) -> None:
    """A query past the time limit raises QueryTimeoutError (503 for the public)."""
    settings = slow_server.settings()
    store = RemoteStore.from_settings(settings)
    try:
        request = QueryRequest(query, "application/sparql-results+json")
        with pytest.raises(QueryTimeoutError):
            RemoteExecutor(settings, store).execute(request, timeout=0.5, max_rows=10**9)
    finally:
        store.close()


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "INSERT DATA { <a:s> <a:p> <a:o> }",
        "PREFIX ex: <http://example.org/>\n# SELECT in a comment\nDROP GRAPH ex:g",
        "",
    ],
)
def test_anything_but_a_query_form_is_refused_before_the_server(text: str) -> None:
    """Not SELECT, ASK, CONSTRUCT or DESCRIBE: `sparql.error.not_a_query` (a 400), and no
    request at all (the store's URL has nothing listening: reaching it would be another error).
    Virtuoso would parse an update sent as a query, and answer 500."""
    nowhere = "http://127.0.0.1:9/sparql"
    store = RemoteStore(nowhere)
    try:
        executor = RemoteExecutor(Settings(store=nowhere), store)
        with pytest.raises(QuerySyntaxError) as refused:
            run(executor, text, "application/sparql-results+json")
    finally:
        store.close()
    assert refused.value.key == "sparql.error.not_a_query"
    assert "SELECT, ASK, CONSTRUCT" in refused.value.message("en")
    assert "SELECT, ASK, CONSTRUCT" in refused.value.message("fr")
