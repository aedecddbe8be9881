"""Sealed graphs: published #CodeSocial versions, which no write may change once created."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad

from commons_graph.rdf.namespaces import GRAPH, ID
from commons_graph.store.errors import SealedGraphError

# Sealed graphs never change once created: every named graph under these prefixes holds a
# published #CodeSocial version (content or publication record). The guard is called from the
# one class every backend's writes go through, so no caller above the store can bypass it.
SEALED_GRAPH_PREFIXES: tuple[str, ...] = (GRAPH + "codesocial/",)


def is_sealed_graph(graph: object) -> bool:
    """Whether `graph` is a sealed named graph (never dropped, deleted from or added to)."""
    return isinstance(graph, NamedNode) and graph.value.startswith(SEALED_GRAPH_PREFIXES)


def refuse_sealed_graphs(graphs: Iterable[object]) -> None:
    """Raise SealedGraphError if any of `graphs` is sealed (for writes outside ChangeSet)."""
    sealed = sorted({g.value for g in graphs if is_sealed_graph(g)})  # type: ignore[attr-defined]
    if sealed:
        raise SealedGraphError("store.sealed_graph", graphs=", ".join(sealed))


# What a sealed graph is about: `…/id/codesocial/<slug>/…` (versions, `latest`, their fragments).
# Statements about these are written by publishing only, into the sealed graphs it creates, so
# that nothing said elsewhere sits beside a published version in the public union.
_PUBLISHING_ONLY = re.compile(re.escape(ID + "codesocial/") + r"[^/#]+/")


def refuse_publishing_only_subjects(quads: Iterable[Quad], creating: Iterable[object]) -> None:
    """Raise SealedGraphError if a quad outside the sealed graphs being created (`creating`)
    is about a #CodeSocial version IRI (for every write path, admins' included)."""
    sealed = set(creating)
    for quad in quads:
        subject = quad.subject
        if (
            isinstance(subject, NamedNode)
            and _PUBLISHING_ONLY.match(subject.value)
            and quad.graph_name not in sealed
        ):
            raise SealedGraphError("store.publishing_only", subject=subject.value)
