"""The write-ahead journal that keeps the store and the accounts database in agreement.

A contribution's change is written to two places that cannot share one transaction: the RDF
store (its named graph and PROV) and the accounts database (its history). The order is

1. an *intent* (everything the history will record) is committed to the `pending_writes`
   table of the accounts database;
2. one SQLite transaction records the history, deletes the intent, and inside it the store
   commits; the SQLite transaction commits last;
3. only then is the write acknowledged.

Whatever moment the process dies at, the accounts database holds either the version or its
intent, or the store does not hold the change: the intent is written before the store commit
and removed only in the transaction that records the version, or, at start-up, once the store is
known not to hold it. The PROV activity of the change is in the store exactly when the store
committed it (the change's statements and its PROV are one store transaction), so `reconcile`
(run when the service or the CLI opens the store) records every left-over intent whose activity
is in the store and drops the others, never acknowledged. A write whose store commit raised is
checked at once: if the store holds it after all (an answer lost on the way back), it is
recorded and acknowledged; if not, its intent stays until the next start, in case a remote
server that timed out applies it later.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from commons_graph.contributions.provenance import (
    CONTRIBUTION_GRAPH_PREFIX,
    PROVENANCE_GRAPH,
    change_iri,
    contribution_id_of,
    version_iri,
)
from commons_graph.contributions.records import ContributionRecord, Records, VersionRecord
from commons_graph.contributions.upgrade import needs_upgrade, upgrade_history
from commons_graph.members.accounts import Accounts, now
from commons_graph.members.database import Database
from commons_graph.members.location import MIGRATED_FROM
from commons_graph.rdf.namespaces import DCTERMS, PROV, XSD_DATETIME
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

log = logging.getLogger("commons_graph.contributions")
FOREIGN_FORGOTTEN = "foreign_contributions_forgotten"
PROV_ENTITY = ox.NamedNode(PROV + "Entity")


@dataclass(frozen=True)
class Idempotency:
    """The answer to keep for a request sent with an Idempotency-Key."""

    member_id: int
    key: str
    request_hash: str
    status: int
    location: str | None
    body: str


@dataclass(frozen=True)
class Intent:
    """Everything one change records in the accounts database, journaled before the store."""

    record: ContributionRecord
    version: VersionRecord
    resources: list[str]
    idempotency: Idempotency | None = None

    def to_json(self) -> str:
        """The intent as stored in the journal."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Intent:
        """An intent read back from the journal."""
        data = json.loads(text)
        idempotency = data.get("idempotency")
        return cls(
            record=ContributionRecord(**data["record"]),
            version=VersionRecord(**data["version"]),
            resources=list(data["resources"]),
            idempotency=Idempotency(**idempotency) if idempotency else None,
        )


def begin(db: Database, intent: Intent) -> int:
    """Journal `intent` (committed before the store is touched); returns its number."""
    with db.connect() as connection:
        cursor = connection.execute(
            "INSERT INTO pending_writes (contribution_id, number, intent, pid) VALUES (?, ?, ?, ?)",
            (
                intent.version.contribution_id,
                intent.version.number,
                intent.to_json(),
                os.getpid(),
            ),
        )
        return int(cursor.lastrowid or 0)


def record(connection: sqlite3.Connection, intent: Intent, intent_id: int) -> None:
    """Record the change and retire its intent, inside the caller's transaction."""
    Records.add_version(connection, intent.record, intent.version, intent.resources)
    if intent.idempotency is not None:
        kept = intent.idempotency
        Records.remember_answer(
            connection,
            kept.member_id,
            kept.key,
            kept.request_hash,
            kept.status,
            kept.location,
            kept.body,
            intent.version.time,
        )
    connection.execute("DELETE FROM pending_writes WHERE id = ?", (intent_id,))


def in_store(store: Store, version: VersionRecord) -> bool:
    """Whether the store committed this change: its PROV activity, with its time and hash."""
    # The change's activity; before history became linked data (an older store not yet
    # upgraded, contributions/upgrade.py), it was the version's IRI itself. The VALUES block
    # sits inside the pattern, so the engine starts from these two subjects.
    activities = values_block(
        "activity",
        [
            change_iri(version.contribution_id, version.number),
            version_iri(version.contribution_id, version.number),
        ],
    )
    return store.ask(
        f"ASK {{ {activities} GRAPH {PROVENANCE_GRAPH} {{"
        f" ?activity <{DCTERMS}identifier> ?hash ; <{PROV}endedAtTime> ?time }} }}",
        {
            "hash": ox.Literal(version.content_hash),
            "time": ox.Literal(version.time, datatype=XSD_DATETIME),
        },
    )


def _alive(pid: int) -> bool:
    """Whether another process with this id runs (one that may be writing right now)."""
    if pid == os.getpid():
        return False  # ours: nothing of ours is in flight while we reconcile
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pending(db: Database) -> list[tuple[int, Intent]]:
    """The intents left by writes that are over (their process is gone), newest first.

    The accounts database is a local SQLite file, so every process writing to it runs on this
    machine: an intent whose process still runs may be a write in flight, and is left to it.
    """
    with db.connect() as connection:
        rows = connection.execute(
            "SELECT id, intent, pid FROM pending_writes ORDER BY id DESC"
        ).fetchall()
    return [(int(r["id"]), Intent.from_json(r["intent"])) for r in rows if not _alive(r["pid"])]


def settle(db: Database, store: Store, intent_id: int, intent: Intent) -> bool:
    """Record the change if the store holds it, else drop the intent; True when the change is
    in both."""
    version = intent.version
    with db.connect() as connection:
        recorded = connection.execute(
            "SELECT time, content_hash FROM versions WHERE contribution_id = ? AND number = ?",
            (version.contribution_id, version.number),
        ).fetchone()
        if recorded is None and in_store(store, version):
            record(connection, intent, intent_id)
            return True
        connection.execute("DELETE FROM pending_writes WHERE id = ?", (intent_id,))
        # Already recorded: by this very change, or (when it failed earlier) by a later one.
        return recorded is not None and tuple(recorded) == (version.time, version.content_hash)


def record_if_stored(db: Database, store: Store, intent_id: int, intent: Intent) -> bool:
    """After a failed commit: record the change if the store holds it after all (True)."""
    if not in_store(store, intent.version):
        return False
    with db.connect() as connection:
        record(connection, intent, intent_id)
    return True


def reconcile(db: Database, store: Store) -> tuple[int, int]:
    """Settle every intent left by an interrupted write; returns (recorded, dropped)."""
    recorded = dropped = 0
    # Newest first: should a failed write and a later one share a version number, the later
    # one is the one the store may hold, and recording it retires the older intent.
    for intent_id, intent in pending(db):
        if settle(db, store, intent_id, intent):
            recorded += 1
        else:
            dropped += 1
    if recorded or dropped:
        log.warning(
            "an interrupted write was settled: %d change(s) the store holds were recorded in "
            "the accounts database, %d the store never committed were dropped",
            recorded,
            dropped,
        )
    return recorded, dropped


def contributions_in(store: Store) -> set[str]:
    """The identifiers of the contributions whose provenance the store holds."""
    query = (
        "SELECT DISTINCT ?graph WHERE { GRAPH ?provenance { ?graph a ?entity }"
        f' FILTER(STRSTARTS(STR(?graph), "{CONTRIBUTION_GRAPH_PREFIX}")) }}'
    )
    rows = store.select(query, {"provenance": PROVENANCE_GRAPH, "entity": PROV_ENTITY}).rows
    return {
        contribution_id
        for (graph,) in rows
        if isinstance(graph, ox.NamedNode)
        and (contribution_id := contribution_id_of(graph.value)) is not None
        and "/" not in contribution_id
    }


def recover(accounts: Accounts, store: Store) -> None:
    """Bring the accounts database in line with its store when the service or CLI opens both.

    Settles interrupted writes; once, forgets from a file copied from an accounts file that
    several stores shared the contributions that belong to another store; then brings a
    history written before versions were entities to the current layout (upgrade.py).
    """
    reconcile(accounts.db, store)
    if accounts.meta(MIGRATED_FROM) and not accounts.meta(FOREIGN_FORGOTTEN):
        gone = Records(accounts.db).forget_all_but(contributions_in(store))
        accounts.set_meta(FOREIGN_FORGOTTEN, now())
        if gone:
            log.warning(
                "%d contribution(s) of another store were removed from this store's copy of "
                "the shared accounts file",
                len(gone),
            )
    # A store written before versions were entities gets its history in the current layout
    # (not a read-only remote store: it is served as it is, and says so in the log).
    if hasattr(store, "update_url") and not store.update_url:
        if needs_upgrade(store):
            log.warning("the store's history is in the layout before versions were entities")
        return
    upgrade_history(Records(accounts.db), store)
