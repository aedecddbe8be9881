"""Refusing queries that would make the server open a connection (SERVICE, FROM, LOAD).

Two stages. A query whose text contains none of the letters `service`, `from`, `load` (in any
case) and no `\\u`/`\\U` escape cannot name those clauses, since SPARQL keywords are plain
ASCII words: it passes in about a microsecond, which is the path nearly every query takes. Any
other query is parsed with rdflib's SPARQL parser and its algebra is the judge: SERVICE is
refused, and FROM / FROM NAMED are accepted only for graphs of this store. A suspicious query
that rdflib cannot parse is refused (LOAD, an update, ends there): failing closed costs an unusual
query, failing open could cost a request to anywhere.

Why not a tokeniser that skips strings, comments and IRIs: `<` is both an IRI opener and an
operator, so `FILTER(?a<?b)'>'…` makes any context-free tokeniser misplace string boundaries, and
Oxigraph's parser accepts keywords glued to what follows (`SERVICE:x{…}`, `FROMNAMED<…>`). A
grammar parser resolves both the way the executing parser does; the tests hold these cases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from commons_graph.errors import BadInputError

KEYWORDS = ("service", "from", "load")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class ForbiddenClauseError(BadInputError):
    """The query names a clause that would make the server fetch something, or a foreign graph."""

    def __init__(self, clause: str, iri: str | None = None, *, unchecked: bool = False) -> None:
        super().__init__(clause if iri is None else f"{clause} <{iri}>")
        self.clause = clause
        self.iri = iri
        # True when the query could not be parsed, so the clause is only known to be mentioned.
        self.unchecked = unchecked


@dataclass(frozen=True)
class Dataset:
    """The graphs a query's FROM and FROM NAMED clauses name."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


def may_name_forbidden_clause(text: str) -> bool:
    """Fast pre-check: False proves the text names no SERVICE, FROM or LOAD clause."""
    lowered = text.lower()
    return "\\u" in lowered or any(keyword in lowered for keyword in KEYWORDS)


def unescape_codepoints(text: str) -> str:
    """The text with SPARQL `\\uXXXX`/`\\UXXXXXXXX` escapes replaced, as the spec's parsers do."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(replace, text)


def suspicious_words(text: str) -> set[str]:
    """The keywords (service, from, load) whose letters appear anywhere in the text."""
    lowered = text.lower()
    return {keyword for keyword in KEYWORDS if keyword in lowered}


def _views(text: str) -> Iterable[str]:
    """The texts a server may see: as written (Oxigraph), and unescaped (the spec's view)."""
    yield text
    unescaped = unescape_codepoints(text)
    if unescaped != text:
        yield unescaped


def check_query(text: str, is_store_graph: Callable[[str], bool]) -> None:
    """Raise ForbiddenClauseError if `text` uses SERVICE, LOAD, or FROM with a foreign graph."""
    if not may_name_forbidden_clause(text):
        return
    for view in _views(text):
        words = suspicious_words(view)
        if not words:
            continue
        dataset = _parsed_dataset(view, words)
        for iri in dataset.default:
            if not is_store_graph(iri):
                raise ForbiddenClauseError("FROM", iri)
        for iri in dataset.named:
            if not is_store_graph(iri):
                raise ForbiddenClauseError("FROM NAMED", iri)


def _clause_for(words: set[str]) -> str:
    """The clause to name when a suspicious query cannot be parsed."""
    for keyword in ("service", "load", "from"):
        if keyword in words:
            return keyword.upper()
    return "SERVICE"


def _parsed_dataset(text: str, words: set[str]) -> Dataset:
    """Parse `text` with rdflib: refuse SERVICE, return the FROM / FROM NAMED graphs."""
    # Imported here: rdflib's SPARQL parser takes a while to import and only this path needs it.
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        query = translateQuery(parseQuery(text))
    except ParseException:
        raise ForbiddenClauseError(_clause_for(words), unchecked=True) from None
    except Exception:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix, …)
        # Any failure of the judge refuses the query: this is a safety check, not error mapping.
        raise ForbiddenClauseError(_clause_for(words), unchecked=True) from None
    if _has_service(query.algebra):
        raise ForbiddenClauseError("SERVICE")
    default: list[str] = []
    named: list[str] = []
    for clause in query.algebra.get("datasetClause") or ():
        # rdflib's CompValue.get raises on missing keys: test membership first.
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return Dataset(tuple(default), tuple(named))


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
