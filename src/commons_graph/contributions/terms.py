"""Small helpers over a contribution's triples: which resources it describes and mentions."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox


def subjects(triples: Iterable[ox.Triple]) -> list[ox.NamedNode]:
    """The IRIs the triples describe, in a stable order."""
    return sorted({t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}, key=str)


def mentioned(triples: Iterable[ox.Triple]) -> list[ox.NamedNode]:
    """Every IRI in subject or object position, in a stable order."""
    found: set[ox.NamedNode] = set()
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode):
                found.add(term)
    return sorted(found, key=str)
