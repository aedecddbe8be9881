"""kill -9 at any moment of a write: the store and the accounts database still agree.

Two kinds of proof: a write killed at each chosen point of its commit (deterministic, on each
backend), and a real `commons-graph serve` process killed while several members post
contributions at once, restarted, and checked against every answer it gave.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from commons_graph.config import Settings
from commons_graph.contributions.journal import recover
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, Member, accounts_path
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet, open_store
from commons_graph.store.seeding import initialise
from tests.helpers import http as fetch
from tests.helpers.accounts import (
    ACTIVITIES,
    assert_agree,
    commons,
    db_versions,
    store_versions,
    version_key,
)
from tests.helpers.servers import free_port

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"
SPARQL_JSON = "application/sparql-results+json"
_KILLED_WRITE = """
import os, signal, sys
from commons_graph.config import Settings
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.service import ContributionService
from commons_graph.rdf.formats import rdf_format
from commons_graph.members.accounts import Accounts
from commons_graph.store import open_store

settings = Settings.model_validate_json(sys.argv[1])
member_id, point, body = int(sys.argv[2]), sys.argv[3], sys.argv[4].encode()
store = open_store(settings)
backend = type(store)
real_commit = backend.commit

def commit(self, changes):
    if point == "before the store commits":
        os.kill(os.getpid(), signal.SIGKILL)
    real_commit(self, changes)
    if point == "after the store commits":
        os.kill(os.getpid(), signal.SIGKILL)

backend.commit = commit
accounts = Accounts.from_settings(settings)
service = ContributionService(store, accounts)
triples = parse_contribution(body, rdf_format("turtle"), 100_000)
service.submit(accounts.member(member_id), triples, idempotency_key="k1", fingerprint="f1")
"""


def _accounts_beside(
    backend_settings: Settings, tmp_path: Path
) -> tuple[Settings, Accounts, Member]:
    """The backend's settings with accounts in `tmp_path`, and Ana, a member of Ouishare."""
    settings = backend_settings.model_copy(update={"accounts": str(tmp_path / "acc.sqlite")})
    accounts = Accounts.from_settings(settings)
    return settings, accounts, accounts.add_member("Ana", OUISHARE)[0]


@pytest.mark.parametrize("point", ["before the store commits", "after the store commits"])
def test_a_write_killed_at_its_commit_is_settled_at_the_next_start(
    backend_settings: Settings, tmp_path: Path, point: str
) -> None:
    settings, accounts, ana = _accounts_beside(backend_settings, tmp_path)
    with open_store(settings) as store:
        initialise(store)
        recover(accounts, store)
    arguments = [settings.model_dump_json(), str(ana.id), point, commons("killed").decode()]
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITE, *arguments], check=False, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL
    with open_store(settings) as store:
        recover(accounts, store)
        assert_agree(store, accounts)
        stored = store_versions(store)
        assert len(stored) == (1 if point == "after the store commits" else 0)
        # The client retries with its Idempotency-Key: the answer it never got, or a first write.
        service = ContributionService(store, accounts)
        triples = parse_contribution(commons("killed"), rdf_format("turtle"), 100_000)
        retried = service.submit(ana, triples, idempotency_key="k1", fingerprint="f1")
        assert retried.replayed == bool(stored)
        if stored:
            assert {(retried.contribution_id, 1)} == stored
        assert_agree(store, accounts)


@pytest.mark.parametrize("committed", [True, False], ids=["answer lost", "write failed"])
def test_a_store_commit_that_raises_is_acknowledged_only_if_it_was_stored(
    backend_settings: Settings, tmp_path: Path, committed: bool
) -> None:
    """The store's answer is lost after it committed (or it did fail): the service finds out."""
    settings, accounts, ana = _accounts_beside(backend_settings, tmp_path)
    with open_store(settings) as store:
        initialise(store)
        real_commit = store.commit

        def failing(changes: ChangeSet) -> None:
            if committed:
                real_commit(changes)
            raise OSError("connection reset by peer")

        store.commit = failing  # type: ignore[method-assign]
        service = ContributionService(store, accounts)
        triples = parse_contribution(commons("lost"), rdf_format("turtle"), 100_000)
        if committed:
            receipt = service.submit(ana, triples)
            assert store_versions(store) == db_versions(accounts) == {(receipt.contribution_id, 1)}
        else:
            with pytest.raises(OSError):
                service.submit(ana, triples)
            assert store_versions(store) == db_versions(accounts) == set()
        store.commit = real_commit  # type: ignore[method-assign]
        recover(accounts, store)
        assert_agree(store, accounts)


# A slow disk: every store commit takes 200 ms longer to come back, so that most moments of a
# write fall between the store's commit and the accounts database's, where a kill used to leave
# the two disagreeing.
_SLOW_DISK = """
import time
from commons_graph.store.embedded import EmbeddedStore
_commit = EmbeddedStore.commit
def _slow_commit(self, changes):
    _commit(self, changes)
    time.sleep(0.2)
EmbeddedStore.commit = _slow_commit
"""


def serve(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`commons-graph serve` in its own process."""
    env = {
        **os.environ,
        "COMMONS_GRAPH_STORE": settings.store,
        "COMMONS_GRAPH_ACCOUNTS": str(accounts_path(settings)),
        "COMMONS_GRAPH_QUERY_WORKERS": "1",
    }
    command = _SLOW_DISK + "from commons_graph.cli import main; main()"
    if not Path(settings.store).exists():  # only `init` creates a store
        subprocess.run([sys.executable, "-c", command, "init"], env=env, check=True)
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-c", command, "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def wait_until_served(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Wait until the server answers (bounded)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if fetch.get(url + "/contributions", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not start within 60 s")


def write_until(
    url: str, token: str, prefix: str, stop: threading.Event, acknowledged: dict[str, str]
) -> None:
    """Post contributions one after another until `stop` or the server dies."""
    with fetch.client(base_url=url, timeout=30) as http:
        for i in range(400):  # bounded; the kill ends it much sooner
            if stop.is_set():
                return
            try:
                answer = http.post(
                    "/contributions",
                    content=commons(f"{prefix}-{i}"),
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
                )
            except httpx.TransportError:
                return  # the server died under us: this one was not acknowledged
            if answer.status_code == 201:
                acknowledged[answer.json()["id"]] = token
            else:
                assert answer.status_code in (429, 503), answer.text


@pytest.mark.slow
def test_kill_9_under_concurrent_writers_loses_no_acknowledged_contribution(
    tmp_path: Path,
) -> None:
    settings = Settings(store=str(tmp_path / "store"))
    accounts = Accounts.from_settings(settings)
    tokens = [
        accounts.add_member("Ana", OUISHARE)[1],
        accounts.add_member("Bea", C2C)[1],
        accounts.add_member("Cleo", OUISHARE)[1],
    ]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    acknowledged: dict[str, str] = {}  # contribution id -> token of its author
    process = serve(settings, port, log)
    try:
        wait_until_served(process, url, log)
        stop = threading.Event()
        writers = [
            threading.Thread(target=write_until, args=(url, token, f"w{n}", stop, acknowledged))
            for n, token in enumerate(tokens)
        ]
        for thread in writers:
            thread.start()
        # Let some writes through, then kill in the middle of the next one (an answer is sent
        # once a write is over: killing at once would hit the next write before its commit).
        deadline = time.monotonic() + 60
        while len(acknowledged) < 10:
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.01)
        time.sleep(0.12)
        os.kill(process.pid, signal.SIGKILL)
        stop.set()
        for thread in writers:
            thread.join(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    # Restart: the start settles the interrupted writes; then check every answer given.
    process = serve(settings, port, log)
    try:
        wait_until_served(process, url, log)
        with fetch.client(base_url=url, timeout=30) as http:
            for contribution_id, token in acknowledged.items():
                served = http.get(
                    f"/contributions/{contribution_id}", headers={"Accept": "application/json"}
                )
                assert served.status_code == 200, (contribution_id, served.text)
                # Its author may still change it: ownership survived the crash too.
                withdrawn = http.delete(
                    f"/contributions/{contribution_id}",
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert withdrawn.status_code == 200, withdrawn.text
            answer = http.get(
                "/sparql", params={"query": ACTIVITIES}, headers={"Accept": SPARQL_JSON}
            )
            in_store = {
                version_key(b["activity"]["value"]) for b in answer.json()["results"]["bindings"]
            }
        assert {cid for cid, _ in in_store} >= set(acknowledged)
        assert in_store == db_versions(accounts)
    finally:
        process.kill()
        process.wait(timeout=30)
