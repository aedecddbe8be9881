"""`cgf:matches(?resource, "words")` in SPARQL: whether the full-text index finds a resource.

The public query workers (sparql/worker.py) evaluate queries in sandboxed processes on a
read-only checkpoint of the store; they open the search index read-only too and give
pyoxigraph this function (its `custom_functions`). The words are matched as on /search (every
word, in any name, description, keyword, identifier or linked label; case, accents and English
and French endings folded), through the same quoted MATCH expression: no FTS5 syntax comes from
the query. The set of resources a text finds is read once per query (at most MAX_MATCHED), so
that a FILTER over many solutions costs a set lookup each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from commons_graph.rdf.namespaces import BASE
from commons_graph.search.text import match_expression

FUNCTIONS = BASE + "function#"
MATCHES = ox.NamedNode(FUNCTIONS + "matches")
# The most resources one text may find for the function (a query of common words in a large
# network is bounded by it, and by the query time limit).
MAX_MATCHED = 200_000
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_FALSE = ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))

SparqlFunction = Callable[..., ox.Literal | None]


def search_functions(index: Path | None) -> dict[ox.NamedNode, SparqlFunction]:
    """The custom functions of one query, reading `index` (none when there is no index)."""
    if index is None or not index.is_file():
        return {}
    found: dict[str, frozenset[str]] = {}

    def matches(resource: object, text: object = None) -> ox.Literal | None:
        if not isinstance(text, ox.Literal):
            return None  # an error in SPARQL terms: the FILTER is false
        if not isinstance(resource, ox.NamedNode):
            return _FALSE
        if text.value not in found:
            found[text.value] = _matched(index, text.value)
        return _TRUE if resource.value in found[text.value] else _FALSE

    return {MATCHES: matches}


def _matched(index: Path, text: str) -> frozenset[str]:
    expression = match_expression(text)
    if expression is None:
        return frozenset()
    db = sqlite3.connect(f"file:{index}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute(
            "SELECT docs.iri FROM fts JOIN docs ON docs.id = fts.rowid WHERE fts MATCH ? LIMIT ?",
            (expression, MAX_MATCHED),
        )
        return frozenset(str(r[0]) for r in rows)
    except sqlite3.Error:
        return frozenset()  # an index being replaced or missing: nothing found
    finally:
        db.close()
