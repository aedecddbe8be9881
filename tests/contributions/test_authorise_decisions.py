"""The decisions routes used to make themselves, now the core's (contributions/authorise.py):
who sees and decides claims, who runs SPARQL Update, which organisation a form writes for."""

from __future__ import annotations

import pytest

from commons_graph.contributions.authorise import (
    Refusal,
    acting_organisation,
    authorise_claim_decision,
    may_decide_claims,
    may_run_updates,
)
from commons_graph.contributions.errors import ContributionError
from commons_graph.members.accounts import Member
from tests.helpers.contributions import C2C, OUISHARE


def member(*, is_admin: bool) -> Member:
    """A member of Ouishare, an administrator or not."""
    return Member(1, "m1", "Ana", None, OUISHARE, is_admin, "2026-01-01", None, False)


def test_only_admins_decide_claims_and_run_updates() -> None:
    assert may_decide_claims(member(is_admin=True))
    assert not may_decide_claims(member(is_admin=False))
    assert may_run_updates(member(is_admin=True))
    assert not may_run_updates(member(is_admin=False))


def test_a_claim_decision_by_a_member_is_refused_naming_the_claim() -> None:
    with pytest.raises(Refusal) as refused:
        authorise_claim_decision(member(is_admin=False), "/members/claims/3", "approve")
    assert refused.value.refused == [("/members/claims/3", "contribution.forbidden_claim_decision")]
    authorise_claim_decision(member(is_admin=True), "/members/claims/3", "reject")
    with pytest.raises(ContributionError) as unknown:
        authorise_claim_decision(member(is_admin=True), "/members/claims/3", "maybe")
    assert unknown.value.status == 404


def test_a_form_writes_for_an_organisation_the_member_speaks_for() -> None:
    assert acting_organisation(None, [OUISHARE, C2C]) == OUISHARE
    assert acting_organisation(C2C, [OUISHARE, C2C]) == C2C
    for wanted in (C2C, ""):
        with pytest.raises(Refusal) as refused:
            acting_organisation(wanted, [OUISHARE])
        assert refused.value.refused == [(wanted, "contribution.forbidden_organisation")]
