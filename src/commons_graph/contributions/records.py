"""Contributions and their versions in the accounts database: the history the store forgets.

The store holds only the current content of each contribution (one named graph) and the PROV
metadata of every change; the content of earlier versions lives here, so that replaced and
retracted statements never reach the public union but history can still show them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.members.database import Database


@dataclass(frozen=True)
class ContributionRecord:
    """A contribution: its organisation, author and current version."""

    id: str
    organisation: str
    member_id: int
    created: str
    current_version: int
    retracted: bool


@dataclass(frozen=True)
class VersionRecord:
    """One accepted change to a contribution (create, replace, retract or revert)."""

    contribution_id: str
    number: int
    action: str
    member_id: int
    member_name: str
    member_public_id: str
    organisation: str
    time: str
    content: str
    content_hash: str
    shapes_version: str
    comment: str | None
    reverts: int | None

    def triples(self) -> list[ox.Triple]:
        """The content of the contribution after this change."""
        return parse_ntriples(self.content)


def to_ntriples(triples: Iterable[ox.Triple]) -> str:
    """Triples as sorted N-Triples lines (a stable text for storing and diffing)."""
    return "".join(sorted(f"{t} .\n" for t in triples))


def parse_ntriples(text: str) -> list[ox.Triple]:
    """Triples from the stored N-Triples text."""
    if not text:
        return []
    return [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]


_VERSION_SELECT = (
    "SELECT versions.*, members.name AS member_name, members.public_id AS member_public_id,"
    " contributions.organisation FROM versions"
    " JOIN members ON members.id = versions.member_id"
    " JOIN contributions ON contributions.id = versions.contribution_id"
)


def _version(row: sqlite3.Row) -> VersionRecord:
    return VersionRecord(
        contribution_id=row["contribution_id"],
        number=row["number"],
        action=row["action"],
        member_id=row["member_id"],
        member_name=row["member_name"],
        member_public_id=row["member_public_id"],
        organisation=row["organisation"],
        time=row["time"],
        content=row["content"],
        content_hash=row["content_hash"],
        shapes_version=row["shapes_version"],
        comment=row["comment"],
        reverts=row["reverts"],
    )


def _contribution(row: sqlite3.Row) -> ContributionRecord:
    return ContributionRecord(
        id=row["id"],
        organisation=row["organisation"],
        member_id=row["member_id"],
        created=row["created"],
        current_version=row["current_version"],
        retracted=bool(row["retracted"]),
    )


class Records:
    """Reading and writing contribution records."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def contribution(self, contribution_id: str) -> ContributionRecord | None:
        """The contribution with this identifier, if any."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT * FROM contributions WHERE id = ?", (contribution_id,)
            ).fetchone()
        return None if row is None else _contribution(row)

    def organisations_of(self, contribution_ids: Iterable[str]) -> dict[str, str]:
        """The organisation of each known contribution."""
        ids = list(contribution_ids)
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        with self.db.read() as db:
            rows = db.execute(
                f"SELECT id, organisation FROM contributions WHERE id IN ({marks})", ids
            ).fetchall()
        return {r["id"]: r["organisation"] for r in rows}

    def contributions(self, organisation: str | None = None) -> list[ContributionRecord]:
        """Contributions, newest first, optionally of one organisation."""
        with self.db.read() as db:
            rows = db.execute(
                "SELECT * FROM contributions WHERE (? IS NULL OR organisation = ?)"
                " ORDER BY created DESC, id",
                (organisation, organisation),
            ).fetchall()
        return [_contribution(r) for r in rows]

    def versions(self, contribution_id: str) -> list[VersionRecord]:
        """Every version of a contribution, oldest first."""
        with self.db.read() as db:
            rows = db.execute(
                _VERSION_SELECT + " WHERE contribution_id = ? ORDER BY number", (contribution_id,)
            ).fetchall()
        return [_version(r) for r in rows]

    def versions_about(self, resource: str) -> list[VersionRecord]:
        """Every version whose content, before or after, mentions `resource`; newest first."""
        with self.db.read() as db:
            keys = db.execute(
                "SELECT DISTINCT contribution_id FROM version_resources WHERE resource = ?",
                (resource,),
            ).fetchall()
            ids = [k["contribution_id"] for k in keys]
            if not ids:
                return []
            marks = ",".join("?" for _ in ids)
            rows = db.execute(
                _VERSION_SELECT + f" WHERE contribution_id IN ({marks})"
                " ORDER BY time DESC, contribution_id, number DESC",
                ids,
            ).fetchall()
        return [_version(r) for r in rows]

    def versions_of_organisation(self, organisation: str) -> list[VersionRecord]:
        """Every version of the contributions made for `organisation`; newest first."""
        with self.db.read() as db:
            rows = db.execute(
                _VERSION_SELECT + " WHERE contributions.organisation = ?"
                " ORDER BY time DESC, contribution_id, number DESC",
                (organisation,),
            ).fetchall()
        return [_version(r) for r in rows]

    def forget_all_but(self, kept: set[str]) -> list[str]:
        """Forget every contribution not in `kept` (another store's, in a copied file)."""
        with self.db.connect() as db:
            known = [r["id"] for r in db.execute("SELECT id FROM contributions")]
            gone = sorted(set(known) - kept)
            for contribution_id in gone:
                for table in ("version_resources", "versions"):
                    db.execute(f"DELETE FROM {table} WHERE contribution_id = ?", (contribution_id,))
                db.execute("DELETE FROM contributions WHERE id = ?", (contribution_id,))
                # A replayed answer must not name a contribution this store does not hold.
                db.execute(
                    "DELETE FROM idempotency WHERE location = ?",
                    (f"/contributions/{contribution_id}",),
                )
        return gone

    @staticmethod
    def add_version(
        db: sqlite3.Connection,
        record: ContributionRecord,
        version: VersionRecord,
        resources: Iterable[str],
    ) -> None:
        """Record a new contribution or version inside the caller's transaction."""
        db.execute(
            "INSERT INTO contributions (id, organisation, member_id, created, current_version,"
            " retracted) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
            " current_version = excluded.current_version, retracted = excluded.retracted",
            (
                record.id,
                record.organisation,
                record.member_id,
                record.created,
                record.current_version,
                int(record.retracted),
            ),
        )
        db.execute(
            "INSERT INTO versions (contribution_id, number, action, member_id, time, content,"
            " content_hash, shapes_version, comment, reverts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                version.contribution_id,
                version.number,
                version.action,
                version.member_id,
                version.time,
                version.content,
                version.content_hash,
                version.shapes_version,
                version.comment,
                version.reverts,
            ),
        )
        db.executemany(
            "INSERT INTO version_resources (contribution_id, number, resource) VALUES (?, ?, ?)",
            [(version.contribution_id, version.number, r) for r in sorted(set(resources))],
        )

    @staticmethod
    def idempotent_answer(
        db: sqlite3.Connection, member_id: int, key: str
    ) -> tuple[str, int, str | None, str] | None:
        """The stored (request hash, status, location, body) for a member's key, if any."""
        row = db.execute(
            "SELECT request_hash, status, location, body FROM idempotency"
            " WHERE member_id = ? AND key = ?",
            (member_id, key),
        ).fetchone()
        if row is None:
            return None
        return row["request_hash"], row["status"], row["location"], row["body"]

    @staticmethod
    def remember_answer(
        db: sqlite3.Connection,
        member_id: int,
        key: str,
        request_hash: str,
        status: int,
        location: str | None,
        body: str,
        created: str,
    ) -> None:
        """Keep the answer to an idempotent request inside the caller's transaction."""
        db.execute(
            "INSERT INTO idempotency (member_id, key, request_hash, status, location, body,"
            " created) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (member_id, key, request_hash, status, location, body, created),
        )
