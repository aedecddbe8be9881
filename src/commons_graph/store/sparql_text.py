"""SPARQL text built from terms: VALUES blocks and bindings, never pasted strings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from commons_graph.store.results import Term

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind(
    query: str,
    bindings: Mapping[str, Term] | None,
    *,
    inline: bool = False,
    write: Callable[[Term], str] = str,
) -> str:
    """`query` with a VALUES clause binding each variable to its term.

    Terms are written in their N-Triples form by pyoxigraph (or by `write`), which escapes them,
    so a value can never change the query's structure: this binds terms, it does not paste
    strings. The clause trails the query, as SPARQL 1.1 allows; with `inline` (for servers that
    refuse that form) it opens the WHERE group instead, where it binds the variables for the
    whole group too (FILTERs of the group then see them bound, as they would a constant).
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE_NAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    variables = " ".join(f"?{name}" for name in names)
    values = " ".join(write(bindings[name]) for name in names)
    block = f"VALUES ({variables}) {{ ({values}) }}"
    brace = where_brace(query) if inline else None
    if brace is None:
        return f"{query}\n{block}"
    return f"{query[: brace + 1]} {block}\n{query[brace + 1 :]}"


# A lexer just good enough to find the WHERE group: strings, IRIs and comments are skipped.
_TOKEN = re.compile(
    r"""
    (?P<skip>
        \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n]|\\.)*"
      | '(?:[^'\\\n]|\\.)*'
      | <[^<>"{}|^`\\\x00-\x20]*>
      | \#[^\n]*
      | [?$:][A-Za-z0-9_:.\-]*
    )
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<open>[{(])
  | (?P<close>[})])
    """,
    re.VERBOSE,
)


def query_form(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT, DESCRIBE), or "" when none is found."""
    depth = 0
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "word" and depth == 0:
            word = match.group().upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                return word
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
    return ""


def where_brace(query: str) -> int | None:
    """The index of the `{` opening the query's WHERE group, or None when not found."""
    depth = 0
    form = ""
    after_where = False
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "word" and depth == 0:
            word = match.group().upper()
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not form:
                form = word
            elif word == "WHERE":
                after_where = True
        elif kind == "open":
            opens_where = after_where or form != "CONSTRUCT"
            if match.group() == "{" and depth == 0 and form and opens_where:
                return match.start()
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
    return None


def values_block(variable: str, terms: Iterable[Term]) -> str:
    """A VALUES block giving `variable` each of `terms`, for use inside a WHERE clause.

    Like `bind`, terms are written in N-Triples form by pyoxigraph, which escapes them; unlike
    `bind`'s trailing clause, the block sits inside the pattern, so the engine starts from it.
    """
    if not _VARIABLE_NAME.match(variable):
        raise ValueError(f"not a SPARQL variable name: {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(str(term) for term in terms)} }}"


def values_rows(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """A multi-variable VALUES block; each row is a sequence of terms."""
    for name in variables:
        if not _VARIABLE_NAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    names = " ".join(f"?{name}" for name in variables)
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return f"VALUES ({names}) {{ {body} }}"
