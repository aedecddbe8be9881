"""Property: whatever the sequence of writes (create, replace, withdraw, revert) and wherever the
process dies in one of them, the store and the accounts database agree once it starts again.

The death is played in process: the store's commit raises an exception no code handles, before
or after the real commit, and the service's recovery on failure is switched off, as a kill
would leave it; the uncommitted SQLite transaction is rolled back as after a kill. The kill -9
tests with real processes are in test_adv_accounts_crash.py.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.contributions import journal
from commons_graph.contributions.errors import ContributionError
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.service import ContributionService
from commons_graph.members.accounts import Accounts, Member
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.accounts import (
    assert_agree,
    commons,
    db_versions,
    store_versions,
)

OUISHARE = "https://w3id.org/commons-graph/id/organisation/ouishare"
names = itertools.count()


class Killed(BaseException):
    """The process dies here: nothing after this point runs."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Accounts, Member]]:
    """One seeded store and its accounts, shared by every example (each adds its own writes)."""
    folder = tmp_path_factory.mktemp("crash-property")
    with EmbeddedStore(folder / "store") as store:
        initialise(store)
        accounts = Accounts(Path(folder / "accounts.sqlite"))
        yield store, accounts, accounts.add_member("Ana", OUISHARE)[0]


operations = st.lists(
    st.tuples(st.sampled_from(["create", "replace", "withdraw", "revert"]), st.integers(0, 2)),
    min_size=1,
    max_size=5,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=operations,
    crash_step=st.integers(0, 4),
    point=st.sampled_from(["before the store commits", "after the store commits"]),
)
def test_any_crash_in_any_write_leaves_store_and_accounts_agreeing(
    world: tuple[Store, Accounts, Member], steps: list[tuple[str, int]], crash_step: int, point: str
) -> None:
    store, accounts, ana = world
    real_commit = store.commit
    real_recovery = journal.record_if_stored
    service = ContributionService(store, accounts)
    made: list[str] = []
    current = [0]  # the step being written

    def commit(changes: Any) -> None:
        if current[0] == crash_step and point == "before the store commits":
            raise Killed
        real_commit(changes)
        if current[0] == crash_step:
            raise Killed

    def write(action: str, which: int) -> None:
        triples = parse_contribution(commons(f"prop-{next(names)}"), rdf_format("turtle"), 100_000)
        if action == "create" or not made:
            made.append(service.submit(ana, triples).contribution_id)
        elif action == "replace":
            service.replace(ana, made[which % len(made)], triples)
        elif action == "withdraw":
            service.retract(ana, made[which % len(made)])
        else:
            service.revert(ana, made[which % len(made)])

    store.commit = commit  # type: ignore[method-assign]
    journal.record_if_stored = lambda *args: False  # a killed process recovers nothing
    try:
        with contextlib.suppress(Killed):
            for index, (action, which) in enumerate(steps):
                current[0] = index
                # A refusal (e.g. withdrawing twice) writes nothing: nothing to check.
                with contextlib.suppress(ContributionError):
                    write(action, which)
    finally:
        store.commit = real_commit  # type: ignore[method-assign]
        journal.record_if_stored = real_recovery
    acknowledged = db_versions(accounts)
    # The next start.
    journal.recover(accounts, store)
    assert_agree(store, accounts)
    assert acknowledged <= store_versions(store)
