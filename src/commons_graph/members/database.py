"""The accounts database: one SQLite file beside the store, never part of the RDF data."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS members (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    organisation TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0,
    token_hash TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    organisation TEXT NOT NULL,
    note TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    created TEXT NOT NULL,
    decided_by INTEGER REFERENCES members(id),
    decided TEXT
);
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS contributions (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id),
    created TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    retracted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS versions (
    contribution_id TEXT NOT NULL REFERENCES contributions(id),
    number INTEGER NOT NULL,
    action TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id),
    time TEXT NOT NULL,
    content TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    shapes_version TEXT NOT NULL,
    comment TEXT,
    reverts INTEGER,
    PRIMARY KEY (contribution_id, number)
);
CREATE TABLE IF NOT EXISTS version_resources (
    contribution_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS version_resources_by_resource ON version_resources(resource);
CREATE TABLE IF NOT EXISTS idempotency (
    member_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    location TEXT,
    body TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (member_id, key)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    created TEXT NOT NULL,
    expires TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_member ON sessions(member_id);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_writes (
    id INTEGER PRIMARY KEY,
    contribution_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    intent TEXT NOT NULL,
    pid INTEGER NOT NULL
);
"""


class Database:
    """Opens short-lived connections to the accounts file; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
        finally:
            connection.close()
        # Nobody but the service's user needs to read tokens' hashes or the secret.
        path.chmod(0o600)
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened once.

        Opening a connection per transaction, and closing the last one (which checkpoints the
        write-ahead log to disk), took about a fifth of a contribution's time (py-spy).
        """
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys=ON")
            self._local.connection = connection
        return connection

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read-only snapshot: in WAL mode it never waits for a write in progress (a
        contribution holds the write lock while its store commits)."""
        connection = self._connection()
        connection.execute("BEGIN")
        try:
            yield connection
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A transaction whose changes are committed on success and rolled back on error."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
