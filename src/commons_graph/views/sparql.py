"""Small helpers to write the views' queries: the prologue, VALUES blocks, result reading."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from commons_graph.rdf.prefixes import sparql_prologue
from commons_graph.store.sparql_text import values_block as values
from commons_graph.store.sparql_text import values_rows

__all__ = ["PROLOGUE", "as_int", "iri_of", "is_resource", "values", "values_rows"]

PROLOGUE = sparql_prologue()

BoundTerm = NamedNode | Literal


def as_int(term: object) -> int:
    """The integer value of a count literal (0 when unbound)."""
    return int(term.value) if isinstance(term, Literal) else 0


def iri_of(term: object) -> str | None:
    """The IRI of a named node, or None for anything else."""
    return term.value if isinstance(term, NamedNode) else None


def is_resource(term: object) -> bool:
    """Whether a term is an IRI or a blank node (not a literal)."""
    return isinstance(term, NamedNode | BlankNode)
