"""The keeper's compact mirror of the derived graph is what the graph holds, run after run."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from commons_graph.relations.graph import Stored, hold, stored
from commons_graph.relations.keeper import RelationKeeper
from commons_graph.store.base import Store
from tests.relations.test_keeper import EX, _load, _pairs


def _same(mirror: Stored, read: Stored) -> None:
    assert mirror.pairs == read.pairs
    assert mirror.by_node.keys() == read.by_node.keys()
    for node, held in read.by_node.items():
        kept = mirror.by_node[node]
        assert (kept.digest, kept.activities) == (held.digest, held.activities), node
        assert set(kept.triples()) == set(held.triples()), node


def test_the_mirror_matches_the_graph_after_each_run(seeded_store: Store) -> None:
    keeper = RelationKeeper(seeded_store, 5, background=False)
    keeper.attach()
    try:
        _load(seeded_store, f"<{EX}a> a org:Organization ; cg:holdsValue value:care .")
        other = NamedNode("https://w3id.org/commons-graph/graph/file/held-other")
        _load(seeded_store, f"<{EX}b> a org:Organization ; cg:holdsValue value:care .", other)
        assert keeper._mirror is not None
        _same(keeper._mirror, stored(seeded_store))
        pairs = _pairs(seeded_store)
        assert (EX + "a", EX + "b") in pairs and (EX + "b", EX + "a") in pairs
        # A relation changed (a second shared value), then one gone (its graph dropped).
        _load(seeded_store, f"<{EX}a> cg:holdsValue value:solidarity .")
        _load(seeded_store, f"<{EX}b> cg:holdsValue value:solidarity .", other)
        _same(keeper._mirror, stored(seeded_store))
        seeded_store.drop_graph(other)
        _same(keeper._mirror, stored(seeded_store))
        assert (EX + "a", EX + "b") not in _pairs(seeded_store)
    finally:
        keeper.stop()


def test_held_statements_read_back_as_written() -> None:
    node = NamedNode(EX + "node")
    triples = [
        Triple(
            node, NamedNode(EX + "p"), Literal('quotes " and \\ and\nlines, é 😀', language="fr")
        ),
        Triple(node, NamedNode(EX + "p"), Literal("7", datatype=NamedNode(EX + "type"))),
        Triple(NamedNode(EX + "node#basis-1"), NamedNode(EX + "q"), node),
    ]
    held = hold(triples)
    assert sorted(held.triples(), key=str) == sorted(triples, key=str)
    assert held.digest == hold(list(reversed(triples))).digest
    assert held.digest != hold(triples[:2]).digest
