"""Recognising queries whose work is bounded by the row cap: a single triple pattern, nothing else.

Such a query (every statement about one resource, the commonest linked-data question) can be
answered in the server process, without the round trip to a killable worker: Oxigraph yields one
row per matching statement from an index, so the work stops with the row cap, never later. The
recogniser is deliberately narrow (prefixes, SELECT, one pattern of IRIs, prefixed names and
variables, LIMIT): anything else, even an equivalent query written differently, goes to the
workers, where the time limit applies.
"""

from __future__ import annotations

import re

# The SPARQL grammar's IRIREF and a conservative subset of prefixed names and variables.
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_PREFIXED = r"(?:[A-Za-z][A-Za-z0-9_-]*)?:[A-Za-z0-9_][A-Za-z0-9_-]*"
_VARIABLE = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_NODE = rf"(?:{_IRI}|{_PREFIXED}|{_VARIABLE})"
_PREFIX = rf"PREFIX\s+(?:[A-Za-z][A-Za-z0-9_-]*)?:\s*{_IRI}"
_SINGLE_PATTERN = re.compile(
    rf"\s*(?:{_PREFIX}\s*)*"
    rf"SELECT\s+(?:\*|{_VARIABLE}(?:\s+{_VARIABLE})*)\s*"
    rf"(?:WHERE\s*)?\{{\s*{_NODE}\s+(?:{_NODE}|a)\s+{_NODE}\s*\.?\s*\}}"
    r"\s*(?P<clause>LIMIT\s+(?P<limit>\d{1,9})\s*)?",
    re.IGNORECASE,
)


def is_single_pattern_select(query: str) -> bool:
    """Whether `query` is a SELECT of one triple pattern, without filters, joins or ordering."""
    return _SINGLE_PATTERN.fullmatch(query) is not None


def with_row_limit(query: str, rows: int) -> str | None:
    """`query`, a single-pattern SELECT, asking for at most `rows` solutions; None if it is
    not one. Only its LIMIT clause, which the pattern above has recognised, is written."""
    match = _SINGLE_PATTERN.fullmatch(query)
    if match is None:
        return None
    limit = match["limit"]
    if limit is not None and int(limit) <= rows:
        return query
    kept = query[: match.start("clause")] if limit is not None else query
    return f"{kept}\nLIMIT {rows}"
