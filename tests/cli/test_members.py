"""`commons-graph members`: add prints the token last, list, revoke, claims."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.contributions.records import Records
from commons_graph.members.accounts import Accounts
from commons_graph.members.organisations import is_organisation
from commons_graph.store import open_store
from tests.helpers.prepared import initialised_copy

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
C2C = "https://w3id.org/commons-graph/id/organisation/commons-to-commons"


def test_members_add_list_revoke_and_claims(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    added = runner.invoke(
        main, ["--store", store, "members", "add", "--organisation", OUISHARE, "--name", "Ana"]
    )
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    accounts = Accounts.from_settings(Settings(store=store))
    member = accounts.by_token(token)
    assert member is not None and member.name == "Ana" and not member.is_admin

    listed = runner.invoke(main, ["--store", store, "members", "list"])
    assert listed.exit_code == 0 and "Ana" in listed.output and token not in listed.output

    not_an_organisation = runner.invoke(
        main, ["--store", store, "members", "claim", str(member.id), OUISHARE + "-2"]
    )
    assert not_an_organisation.exit_code == 2
    assert "only organisations can be claimed" in not_an_organisation.output
    claimed = runner.invoke(main, ["--store", store, "members", "claim", str(member.id), C2C])
    assert claimed.exit_code == 0, claimed.output
    claim_id = accounts.claims(status="pending")[0].id
    approved = runner.invoke(main, ["--store", store, "members", "approve-claim", str(claim_id)])
    assert approved.exit_code == 0, approved.output
    assert accounts.organisations(member) == [OUISHARE, C2C]

    revoked = runner.invoke(main, ["--store", store, "members", "revoke", str(member.id)])
    assert revoked.exit_code == 0
    assert accounts.by_token(token) is None

    bad = runner.invoke(
        main, ["--store", store, "members", "add", "--organisation", "ouishare", "--name", "X"]
    )
    assert bad.exit_code == 2


def test_members_add_refuses_an_organisation_the_store_does_not_know(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    unknown = OUISHARE + "-typo"
    refused = runner.invoke(
        main, ["--store", store, "members", "add", "--organisation", unknown, "--name", "Ana"]
    )
    assert refused.exit_code == 2
    assert refused.output.strip().count("\n") == 0 and unknown in refused.output
    assert "--create-organisation" in refused.output
    assert Accounts.from_settings(Settings(store=store)).members() == []
    # A commons is not an organisation either.
    glossary = "https://w3id.org/commons-graph/id/commons/collaborative-economy-glossary"
    added = runner.invoke(
        main, ["--store", store, "members", "add", "--organisation", glossary, "--name", "Ana"]
    )
    assert added.exit_code == 2


def test_members_add_creates_the_organisation_when_told(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    new = "https://w3id.org/commons-graph/id/organisation/la-fabrique"
    command = ["--store", store, "members", "add", "--organisation", new, "--name", "Ana"]
    added = runner.invoke(main, [*command, "--create-organisation", "La Fabrique"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().splitlines()[-1]
    settings = Settings(store=store)
    member = Accounts.from_settings(settings).by_token(token)
    assert member is not None and member.organisation == new
    with open_store(settings) as opened:
        assert is_organisation(opened, new)
        history = Records(Accounts.from_settings(settings).db).contributions(new)
        assert [r.member_id for r in history] == [member.id]
    # Known now: a second member needs no flag.
    assert runner.invoke(main, [*command[:-1], "Bea"]).exit_code == 0


def test_members_add_works_while_serve_holds_the_store(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The README's flow: a member is added in another terminal while `serve` runs."""
    store = str(tmp_path / "store")
    runner = CliRunner()

    def add(organisation: str, name: str, *more: str) -> Result:
        command = ["--store", store, "members", "add", "--organisation", organisation]
        return runner.invoke(main, [*command, "--name", name, *more])

    initialised_copy(tmp_path_factory, Path(store))  # as `init` leaves a store
    served = open_store(Settings(store=store))  # holds the store's lock, as `serve` does
    try:
        added = add(OUISHARE, "Ana")
        assert added.exit_code == 0, added.output
        assert len(added.output.splitlines()[-1]) > 20  # the token, on the last line
        unknown = add(OUISHARE + "-typo", "Bea")
        assert unknown.exit_code == 2 and "has no organisation" in unknown.output
        created = add(OUISHARE + "-new", "Cleo", "--create-organisation", "New")
        assert created.exit_code == 2 and "stop it" in created.output
    finally:
        served.close()
    names = [m.name for m in Accounts.from_settings(Settings(store=store)).members()]
    assert names == ["Ana"]
