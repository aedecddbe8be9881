"""Compact names (prefix:local) for IRIs, from the project's prefix table."""

from __future__ import annotations

from commons_graph.rdf.prefixes import PREFIXES

# Longest namespaces first, so that `cg:` wins over a shorter namespace it starts with.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)


def curie(iri: str) -> str:
    """`iri` as prefix:local when a known prefix covers it, else the IRI itself."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def namespace_of(iri: str) -> str:
    """The namespace of a term: a known prefix's, else everything up to the last # or /."""
    for _, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return namespace
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri
