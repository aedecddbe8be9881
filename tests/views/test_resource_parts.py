"""A resource's parts (blank nodes, `<iri#fragment>` IRIs) travel with it, bounded in depth and
size, and are shown inline even when they link to each other in a cycle."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.store import ChangeSet, Store
from commons_graph.views import resource
from commons_graph.views.resource import describe
from commons_graph.views.resource_page import page_from_description

BASE = "https://w3id.org/commons-graph/"
THING = BASE + "id/organisation/parts"
GRAPH = ox.NamedNode(BASE + "graph/test/parts")
EX = "https://example.org/vocab#"


def quad(s: str | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Quad:
    subject = ox.NamedNode(s) if isinstance(s, str) else s
    return ox.Quad(subject, ox.NamedNode(EX + p), o, GRAPH)


@pytest.fixture
def chain(store: Store) -> Store:
    """THING -> #a -> #b -> _:c -> #d (four links deep), #b -> #a (a cycle), THING -> #e
    (a part nobody else describes), and another resource's part."""
    blank = ox.BlankNode()
    a, b, d = (ox.NamedNode(f"{THING}#{x}") for x in "abd")
    store.commit(
        ChangeSet(
            insert=[
                quad(THING, "hasPart", a),
                quad(a.value, "note", ox.Literal("level one")),
                quad(a.value, "next", b),
                quad(b.value, "note", ox.Literal("level two")),
                quad(b.value, "back", a),
                quad(b.value, "next", blank),
                quad(blank, "note", ox.Literal("level three")),
                quad(blank, "next", d),
                quad(d.value, "note", ox.Literal("level four")),
                quad(THING, "other", ox.NamedNode(BASE + "id/organisation/else#part")),
                quad(BASE + "id/organisation/else#part", "note", ox.Literal("not ours")),
            ]
        )
    )
    return store


def test_parts_travel_three_links_deep_and_no_further(chain: Store) -> None:
    found = describe(chain, THING)
    notes = {
        t.object.value
        for t in found.triples()
        if t.predicate.value == EX + "note" and isinstance(t.object, ox.Literal)
    }
    assert notes == {"level one", "level two", "level three"}


def test_parts_are_nested_blocks_even_in_a_cycle(chain: Store) -> None:
    page = page_from_description(describe(chain, THING), "en")
    group = next(g for g in page.groups if g.curie == EX + "hasPart")
    part = group.links[0].part
    assert part is not None and part.anchor == "a"
    rows = {row.label: row for row in part.rows}
    assert rows["Note"].values[0].label == "level one"
    inner = rows["Next"].values[0].part
    assert inner is not None and inner.anchor == "b"
    # #b links back to #a: shown as a plain link the second time, not nested forever.
    back = {row.label: row for row in inner.rows}["Back"].values[0]
    assert back.part is None and back.iri == THING + "#a"
    # Another resource's fragment is a link, not a part of this one.
    other = next(g for g in page.groups if g.curie == EX + "other")
    assert other.links[0].part is None


def test_parts_are_bounded_in_size(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resource, "MAX_PART_STATEMENTS", 10)
    part = ox.NamedNode(THING + "#big")
    store.commit(
        ChangeSet(
            insert=[quad(THING, "hasPart", part)]
            + [quad(part.value, "note", ox.Literal(f"n{n}")) for n in range(50)]
        )
    )
    assert len(describe(store, THING).nested) == 10
