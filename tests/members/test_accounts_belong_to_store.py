"""The accounts database belongs to its store: a second store never sees the first one's members
or history, on either backend; an accounts file that stores used to share is split safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from commons_graph.config import Settings
from commons_graph.contributions.journal import recover
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, accounts_path
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from tests.helpers.servers import OxigraphServer

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"


def commons(name: str) -> bytes:
    return f"""
        @prefix cg: <https://w3id.org/commons-graph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/commons-graph/id/commons/{name}> a cg:Commons ;
            rdfs:label "Commons {name}"@en ;
            cg:commonsKind <https://w3id.org/commons-graph/commons-kind/knowledge> .
        """.encode()


def contribute(settings: Settings, organisation: str, name: str) -> tuple[str, str]:
    """A new member of `organisation` and their contribution in the selected store."""
    accounts = Accounts.from_settings(settings)
    member, token = accounts.add_member(f"Member of {name}", organisation)
    with open_store(settings) as store:
        initialise(store)
        recover(accounts, store)
        triples = parse_contribution(commons(name), rdf_format("turtle"), 100_000)
        receipt = ContributionService(store, accounts).submit(member, triples)
    return token, receipt.contribution_id


def contents(settings: Settings) -> tuple[set[str], set[str]]:
    """(member names, contribution ids) in the accounts of the selected store, once opened."""
    accounts = Accounts.from_settings(settings)
    with open_store(settings) as store:
        recover(accounts, store)
    with accounts.db.connect() as db:
        ids = {r["id"] for r in db.execute("SELECT id FROM contributions")}
    return {m.name for m in accounts.members()}, ids


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder: the default locations are relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_embedded_and_a_remote_store_keep_separate_accounts(
    in_tmp: Path, remote_server: OxigraphServer
) -> None:
    embedded = Settings()  # the default store, .commons-graph/store
    remote = remote_server.settings()
    _, first = contribute(embedded, OUISHARE, "embedded")
    assert contents(remote) == (set(), set())
    _, second = contribute(remote, C2C, "remote")
    assert contents(embedded) == ({"Member of embedded"}, {first})
    assert contents(remote) == ({"Member of remote"}, {second})
    assert accounts_path(embedded).resolve().parent == in_tmp / ".commons-graph"
    assert accounts_path(remote).resolve().parent == in_tmp / ".commons-graph" / "accounts"


def test_two_embedded_stores_in_one_folder_keep_separate_accounts(in_tmp: Path) -> None:
    first = Settings(store=str(in_tmp / "data" / "first"))
    second = Settings(store=str(in_tmp / "data" / "second"))
    _, made = contribute(first, OUISHARE, "first")
    assert contents(second) == (set(), set())
    assert contents(first) == ({"Member of first"}, {made})


def test_a_shared_accounts_file_is_split_between_its_stores(
    in_tmp: Path, remote_server: OxigraphServer
) -> None:
    """Both stores used .commons-graph/accounts.sqlite: each gets a copy with its own history."""
    legacy = in_tmp / ".commons-graph" / "accounts.sqlite"
    embedded_then = Settings(accounts=str(legacy))
    remote_then = remote_server.settings(accounts=str(legacy))
    embedded_token, embedded_id = contribute(embedded_then, OUISHARE, "embedded")
    remote_token, remote_id = contribute(remote_then, C2C, "remote")

    embedded, remote = Settings(), remote_server.settings()
    names = {"Member of embedded", "Member of remote"}
    assert contents(embedded) == (names, {embedded_id})
    assert contents(remote) == (names, {remote_id})
    # Members keep their tokens: nobody is locked out by the move.
    assert Accounts.from_settings(embedded).by_token(embedded_token) is not None
    assert Accounts.from_settings(remote).by_token(remote_token) is not None
    assert legacy.exists()  # left for any other store that shared it


def test_a_new_store_beside_a_shared_file_starts_with_no_accounts(in_tmp: Path) -> None:
    legacy = in_tmp / "data" / "accounts.sqlite"
    contribute(Settings(store=str(in_tmp / "data" / "old"), accounts=str(legacy)), OUISHARE, "old")
    assert contents(Settings(store=str(in_tmp / "data" / "new"))) == (set(), set())
