"""Fixtures for the contribution core: accounts, members and a service on a seeded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from contribution_helpers import C2C, OUISHARE

from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, Member
from commons_graph.store.base import Store


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite")


@pytest.fixture
def service(seeded_store: Store, accounts: Accounts) -> ContributionService:
    return ContributionService(seeded_store, accounts)


@pytest.fixture
def ana(accounts: Accounts) -> Member:
    """A member for Ouishare."""
    return accounts.add_member("Ana", OUISHARE)[0]


@pytest.fixture
def bea(accounts: Accounts) -> Member:
    """A member for Commons To Commons."""
    return accounts.add_member("Bea", C2C)[0]
