"""The admins' audit trail: who sent which SPARQL Update (by its hash), when, and what came of it.

Kept in the accounts database beside members and contributions, in a table of its own made on
first use; the update's text itself is not kept, only its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.members.accounts import Accounts, now

_TABLE = """
CREATE TABLE IF NOT EXISTS admin_updates (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    time TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    outcome TEXT NOT NULL,
    dropped_graphs INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0
)
"""


@dataclass(frozen=True)
class UpdateRecord:
    """One update an admin sent: `outcome` is `applied` or the reason it was refused."""

    id: int
    member_id: int
    time: str
    sha256: str
    outcome: str
    dropped_graphs: int
    removed: int
    added: int


def record_update(
    accounts: Accounts,
    member_id: int,
    sha256: str,
    outcome: str,
    counts: tuple[int, int, int] = (0, 0, 0),
) -> None:
    """Add one line to the trail; `counts` are graphs dropped, quads removed, quads added."""
    with accounts.db.connect() as db:
        db.execute(_TABLE)
        db.execute(
            "INSERT INTO admin_updates (member_id, time, sha256, outcome, dropped_graphs,"
            " removed, added) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (member_id, now(), sha256, outcome, *counts),
        )


def recorded_updates(accounts: Accounts) -> list[UpdateRecord]:
    """Every recorded update, oldest first."""
    with accounts.db.connect() as db:
        db.execute(_TABLE)
        rows = db.execute("SELECT * FROM admin_updates ORDER BY id").fetchall()
    return [UpdateRecord(**dict(row)) for row in rows]
