"""What rdflib's parser says about a query: SERVICE (a friendly early refusal) and FROM (semantics).

**This is not what keeps the server from opening connections.** On the embedded store, queries are
evaluated in worker processes that have no network (`sparql/sandbox.py`) and the single-pattern
lookups answered in the server never reach a SPARQL parser (`sparql/bounded.py`). rdflib and
Oxigraph are two parsers and a query can be written so that they disagree; so this module only
gives a clear 400 for the SERVICE clauses it does see (defence in depth), and tells the executor
whether the query names its own dataset (FROM / FROM NAMED), which decides whether the default
graph is the union of all graphs. On a remote store, whose server evaluates the query, the SERVICE
check fails closed (`fail_closed=True`): a query that mentions `service` and that rdflib cannot
read is refused; docs/security.md says what the deployer must add there.

A query whose text contains neither `service` nor `from` (in any case) nor a `\\u`/`\\U` escape
cannot hold those clauses for either parser (SPARQL keywords are plain ASCII words; Oxigraph does
not decode escapes outside strings and IRIs): it passes in about a microsecond, which is the path
nearly every query takes. Any other query is parsed by rdflib in a few views (as written, with
escapes decoded, with carriage returns read as line ends, since rdflib's comments end only at
`\\n` where the grammar's also end at `\\r`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from commons_graph.errors import BadInputError

KEYWORDS = ("service", "from")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class ForbiddenClauseError(BadInputError):
    """The query uses SERVICE (as rdflib reads it), or mentions it where it cannot be read."""

    def __init__(self, clause: str, *, unchecked: bool = False) -> None:
        super().__init__("sparql.error.forbidden_clause", clause=clause)
        self.clause = clause
        # True when the query could not be parsed, so the clause is only known to be mentioned.
        self.unchecked = unchecked


@dataclass(frozen=True)
class QueryShape:
    """What rdflib read in a query: whether it has SERVICE and a dataset clause."""

    service: bool = False
    # FROM or FROM NAMED: the query states its own dataset (then no union default graph).
    dataset: bool = False
    # False when the text mentions a keyword and rdflib could not parse it.
    parsed: bool = True


def may_mention_keyword(text: str) -> bool:
    """Fast pre-check: False proves the text holds no SERVICE, FROM or FROM NAMED clause."""
    lowered = text.lower()
    return "\\u" in lowered or any(keyword in lowered for keyword in KEYWORDS)


def unescape_codepoints(text: str) -> str:
    """The text with SPARQL `\\uXXXX`/`\\UXXXXXXXX` escapes replaced, as the spec's parsers do."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def _views(text: str) -> Iterable[str]:
    """The readings of `text` to parse: as written (Oxigraph's), unescaped, CRs as line ends."""
    seen: set[str] = set()
    for view in (text, unescape_codepoints(text)):
        for variant in (view, view.replace("\r", "\n")):
            if variant not in seen:
                seen.add(variant)
                yield variant


def inspect_query(text: str) -> QueryShape:
    """What rdflib reads in `text`: SERVICE in any view, FROM in the text as written."""
    if not may_mention_keyword(text):
        return QueryShape()
    service = False
    dataset = False
    parsed = True
    for index, view in enumerate(_views(text)):
        lowered = view.lower()
        if "service" not in lowered and ("from" not in lowered or index > 0):
            continue
        algebra = _parse(view)
        if algebra is None:
            parsed = False
            continue
        service = service or _has_service(algebra)
        if index == 0:
            dataset = bool(algebra.get("datasetClause"))
    return QueryShape(service=service, dataset=dataset, parsed=parsed)


def check_service(text: str, *, fail_closed: bool) -> QueryShape:
    """The query's shape; raise ForbiddenClauseError if rdflib sees SERVICE in it, or (when
    `fail_closed`) if it mentions `service` and rdflib cannot parse it."""
    shape = inspect_query(text)
    if shape.service:
        raise ForbiddenClauseError("SERVICE")
    mentioned = any("service" in view.lower() for view in _views(text))
    if fail_closed and not shape.parsed and mentioned:
        raise ForbiddenClauseError("SERVICE", unchecked=True)
    return shape


def _parse(text: str) -> Any | None:
    """rdflib's algebra of `text` (a CompValue), or None if rdflib cannot read it."""
    # Imported here: rdflib's SPARQL parser takes a while to import and only this path needs it.
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return translateQuery(parseQuery(text)).algebra
    except Exception:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix, …)
        return None


def _has_service(node: object) -> bool:
    """Whether rdflib's algebra tree holds a SERVICE pattern anywhere."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False
