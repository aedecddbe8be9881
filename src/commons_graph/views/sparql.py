"""Small helpers to write the views' queries: prefixes and VALUES blocks of bound terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode

from commons_graph.prefixes import sparql_prologue

PROLOGUE = sparql_prologue()

BoundTerm = NamedNode | Literal


def values(variable: str, terms: Iterable[BoundTerm]) -> str:
    """A VALUES block giving `variable` each of `terms`, for use inside a WHERE clause.

    Terms are written in their N-Triples form by pyoxigraph, which escapes them, so a value can
    never change the query's structure. Unlike `store.bind`'s trailing VALUES, the block sits
    inside the pattern, so FILTERs see the bound value and the engine starts from it.
    """
    body = " ".join(str(term) for term in terms)
    return f"VALUES ?{variable} {{ {body} }}"


def values_rows(variables: Sequence[str], rows: Iterable[Sequence[BoundTerm]]) -> str:
    """A multi-variable VALUES block; each row is a sequence of terms."""
    names = " ".join(f"?{name}" for name in variables)
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return f"VALUES ({names}) {{ {body} }}"


def as_int(term: object) -> int:
    """The integer value of a count literal (0 when unbound)."""
    return int(term.value) if isinstance(term, Literal) else 0


def iri_of(term: object) -> str | None:
    """The IRI of a named node, or None for anything else."""
    return term.value if isinstance(term, NamedNode) else None


def is_resource(term: object) -> bool:
    """Whether a term is an IRI or a blank node (not a literal)."""
    return isinstance(term, NamedNode | BlankNode)
