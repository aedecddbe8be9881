"""Members, their organisations and claims, in the accounts database (never in the RDF store)."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.errors import BadInputError, NotFoundError
from commons_graph.members.database import Database
from commons_graph.members.location import accounts_path, migrate
from commons_graph.members.tokens import (
    MIN_PASSWORD_LENGTH,
    check_password,
    dummy_hash,
    hash_password,
    hash_token,
    new_token,
)

__all__ = ["Accounts", "Claim", "Member", "accounts_path", "now"]


def organisation_iri(value: str) -> str:
    """`value` if it is an absolute http(s) IRI, else a one-line BadInputError."""
    iri = value.strip()
    try:
        ox.NamedNode(iri)
    except ValueError:
        iri = ""
    if not iri.startswith(("http://", "https://")):
        raise BadInputError("member.error.organisation_not_http", iri=value)
    return iri


def now() -> str:
    """The current UTC time, ISO 8601 to the second, as stored and published."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Member:
    """A person who may contribute on behalf of an organisation."""

    id: int
    public_id: str
    name: str
    email: str | None
    organisation: str
    is_admin: bool
    created: str
    revoked: str | None
    has_password: bool

    @property
    def active(self) -> bool:
        """Whether the member may still sign in and contribute."""
        return self.revoked is None


@dataclass(frozen=True)
class Claim:
    """A member's request to speak for an (imported) organisation, decided by an admin."""

    id: int
    member_id: int
    member_name: str
    organisation: str
    note: str | None
    status: str
    created: str
    decided: str | None


def _member(row: sqlite3.Row) -> Member:
    return Member(
        id=row["id"],
        public_id=row["public_id"],
        name=row["name"],
        email=row["email"],
        organisation=row["organisation"],
        is_admin=bool(row["is_admin"]),
        created=row["created"],
        revoked=row["revoked"],
        has_password=row["password_hash"] is not None,
    )


def _claim(row: sqlite3.Row) -> Claim:
    return Claim(
        id=row["id"],
        member_id=row["member_id"],
        member_name=row["name"],
        organisation=row["organisation"],
        note=row["note"],
        status=row["status"],
        created=row["created"],
        decided=row["decided"],
    )


class Accounts:
    """The members and claims of one service instance."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)

    @classmethod
    def from_settings(cls, settings: Settings) -> Accounts:
        """The accounts of the store the settings select (created empty when missing)."""
        return cls(migrate(settings))

    def add_member(
        self, name: str, organisation: str, *, email: str | None = None, admin: bool = False
    ) -> tuple[Member, str]:
        """Create a member; returns it with its token, which is never stored in clear."""
        if not name.strip():
            raise BadInputError("member.error.name_required")
        organisation = organisation_iri(organisation)
        token = new_token()
        with self.db.connect() as db:
            cursor = db.execute(
                "INSERT INTO members (public_id, name, email, organisation, is_admin, token_hash,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    secrets.token_hex(8),
                    name.strip(),
                    email,
                    organisation,
                    int(admin),
                    hash_token(token),
                    now(),
                ),
            )
            member_id = cursor.lastrowid
        return self.member(int(member_id or 0)), token

    def member(self, member_id: int) -> Member:
        """The member with this number."""
        with self.db.read() as db:
            row = db.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        if row is None:
            raise NotFoundError("member.error.no_member", number=member_id)
        return _member(row)

    def members(self) -> list[Member]:
        """Every member, oldest first."""
        with self.db.read() as db:
            return [_member(r) for r in db.execute("SELECT * FROM members ORDER BY id")]

    def by_token(self, token: str) -> Member | None:
        """The active member holding `token`, if any."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT * FROM members WHERE token_hash = ? AND revoked IS NULL",
                (hash_token(token),),
            ).fetchone()
        return None if row is None else _member(row)

    def by_password(self, email: str, password: str) -> Member | None:
        """The active member with this e-mail address and password, if any."""
        with self.db.read() as db:
            rows = db.execute(
                "SELECT * FROM members WHERE email = ? AND revoked IS NULL", (email,)
            ).fetchall()
        # As long for an unknown address, or one without a password, as for a wrong password:
        # one scrypt at least, so the answer's time does not tell which addresses exist.
        hashes = [(row, row["password_hash"]) for row in rows if row["password_hash"]]
        found = None
        for row, stored in hashes or [(None, dummy_hash())]:
            if check_password(password, stored) and row is not None and found is None:
                found = _member(row)
        return found

    def set_password(self, member_id: int, password: str) -> None:
        """Let a member sign in with a password of their choosing as well as their token."""
        if len(password) < MIN_PASSWORD_LENGTH:
            raise BadInputError("member.error.short_password", length=MIN_PASSWORD_LENGTH)
        with self.db.connect() as db:
            db.execute(
                "UPDATE members SET password_hash = ? WHERE id = ?",
                (hash_password(password), member_id),
            )

    def revoke(self, member_id: int) -> Member:
        """Stop a member from signing in or contributing; their contributions stay."""
        self.member(member_id)
        with self.db.connect() as db:
            db.execute(
                "UPDATE members SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (now(), member_id),
            )
            db.execute("DELETE FROM sessions WHERE member_id = ?", (member_id,))
        return self.member(member_id)

    def remove_unused(self, member_id: int) -> None:
        """Delete a member who has done nothing yet (no contribution, claim or decision)."""
        with self.db.connect() as db:
            db.execute(
                "DELETE FROM members WHERE id = ? AND NOT EXISTS (SELECT 1 FROM versions"
                " WHERE member_id = ?) AND NOT EXISTS (SELECT 1 FROM claims WHERE member_id = ?"
                " OR decided_by = ?)",
                (member_id, member_id, member_id, member_id),
            )

    def organisations(self, member: Member) -> list[str]:
        """The organisations a member speaks for: their own, then approved claims."""
        with self.db.read() as db:
            rows = db.execute(
                "SELECT organisation FROM claims WHERE member_id = ? AND status = 'approved'"
                " ORDER BY id",
                (member.id,),
            ).fetchall()
        claimed = [r["organisation"] for r in rows if r["organisation"] != member.organisation]
        return [member.organisation, *dict.fromkeys(claimed)]

    def add_claim(self, member: Member, organisation: str, note: str | None = None) -> Claim:
        """Ask to speak for `organisation` (e.g. one imported from open data)."""
        if not organisation.startswith(("http://", "https://")):
            raise BadInputError("member.error.organisation_not_iri", iri=organisation)
        with self.db.connect() as db:
            cursor = db.execute(
                "INSERT INTO claims (member_id, organisation, note, created) VALUES (?, ?, ?, ?)",
                (member.id, organisation, note, now()),
            )
            claim_id = int(cursor.lastrowid or 0)
        return self.claim(claim_id)

    def claim(self, claim_id: int) -> Claim:
        """The claim with this number."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT claims.*, members.name FROM claims JOIN members"
                " ON members.id = claims.member_id WHERE claims.id = ?",
                (claim_id,),
            ).fetchone()
        if row is None:
            raise NotFoundError("member.error.no_claim", number=claim_id)
        return _claim(row)

    def claims(self, status: str | None = None, member: Member | None = None) -> list[Claim]:
        """Claims, optionally only those with `status` or from `member`, oldest first."""
        query = (
            "SELECT claims.*, members.name FROM claims"
            " JOIN members ON members.id = claims.member_id"
            " WHERE (? IS NULL OR status = ?) AND (? IS NULL OR member_id = ?) ORDER BY claims.id"
        )
        member_id = None if member is None else member.id
        with self.db.read() as db:
            rows = db.execute(query, (status, status, member_id, member_id)).fetchall()
        return [_claim(r) for r in rows]

    def decide_claim(self, claim_id: int, *, approve: bool, admin_id: int | None = None) -> Claim:
        """Approve or reject a pending claim."""
        claim = self.claim(claim_id)
        if claim.status != "pending":
            raise BadInputError("member.error.claim_decided", number=claim_id, state=claim.status)
        with self.db.connect() as db:
            db.execute(
                "UPDATE claims SET status = ?, decided_by = ?, decided = ? WHERE id = ?",
                ("approved" if approve else "rejected", admin_id, now(), claim_id),
            )
        return self.claim(claim_id)

    def meta(self, name: str) -> str | None:
        """A fact about the accounts file itself (where it was migrated from, …), if set."""
        with self.db.read() as db:
            row = db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, name: str, value: str) -> None:
        """Record a fact about the accounts file itself."""
        with self.db.connect() as db:
            db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def secret(self, name: str) -> str:
        """A random secret kept in the accounts file, created on first use."""
        with self.db.connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)",
                (name, secrets.token_urlsafe(48)),
            )
            row = db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        return str(row["value"])
