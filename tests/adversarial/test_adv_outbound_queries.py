"""No query makes the service open a connection, however it is spelled (issue 18, item 1).

A real TCP listener on 127.0.0.1 records every connection (and answers like a server that does
not speak SPARQL). Each query of the battery names it through SERVICE, FROM, dataset parameters,
DESCRIBE, LOAD or the single-pattern lookup path, spelled in ways two parsers may read
differently; sent by GET, form POST and direct POST. The service must answer each one cleanly
(200, or a 4xx in the pinned JSON shape), keep its query workers alive, and the listener must
see **zero** connections. On the embedded store this holds because the query workers have no
network (sparql/sandbox.py), not because a parser spotted the clause: several spellings below
are not seen by rdflib at all and reach Oxigraph, whose SERVICE call then fails in the sandbox.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import http as fetch
from tests.helpers.live import LiveServer
from tests.helpers.servers import RecordingListener

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def listener() -> Iterator[RecordingListener]:
    recording = RecordingListener()
    yield recording
    recording.close()


@pytest.fixture(scope="module")
def live_server(read_only_live_server: LiveServer) -> LiveServer:
    """The module's shared server (each backend): these tests only read."""
    return read_only_live_server


def worker_pids(server: LiveServer) -> set[int]:
    """The embedded executor's live workers (empty for the remote backend)."""
    executor = server.app.state.services.executor
    return set(executor.worker_pids()) if hasattr(executor, "worker_pids") else set()


# Every way we know to name the listener in a query. `{url}` is its address.
SPELLINGS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ sErViCe silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{SERVICE<{url}>{{?s ?p ?o}}}}",
    "SELECT * {{SERVICESILENT<{url}>{{?s ?p ?o}}}}",
    "PREFIX : <{url}#> SELECT * {{SERVICE:x{{?s ?p ?o}}}}",
    "SELECT * {{ ?s ?p 1SERVICE<{url}>{{}} }}",
    "SELECT * {{ ?s ?p ?o FILTER(?o<?p)SERVICE SILENT<{url}>{{}} }}",
    "SELECT * {{ # a comment\rSERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ # a comment\r\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p 'SERVICE <{url}> {{ }}' }} LIMIT 1",
    "SELECT * {{ {{ SELECT * {{ OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }} }} }}",
    "SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
    "ASK {{ SERVICE SILENT <{url}> {{ }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT*FROM<{url}>{{?s ?p ?o}}",
    "DESCRIBE <{url}>",
    "LOAD <{url}>",
    "SELECT * WHERE {{ <{url}> ?p ?o }}",  # the single-pattern lookup path
    "SELECT ?p ?o {{ <{url}> ?p ?o }} LIMIT 3",
]


def send_all_ways(server: LiveServer, query: str, graph: str | None = None) -> list[httpx.Response]:
    """`query` by GET, form POST and direct POST (with `graph` as both dataset parameters)."""
    url = f"{server.url}/sparql"
    params: dict[str, str] = {}
    if graph is not None:
        params = {"default-graph-uri": graph, "named-graph-uri": graph}
    headers = {"Accept": f"{JSON}, text/turtle;q=0.9"}
    return [
        fetch.get(url, params={**params, "query": query}, headers=headers, timeout=60),
        fetch.post(url, params=params, data={"query": query}, headers=headers, timeout=60),
        fetch.post(
            url,
            params=params,
            content=query.encode(),
            headers={**headers, "Content-Type": "application/sparql-query"},
            timeout=60,
        ),
    ]


def assert_clean(response: httpx.Response) -> None:
    """200, or a 4xx with the pinned JSON error shape: never a 5xx, never a hang."""
    assert response.status_code in (200, 400, 403), response.text
    if response.status_code != 200:
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code
        assert set(body["errors"][0]) == {"focus", "path", "value", "message"}


@pytest.mark.parametrize("template", SPELLINGS)
def test_no_spelling_opens_a_connection(
    live_server: LiveServer, listener: RecordingListener, template: str
) -> None:
    before = worker_pids(live_server)
    connections = listener.connections
    query = template.format(url=listener.url)
    for response in send_all_ways(live_server, query):
        assert_clean(response)
    assert listener.connections == connections == 0
    assert worker_pids(live_server) == before, "a query killed a worker"


def test_graphs_the_store_does_not_hold_are_empty(
    live_server: LiveServer, listener: RecordingListener
) -> None:
    """FROM, FROM NAMED and the dataset parameters naming a foreign graph: answered (200) over
    an empty graph, never fetched, never refused."""
    url = f"{live_server.url}/sparql"
    asks = [
        fetch.get(url, params={"query": f"ASK FROM <{listener.url}> {{ ?s ?p ?o }}"}),
        fetch.get(url, params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": listener.url}),
        fetch.get(
            url,
            params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": listener.url},
        ),
    ]
    for response in asks:
        assert response.status_code == 200, response.text
        assert response.json()["boolean"] is False
    for response in send_all_ways(live_server, "SELECT * { ?s ?p ?o } LIMIT 1", listener.url):
        assert_clean(response)
    # The same ASK without the foreign dataset finds the seed network.
    assert fetch.get(url, params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert listener.connections == 0


def test_from_a_graph_of_the_store_reads_only_that_graph(live_server: LiveServer) -> None:
    """FROM narrows the default graph to the graphs it names (not the union of all)."""
    url = f"{live_server.url}/sparql"
    ontology = "https://w3id.org/commons-graph/graph/ontology"
    count = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"

    def n(query: str, **params: str) -> int:
        answer = fetch.get(url, params={"query": query, **params}, headers={"Accept": JSON})
        assert answer.status_code == 200, answer.text
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    everything = n(count.format(**{"from": ""}))
    only_ontology = n(count.format(**{"from": f"FROM <{ontology}>"}))
    assert 0 < only_ontology < everything
    assert n(count.format(**{"from": ""}), **{"default-graph-uri": ontology}) == only_ontology


FRAGMENTS = st.fixed_dictionaries(
    {
        "keyword": st.sampled_from(["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE"]),
        "silent": st.sampled_from(["", " SILENT", "SILENT", " silent"]),
        "gap": st.sampled_from([" ", "", "\r", "\n", "\r\n", "\t", " #c\r", " #c\n"]),
        "before": st.sampled_from(["", "?s ?p ?o . ", "# note\r", "?s ?p 1", "FILTER(?a<?b)"]),
        "wrap": st.sampled_from(["{}", "{{ {} }}", "OPTIONAL {{ {} }}", "{{ SELECT * {{ {} }} }}"]),
        "form": st.sampled_from(["SELECT *", "ASK", "SELECT ?s"]),
        "target": st.sampled_from(["iri", "prefixed", "variable"]),
    }
)


@settings(
    max_examples=12,
    deadline=None,
)
@given(parts=FRAGMENTS)
def test_no_mix_of_fragments_opens_a_connection(
    live_server: LiveServer, listener: RecordingListener, parts: dict[str, str]
) -> None:
    """Property: any mix of the fragments above is answered cleanly and connects nowhere."""
    prologue = f"PREFIX r: <{listener.url}#> "
    target = {
        "iri": f"<{listener.url}>",
        "prefixed": "r:x",
        "variable": f"?e . VALUES ?e {{ <{listener.url}> }}",
    }[parts["target"]]
    service = f"{parts['keyword']}{parts['silent']}{parts['gap']}{target.split(' .')[0]}"
    service += " { ?s ?p ?o }" + (target[target.index(" .") :] if " ." in target else "")
    pattern = parts["wrap"].format(f"{parts['before']}{service}")
    query = f"{prologue}{parts['form']} WHERE {{ {pattern} }}"
    for response in send_all_ways(live_server, query)[:2]:
        assert response.status_code < 500, response.text
    assert listener.connections == 0


def test_a_worker_killed_mid_query_gives_a_clean_error_and_is_replaced(
    tmp_path: Any,
) -> None:
    """If a worker dies anyway, the client gets a 500 in the pinned shape, not a hang, and
    the pool has a fresh worker for the next query."""
    from commons_graph.config import Settings

    settings = Settings(store=str(tmp_path / "store"), query_workers=2, query_timeout=60)
    with LiveServer(settings) as server:
        url = f"{server.url}/sparql"
        executor = server.app.state.services.executor
        heavy = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        out: list[httpx.Response] = []
        thread = threading.Thread(
            target=lambda: out.append(fetch.get(url, params={"query": heavy}, timeout=60))
        )
        before = set(executor.worker_pids())
        thread.start()
        limiter = server.app.state.services.query_limiter
        deadline = time.monotonic() + 30
        while limiter.running("127.0.0.1") < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.2)  # let the worker receive the job
        # The busy worker is the one whose CPU time grows; kill every worker to be sure.
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        thread.join(60)
        assert not thread.is_alive()
        response = out[0]
        assert response.status_code == 500
        body = response.json()
        assert body["ok"] is False and body["status"] == 500
        assert "Traceback" not in response.text
        deadline = time.monotonic() + 30
        while True:
            answer = fetch.get(url, params={"query": "ASK { ?s ?p ?o . ?s ?q ?r }"}, timeout=60)
            if answer.status_code == 200 or time.monotonic() > deadline:
                break
        assert answer.status_code == 200, answer.text
        assert not set(executor.worker_pids()) & before
