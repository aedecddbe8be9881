"""rdflib's `Namespace`, without importing rdflib until a term is made of it.

A namespace is a string (`CG + "Commons"` is a plain IRI, what most of the package uses); only
`CG.Commons` or `CG["Commons"]` make an rdflib `URIRef`, and import rdflib then (a tenth of a
second): commands that never build an rdflib graph (`query`, `stats`, `export`...) start
without it. Same behaviour as rdflib.namespace.Namespace (rdflib 7), which it replaces at run
time; type checkers see rdflib's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import URIRef


class Namespace(str):
    """A namespace IRI whose attributes and items are the rdflib terms under it."""

    __slots__ = ()

    @property
    def title(self) -> URIRef:  # type: ignore[override]
        """The term `title` (DCTERMS.title), not str.title."""
        return self.term("title")

    def term(self, name: str) -> URIRef:
        """The term `name` of the namespace."""
        from rdflib.term import URIRef

        return URIRef(self + (name if isinstance(name, str) else ""))

    def __getitem__(self, key: Any) -> URIRef:
        return self.term(key)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # special Python names are never terms
            raise AttributeError(name)
        return self.term(name)

    def __repr__(self) -> str:
        return f"Namespace({super().__repr__()})"

    def __contains__(self, ref: str) -> bool:  # type: ignore[override]
        """Whether `ref` is under this namespace."""
        return ref.startswith(self)
