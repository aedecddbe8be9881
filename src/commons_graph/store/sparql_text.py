"""SPARQL text built from terms: VALUES blocks and bindings, never pasted strings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from commons_graph.store.results import Term

_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind(query: str, bindings: Mapping[str, Term] | None) -> str:
    """`query` with a trailing VALUES clause binding each variable to its term.

    Terms are written in their N-Triples form by pyoxigraph, which escapes them, so a value
    can never change the query's structure: this binds terms, it does not paste strings.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE_NAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    variables = " ".join(f"?{name}" for name in names)
    values = " ".join(str(bindings[name]) for name in names)
    return f"{query}\nVALUES ({variables}) {{ ({values}) }}"


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
