"""The full-text index: an SQLite FTS5 database beside the store, with ranked, highlighted
search and prefix suggestions.

Tables: `docs` (one row per resource: IRI, classes, display labels per language), `fts` (the
FTS5 text: names, other names, descriptions, link labels, stems), `doc_graphs` (which graphs
each resource's statements are in: the subjects to read again when a graph changes) and `meta`
(the store fingerprint the index was last made from, and whether it is known to match).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commons_graph.search.documents import Document
from commons_graph.search.snippets import Highlighter, best_snippet
from commons_graph.search.text import match_expression, name_expression, stem_text, words
from commons_graph.views.labels import pick

SCHEMA_VERSION = "2"
# The ranked matches a search reads at most (facets and paging work on these).
MAX_MATCHES = 500
# Column weights for bm25: a word in a name counts most.
_WEIGHTS = "10.0, 5.0, 1.0, 2.0, 8.0, 1.0"
# Above this many matches, those not matching by name are not ranked by bm25 (see
# `_candidates`).
BM25_MAX = 3000
# The best matches looked at again to put exact names first.
_RERANKED = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kinds TEXT NOT NULL, labels TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_graphs (
  graph TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (graph, iri)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_graphs_iri ON doc_graphs (iri);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  name, alt, body, links, name_stems, other_stems,
  tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
);
"""


@dataclass(frozen=True)
class Hit:
    """One resource found: IRI, classes, labels by language tag ("" untagged)."""

    iri: str
    kinds: tuple[str, ...]
    labels: dict[str, str]

    def label(self, lang: str) -> str | None:
        """The label in `lang`, else in another site language, else any."""
        return pick(self.labels, lang)


def _labels(doc: Document) -> dict[str, str]:
    """The shortest name in each language (a resource's main name is usually its shortest)."""
    chosen: dict[str, str] = {}
    for text, tag in doc.names:
        lang = tag.split("-")[0]
        if text.strip() and (lang not in chosen or len(text) < len(chosen[lang])):
            chosen[lang] = text
    return chosen


class SearchIndex:
    """One index file; safe to use from several threads (a connection per thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self.write_lock = threading.Lock()
        # Called before every read (the keeper's: updates still under way are waited for, so
        # that a write is found by the next search).
        self.before_read: Callable[[], object] | None = None
        with self.write_lock:
            db = self._db()
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            if self.meta("schema") not in (None, SCHEMA_VERSION):
                # An index made by another version is dropped: a rebuild makes it again.
                db.executescript(
                    "DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS docs;"
                    " DROP TABLE IF EXISTS doc_graphs;"
                )
                self.set_meta("state", "stale")
            db.executescript(_SCHEMA)
            self.set_meta("schema", SCHEMA_VERSION)

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # Used by the thread that opened it; `close` may close it from another.
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
            with self._connections_lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        """Close every connection."""
        with self._connections_lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    # -- meta -----------------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        """A value of the meta table."""
        row = self._db().execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, name: str, value: str) -> None:
        """Set a value of the meta table."""
        self._db().execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value))

    def _settle(self) -> None:
        """Wait for the updates of writes already made (see `before_read`)."""
        if self.before_read is not None:
            self.before_read()

    def size(self) -> int:
        """How many resources the index holds."""
        self._settle()
        return int(self._db().execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (callers hold `write_lock`)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def subjects_in(self, graphs: Iterable[str]) -> set[str]:
        """The indexed resources with statements in any of `graphs`."""
        found: set[str] = set()
        db = self._db()
        for graph in set(graphs):
            rows = db.execute("SELECT iri FROM doc_graphs WHERE graph = ?", (graph,))
            found.update(r[0] for r in rows)
        return found

    @staticmethod
    def remove(db: sqlite3.Connection, iris: Iterable[str]) -> None:
        """Remove resources (inside a transaction)."""
        for iri in iris:
            row = db.execute("SELECT id FROM docs WHERE iri = ?", (iri,)).fetchone()
            if row is not None:
                db.execute("DELETE FROM fts WHERE rowid = ?", (row[0],))
                db.execute("DELETE FROM docs WHERE id = ?", (row[0],))
            db.execute("DELETE FROM doc_graphs WHERE iri = ?", (iri,))

    @staticmethod
    def put(db: sqlite3.Connection, doc: Document, *, new: bool = False) -> None:
        """Add or replace one resource (inside a transaction); one with nothing to find by is
        removed. `new`: the index holds nothing about it (just cleared, in a rebuild)."""
        if not new:
            SearchIndex.remove(db, [doc.iri])
        if not doc.has_text:
            return
        cursor = db.execute(
            "INSERT INTO docs (iri, kinds, labels) VALUES (?, ?, ?)",
            (doc.iri, " ".join(sorted(doc.types)), json.dumps(_labels(doc), ensure_ascii=False)),
        )
        names = [text for text, _ in doc.names if text.strip()]
        db.execute(
            "INSERT INTO fts (rowid, name, alt, body, links, name_stems, other_stems)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                cursor.lastrowid,
                "\n".join(names),
                "\n".join(t for t in doc.other_names if t.strip()),
                "\n".join(t for t in doc.body if t.strip()),
                "\n".join(t for t in doc.link_texts if t.strip()),
                stem_text([*names, *doc.other_names]),
                stem_text([*doc.body, *doc.link_texts]),
            ),
        )
        db.executemany(
            "INSERT OR IGNORE INTO doc_graphs (graph, iri) VALUES (?, ?)",
            [(graph, doc.iri) for graph in sorted(doc.graphs)],
        )

    @staticmethod
    def clear(db: sqlite3.Connection) -> None:
        """Remove everything (inside a transaction)."""
        db.execute("DELETE FROM docs")
        db.execute("DELETE FROM doc_graphs")
        db.execute("DELETE FROM fts")

    # -- reading --------------------------------------------------------------------------

    def _ids(self, expression: str, limit: int, *, ranked: bool) -> list[int]:
        order = f"ORDER BY bm25(fts, {_WEIGHTS})" if ranked else ""
        rows = self._db().execute(
            f"SELECT rowid FROM fts WHERE fts MATCH ? {order} LIMIT ?", (expression, limit)
        )
        return [int(r[0]) for r in rows]

    def _at_most(self, expression: str, limit: int) -> int:
        """How many resources match `expression`, counted up to `limit` (in SQLite: no row
        reaches Python)."""
        row = self._db().execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM fts WHERE fts MATCH ? LIMIT ?)",
            (expression, limit),
        )
        return int(row.fetchone()[0])

    def count(self, text: str) -> int:
        """How many resources match `text`."""
        expression = match_expression(text)
        if expression is None:
            return 0
        self._settle()
        row = self._db().execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (expression,))
        return int(row.fetchone()[0])

    def _candidates(self, text: str, limit: int, *, prefix: bool) -> list[tuple[Any, ...]]:
        """At most `limit` matches of `text` as (id, IRI, classes, labels JSON): those matching
        by name first, then the others, each by bm25 (names weigh most) unless there are more
        than BM25_MAX of them (bm25 costs ~5 µs per match: a word found in 40,000 descriptions
        would take 0.2 s), in index order then."""
        expression = match_expression(text, prefix_last=prefix)
        names = name_expression(text, prefix_last=prefix)
        if expression is None or names is None:
            return []
        self._settle()
        ranked = self._at_most(names, BM25_MAX + 1) <= BM25_MAX
        ids = self._ids(names, limit, ranked=ranked)
        if len(ids) < limit:
            seen = set(ids)
            many = self._at_most(expression, BM25_MAX + 1) > BM25_MAX
            others = self._ids(expression, limit + len(ids), ranked=not many)
            ids += [i for i in others if i not in seen][: limit - len(ids)]
        if not ids:
            return []
        position = {row: n for n, row in enumerate(ids)}
        rows = (
            self._db()
            .execute(
                "SELECT id, iri, kinds, labels FROM docs"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
            .fetchall()
        )
        return sorted(rows, key=lambda r: position[r[0]])

    def ranked(self, text: str) -> list[tuple[int, str, tuple[str, ...]]]:
        """The best matches of `text` (up to MAX_MATCHES): a resource named exactly so, then
        those matching by name, then the others (see `_candidates`). Each is (row id, IRI,
        classes)."""
        rows = self._candidates(text, MAX_MATCHES, prefix=False)
        wanted = words(text)
        head = sorted(rows[:_RERANKED], key=lambda r: not _named(r[3], wanted, prefix=False))
        return [(int(r[0]), str(r[1]), tuple(str(r[2]).split())) for r in head + rows[_RERANKED:]]

    def details(self, text: str, ids: list[int]) -> dict[int, tuple[dict[str, str], str]]:
        """Labels and a highlighted snippet of the resources `ids` for the query `text`."""
        if not ids:
            return {}
        self._settle()
        highlighter = Highlighter(text)
        rows = self._db().execute(
            """
            SELECT fts.rowid, docs.labels, fts.body, fts.alt, fts.links
            FROM fts JOIN docs ON docs.id = fts.rowid
            WHERE fts.rowid IN (SELECT value FROM json_each(?))
            """,
            (json.dumps(ids),),
        )
        return {
            int(row[0]): (
                json.loads(row[1]),
                best_snippet(
                    highlighter, str(row[2] or ""), [str(row[3] or ""), str(row[4] or "")]
                ),
            )
            for row in rows
        }

    def suggest(self, text: str, limit: int) -> list[Hit]:
        """Resources whose words start with the query's last word (and contain the others):
        names beginning with the query first, then other name matches, then the rest."""
        rows = self._candidates(text, max(limit * 5, _RERANKED), prefix=True)
        wanted = words(text)
        rows.sort(key=lambda r: _named_length(r[3], wanted))
        return [Hit(str(r[1]), tuple(str(r[2]).split()), json.loads(r[3])) for r in rows[:limit]]


def _named_length(labels_json: str, wanted: list[str]) -> float:
    """The length of the shortest label that begins with the query (the best type-ahead
    answer is the shortest name completing it), or infinity."""
    labels = json.loads(labels_json).values()
    return min((len(x) for x in labels if _is_named(x, wanted, prefix=True)), default=float("inf"))


def _named(labels_json: str, wanted: list[str], *, prefix: bool) -> bool:
    """Whether one of the labels is the query (or, with `prefix`, begins with it), folded."""
    return any(_is_named(x, wanted, prefix=prefix) for x in json.loads(labels_json).values())


def _is_named(label: str, wanted: list[str], *, prefix: bool) -> bool:
    found = words(label)
    if not wanted or found == wanted:
        return bool(wanted)
    if not prefix or len(found) < len(wanted):
        return False
    last = len(wanted) - 1
    return found[:last] == wanted[:last] and found[last].startswith(wanted[last])
