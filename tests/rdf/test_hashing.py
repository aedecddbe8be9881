"""The content hash: RDFC-1.0, the same in the calling thread and in the worker, bounded in time."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from commons_graph.rdf.hashing import (
    CanonicalisationTooHard,
    canonical_nquads,
    content_hash,
    has_look_alike_blank_nodes,
)

P = ox.NamedNode("https://example.org/p")
L = ox.NamedNode("https://example.org/label")


def ring(size: int, *, labelled: bool) -> list[ox.Triple]:
    nodes = [ox.BlankNode() for _ in range(size)]
    triples = [ox.Triple(nodes[i], P, nodes[(i + 1) % size]) for i in range(size)]
    if labelled:
        triples += [ox.Triple(node, L, ox.Literal(str(i))) for i, node in enumerate(nodes)]
    return triples


def clique(size: int) -> list[ox.Triple]:
    nodes = [ox.BlankNode() for _ in range(size)]
    return [ox.Triple(a, P, b) for a in nodes for b in nodes if a != b]


def test_look_alike_blank_nodes_are_told_from_distinct_ones() -> None:
    assert not has_look_alike_blank_nodes(ring(50, labelled=True))
    assert has_look_alike_blank_nodes(ring(3, labelled=False))
    assert not has_look_alike_blank_nodes([ox.Triple(P, P, ox.Literal("x"))])


@pytest.mark.parametrize("triples", [ring(5, labelled=True), ring(4, labelled=False), clique(4)])
def test_the_hash_is_rdfc_1_0_whichever_way_it_is_computed(triples: list[ox.Triple]) -> None:
    """In the calling thread or in the worker: SHA-256 of the RDFC-1.0 canonical N-Quads, and
    the same for a copy with other blank node labels in another order."""
    import hashlib

    relabelled: dict[ox.BlankNode, ox.BlankNode] = {}

    def fresh(term: ox.Term) -> ox.Term:
        if isinstance(term, ox.BlankNode):
            return relabelled.setdefault(term, ox.BlankNode())
        return term

    copy = [ox.Triple(fresh(t.subject), t.predicate, fresh(t.object)) for t in reversed(triples)]
    expected = hashlib.sha256(canonical_nquads(triples).encode("utf-8")).hexdigest()
    assert content_hash(triples) == content_hash(copy) == expected


def test_symmetric_blank_nodes_are_given_up_within_the_time_limit() -> None:
    """A 9-node clique (72 statements) would take minutes; it is refused after the limit, and
    the worker still answers afterwards."""
    started = time.monotonic()
    with pytest.raises(CanonicalisationTooHard):
        content_hash(clique(9), time_limit=0.5)
    assert time.monotonic() - started < 30
    assert len(content_hash(ring(4, labelled=False))) == 64


def test_canonical_triples_make_equal_structures_equal() -> None:
    from commons_graph.rdf.hashing import canonical_triples

    first, second = ring(4, labelled=False), ring(4, labelled=False)
    assert set(first) != set(second)
    assert set(canonical_triples(first)) == set(canonical_triples(second))
