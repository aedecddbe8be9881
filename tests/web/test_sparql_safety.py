"""Nothing a query contains makes the server open a connection (checked with a real listener)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import LiveServer


@pytest.fixture(scope="module")
def live_server(read_only_live_server: LiveServer) -> LiveServer:
    """The module's shared server: these tests only read."""
    return read_only_live_server


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket listening on 127.0.0.1 that nobody should ever connect to."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sock.setblocking(False)
        yield sock


def connection_attempted(sock: socket.socket) -> bool:
    """Whether a connection is waiting: the kernel queues it before any response is sent."""
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


QUERIES = [
    ("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", "SERVICE"),
    ("PREFIX : <{url}> SELECT * {{SERVICE:x{{?s ?p ?o}}}}", "SERVICE"),
    ("SELECT * {{ ?s ?p true SERVICE <{url}> {{}} }}", "SERVICE"),
    ("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", "FROM"),
    ("SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", "FROM NAMED"),
    ("LOAD <{url}>", "LOAD"),
]


@pytest.mark.parametrize(("template", "clause"), QUERIES)
def test_no_connection_for_remote_clauses(
    live_server: Any, listener: socket.socket, template: str, clause: str
) -> None:
    """SERVICE, FROM, FROM NAMED and LOAD naming a live socket: 400 naming the clause, no call."""
    port = listener.getsockname()[1]
    query = template.format(url=f"http://127.0.0.1:{port}/sparql")
    for send in (
        lambda: httpx.get(f"{live_server.url}/sparql", params={"query": query}),
        lambda: httpx.post(f"{live_server.url}/sparql", data={"query": query}),
    ):
        response = send()
        assert response.status_code == 400, response.text
        assert clause in response.json()["errors"][0]["message"]
    assert not connection_attempted(listener)


def test_graph_parameters_must_name_store_graphs(live_server: Any, listener: socket.socket) -> None:
    """default-graph-uri and named-graph-uri name graphs of this store, nothing else."""
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/g"
    for name in ("default-graph-uri", "named-graph-uri"):
        response = httpx.get(
            f"{live_server.url}/sparql",
            params={"query": "SELECT * { ?s ?p ?o } LIMIT 1", name: url},
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["value"] == url
    assert not connection_attempted(listener)


def test_from_a_graph_of_the_store_is_answered(live_server: Any) -> None:
    graph = "https://w3id.org/commons-graph/graph/ontology"
    response = httpx.get(
        f"{live_server.url}/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_the_listener_would_notice_a_connection(listener: socket.socket) -> None:
    """Control: the check above does see a connection when one is made."""
    with socket.create_connection(listener.getsockname()):
        assert connection_attempted(listener)
