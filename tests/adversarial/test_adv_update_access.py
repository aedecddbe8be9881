"""Attacks on SPARQL Update: every spelling by every caller who is not an admin, and updates
that try to make the server open a connection (admins included), on each backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from commons_graph.sparql.update_worker import Delta, Failure, UpdateJob, run_in_sandbox
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer
from tests.helpers.servers import RecordingListener
from tests.helpers.updates import SPELLINGS, UpdateServer, bearer, error_of

DROP = "DROP ALL"

Send = Callable[[str, dict[str, str]], httpx.Response]


def _dropping(send: Callable[[str, str, dict[str, str]], httpx.Response]) -> Send:
    return lambda url, headers: send(url, DROP, headers)


# Every way an update may be sent, the protocol's four and the ones it forbids.
ALL_SPELLINGS: dict[str, Send] = {
    **{name: _dropping(send) for name, send in SPELLINGS.items()},
    "sparql-get": lambda url, h: fetch.get(f"{url}/sparql", params={"update": DROP}, headers=h),
    "update-get": lambda url, h: fetch.get(f"{url}/update", params={"update": DROP}, headers=h),
    "sparql-post-url": lambda url, h: fetch.post(
        f"{url}/sparql?update=DROP%20ALL", data={"query": "ASK {}"}, headers=h
    ),
    "update-post-url": lambda url, h: fetch.post(
        f"{url}/update?update=DROP%20ALL", data={"x": "y"}, headers=h
    ),
    "sparql-form-escaped-name": lambda url, h: fetch.post(
        f"{url}/sparql",
        content=b"%75pdate=DROP%20ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded", **h},
    ),
    "sparql-form-no-type": lambda url, h: fetch.post(
        f"{url}/sparql", content=b"update=DROP%20ALL", headers=h
    ),
    "sparql-direct-charset": lambda url, h: fetch.post(
        f"{url}/sparql",
        content=DROP.encode(),
        headers={"Content-Type": "Application/SPARQL-Update; charset=utf-8", **h},
    ),
}

# Who calls, and the status each gets whatever the spelling (the type-less form is not an
# update at all for /sparql: 415, as any body without a type).
CALLERS: dict[str, Callable[[UpdateServer], dict[str, str]]] = {
    "anonymous": lambda s: {},
    "member": lambda s: bearer(s.member),
    "unknown token": lambda s: bearer("not-a-token"),
    "revoked admin": lambda s: bearer(s.revoked_admin),
    "empty bearer": lambda s: {"Authorization": "Bearer"},
    "basic scheme": lambda s: {"Authorization": f"Basic {s.admin}"},
}
EXPECTED = {
    "anonymous": 403,
    "member": 403,
    "unknown token": 401,
    "revoked admin": 401,
    "empty bearer": 401,
    "basic scheme": 401,
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_no_caller_but_an_admin_changes_anything(updates: UpdateServer, caller: str) -> None:
    """Each spelling by each non-admin caller is refused, and the store is unchanged (each
    sends DROP ALL, so the number of quads would show any that ran)."""
    before = updates.store.count()
    headers = CALLERS[caller](updates)
    for name, send in ALL_SPELLINGS.items():
        response = send(updates.url, headers)
        expected = 415 if name == "sparql-form-no-type" else EXPECTED[caller]
        assert response.status_code == expected, (name, response.text)
        error_of(response, expected)
        if expected == 401:
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert updates.store.count() == before


def test_an_update_sent_as_a_query_never_runs(updates: UpdateServer) -> None:
    """`query=` carries queries only: an update there is refused even with an admin token."""
    before = updates.state()
    insert = "INSERT DATA { <https://example.org/a> <https://example.org/b> 1 }"
    admin = bearer(updates.admin)
    url = f"{updates.url}/sparql"
    error_of(fetch.get(url, params={"query": insert}, headers=admin), 403)
    error_of(fetch.post(url, data={"query": insert}, headers=admin), 403)
    query_type = {"Content-Type": "application/sparql-query", **admin}
    error_of(fetch.post(url, content=insert.encode(), headers=query_type), 403)
    assert updates.state() == before


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP port on 127.0.0.1 that records whatever connects to it."""
    with RecordingListener() as recording:
        yield recording.port, recording.received


def fetching_updates(port: int) -> list[str]:
    """Updates that would make an engine open a connection to 127.0.0.1:`port`."""
    target = f"http://127.0.0.1:{port}"
    return [
        f"LOAD <{target}/a>",
        f"LOAD SILENT <{target}/b> INTO GRAPH <https://example.org/g>",
        f"load <{target}/c>",
        f"LO\\u0041D <{target}/d>",
        f"# comment\nLOAD <{target}/e>",
        f"INSERT DATA {{ <a:a> <a:b> 1 }} ; LOAD <{target}/f>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT <{target}/sparql> {{ ?s ?p ?o }} }}",
        f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o SERVICE<{target}/q>{{ ?s ?p ?o }} }}",
    ]


def test_an_admin_update_never_opens_a_connection(
    updates: UpdateServer, listener: tuple[int, list[bytes]]
) -> None:
    """LOAD and SERVICE are refused (400) however spelled, and nothing connects."""
    port, received = listener
    before = updates.state()
    # Two here (the sandbox test below takes them all): a SILENT LOAD, a glued SERVICE.
    for update in [fetching_updates(port)[i] for i in (1, 8)]:
        response = SPELLINGS["update-direct"](updates.url, update, bearer(updates.admin))
        assert response.status_code == 400, (update, response.text)
    time.sleep(0.3)
    assert received == []
    assert updates.state() == before


def test_the_sandbox_has_no_network_whatever_the_checks_say(
    tmp_path: Path, listener: tuple[int, list[bytes]]
) -> None:
    """The evaluating process itself cannot connect: LOAD and SERVICE given straight to it,
    past the service's own checks, fail or do nothing, and the listener hears nothing."""
    port, received = listener
    data = tmp_path / "data.nq"
    data.write_bytes(b'<https://example.org/s> <https://example.org/p> "1" .\n')
    for update in fetching_updates(port):
        job = UpdateJob(update, "https://example.org/", str(data), read_first=False)
        outcome = run_in_sandbox(job, 30)
        if isinstance(outcome, Delta):  # the SILENT forms: nothing fetched, nothing changed
            assert (outcome.removed, outcome.drop_graphs) == (b"", [])
            assert b"127.0.0.1" not in outcome.added
        else:
            assert isinstance(outcome, Failure) and outcome.kind != "sandbox", outcome
    time.sleep(0.3)
    assert received == []


@pytest.mark.slow
def test_a_long_update_is_stopped_and_the_service_keeps_answering(tmp_path: Path) -> None:
    """An admin's runaway update is killed at the time limit (503, nothing written); pages are
    answered meanwhile."""
    settings = Settings(
        store=str(tmp_path / "store"),
        accounts=str(tmp_path / "accounts.sqlite"),
        update_timeout=6,
    )
    accounts = Accounts.from_settings(settings)
    token = accounts.add_member("Root", "https://example.org/org", admin=True)[1]
    runaway = (
        "INSERT { GRAPH <https://example.org/g> { ?a <a:p> ?d } } "
        "WHERE { GRAPH ?g1 { ?a ?p1 ?b } GRAPH ?g2 { ?c ?p2 ?d } GRAPH ?g3 { ?e ?p3 ?f }"
        " FILTER(STR(?b) = CONCAT(STR(?d), STR(?f), 'x')) }"
    )
    with LiveServer(settings) as server:
        store = server.app.state.services.store
        before = store.count()
        answers: dict[str, httpx.Response] = {}

        def send() -> None:
            answers["update"] = SPELLINGS["update-direct"](server.url, runaway, bearer(token))

        thread = threading.Thread(target=send)
        thread.start()
        time.sleep(0.5)
        # An order, not a clock: the page is answered while the update still runs (a server
        # held by it would answer the page only once the update is killed, 6 s in).
        page = fetch.get(f"{server.url}/", headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 200
        assert "update" not in answers and thread.is_alive()
        thread.join(timeout=60)
        error_of(answers["update"], 503)
        assert store.count() == before
