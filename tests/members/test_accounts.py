"""Member accounts: tokens stored hashed, revocation, passwords, claims, the accounts file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from commons_graph.config import Settings
from commons_graph.errors import BadInputError
from commons_graph.members.accounts import Accounts, accounts_path
from commons_graph.members.tokens import hash_token

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite")


def test_token_identifies_member_and_is_stored_only_hashed(accounts: Accounts) -> None:
    member, token = accounts.add_member("Ana", OUISHARE, email="ana@example.org")
    assert accounts.by_token(token) == member
    assert accounts.by_token(token + "x") is None
    dump = "\n".join(sqlite3.connect(accounts.db.path).iterdump())
    assert token not in dump
    assert hash_token(token) in dump


def test_revoked_member_cannot_use_token(accounts: Accounts) -> None:
    member, token = accounts.add_member("Ana", OUISHARE)
    accounts.revoke(member.id)
    assert accounts.by_token(token) is None
    assert not accounts.member(member.id).active


def test_password_sign_in(accounts: Accounts) -> None:
    member, _ = accounts.add_member("Ana", OUISHARE, email="ana@example.org")
    with pytest.raises(BadInputError):
        accounts.set_password(member.id, "short")
    accounts.set_password(member.id, "a long enough passphrase")
    assert accounts.by_password("ana@example.org", "a long enough passphrase") == accounts.member(
        member.id
    )
    assert accounts.by_password("ana@example.org", "wrong passphrase!") is None


def test_claims_add_organisations_once_approved(accounts: Accounts) -> None:
    member, _ = accounts.add_member("Ana", OUISHARE)
    claim = accounts.add_claim(member, C2C, "I coordinate it")
    assert accounts.organisations(member) == [OUISHARE]
    assert [c.id for c in accounts.claims(status="pending")] == [claim.id]
    accounts.decide_claim(claim.id, approve=True)
    assert accounts.organisations(member) == [OUISHARE, C2C]
    with pytest.raises(BadInputError):
        accounts.decide_claim(claim.id, approve=False)


def test_secret_is_generated_once(accounts: Accounts) -> None:
    assert accounts.secret("session") == accounts.secret("session")
    assert len(accounts.secret("session")) > 40


def test_each_store_has_its_own_accounts_file_unless_one_is_configured(tmp_path: Path) -> None:
    first = Settings(store=str(tmp_path / "data" / "store"))
    second = Settings(store=str(tmp_path / "data" / "other"))
    assert accounts_path(first) == tmp_path / "data" / "store.accounts.sqlite"
    assert accounts_path(second) == tmp_path / "data" / "other.accounts.sqlite"
    remote = Settings(store="http://127.0.0.1:7878/query")
    elsewhere = Settings(store="http://127.0.0.1:7879/query")
    assert accounts_path(remote).name.startswith("127.0.0.1-7878-query-")
    assert accounts_path(remote) != accounts_path(elsewhere)
    assert accounts_path(remote) != accounts_path(Settings())
    chosen = Settings(store=str(tmp_path / "store"), accounts=str(tmp_path / "a.sqlite"))
    assert accounts_path(chosen) == tmp_path / "a.sqlite"
