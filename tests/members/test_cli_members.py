"""`commons-graph members`: add prints the token last, list, revoke, claims."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"


def test_members_add_list_revoke_and_claims(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    runner = CliRunner()
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

    claimed = runner.invoke(
        main, ["--store", store, "members", "claim", str(member.id), OUISHARE + "-2"]
    )
    assert claimed.exit_code == 0, claimed.output
    claim_id = accounts.claims(status="pending")[0].id
    approved = runner.invoke(main, ["--store", store, "members", "approve-claim", str(claim_id)])
    assert approved.exit_code == 0, approved.output
    assert accounts.organisations(member) == [OUISHARE, OUISHARE + "-2"]

    revoked = runner.invoke(main, ["--store", store, "members", "revoke", str(member.id)])
    assert revoked.exit_code == 0
    assert accounts.by_token(token) is None

    bad = runner.invoke(
        main, ["--store", store, "members", "add", "--organisation", "ouishare", "--name", "X"]
    )
    assert bad.exit_code == 2
