"""Statements as N-Triples or N-Quads text, and streams of such text for one graph."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import NamedNode, Quad, RdfFormat, parse


@dataclass(frozen=True)
class Stream:
    """Statements for one graph made piece by piece, each piece N-Triples text (an import's
    rows, a batch at a time)."""

    graph: NamedNode
    pieces: Iterable[bytes]


def text_format(graph: NamedNode | None) -> RdfFormat:
    """How statements travel as text: N-Triples when they all belong to `graph`, else N-Quads."""
    return RdfFormat.N_QUADS if graph is None else RdfFormat.N_TRIPLES


def text_quads(data: bytes, graph: NamedNode | None) -> list[Quad]:
    """The statements of N-Triples `data` as quads of `graph`, or of N-Quads `data`."""
    if graph is None:
        return list(parse(data, RdfFormat.N_QUADS))
    return [Quad(q.subject, q.predicate, q.object, graph) for q in parse(data, RdfFormat.N_TRIPLES)]
