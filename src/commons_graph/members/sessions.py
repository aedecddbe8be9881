"""Browser sessions kept on the server: signing out ends a session for every copy of its cookie.

The cookie carries only a random session token (signed, HttpOnly); the accounts database keeps
its SHA-256 with the member and an expiry. Signing out, revoking the member or changing the
password deletes the row, so a cookie copied earlier names nothing any more.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from commons_graph.members.database import Database
from commons_graph.members.tokens import hash_token


def _stamp(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Sessions:
    """Open, look up and close sessions."""

    def __init__(self, db: Database, lifetime_seconds: float) -> None:
        self.db = db
        self.lifetime = timedelta(seconds=lifetime_seconds)

    def open(self, member_id: int) -> str:
        """A new session for the member; returns its token (for the cookie only)."""
        token = secrets.token_urlsafe(32)
        moment = datetime.now(UTC)
        with self.db.connect() as db:
            # Expired sessions are cleared as new ones open: the table stays the size of the
            # sessions in use.
            db.execute("DELETE FROM sessions WHERE expires <= ?", (_stamp(moment),))
            db.execute(
                "INSERT INTO sessions (token_hash, member_id, created, expires)"
                " VALUES (?, ?, ?, ?)",
                (hash_token(token), member_id, _stamp(moment), _stamp(moment + self.lifetime)),
            )
        return token

    def member_id(self, token: str) -> int | None:
        """The member of a live session, if `token` names one."""
        with self.db.read() as db:
            row = db.execute(
                "SELECT member_id FROM sessions WHERE token_hash = ? AND expires > ?",
                (hash_token(token), _stamp(datetime.now(UTC))),
            ).fetchone()
        return None if row is None else int(row["member_id"])

    def close(self, token: str) -> None:
        """End one session (signing out)."""
        with self.db.connect() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (hash_token(token),))

    def close_all(self, member_id: int, *, keep: str | None = None) -> None:
        """End every session of a member, except `keep` (the one changing the password)."""
        kept = hash_token(keep) if keep else ""
        with self.db.connect() as db:
            db.execute(
                "DELETE FROM sessions WHERE member_id = ? AND token_hash != ?", (member_id, kept)
            )
