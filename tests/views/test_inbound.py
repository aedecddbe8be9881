"""Links to a resource: grouped by property, counted, paged, and named the other way round."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.store import ChangeSet, Store
from commons_graph.views import inbound as inbound_view
from commons_graph.views.inbound import inbound, page_number

EX = "https://example.org/v#"
TARGET = "https://example.org/thing/target"
GRAPH = ox.NamedNode("https://w3id.org/commons-graph/graph/test/inbound")
OWL_INVERSE = ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture
def linked(store: Store) -> Store:
    """11 things point at TARGET by ex:parentOf (whose inverse the vocabulary names), 2 by
    ex:mentions (no inverse anywhere)."""
    quads = [
        ox.Quad(
            ox.NamedNode(f"https://example.org/thing/{n}"),
            ox.NamedNode(EX + "parentOf"),
            ox.NamedNode(TARGET),
            GRAPH,
        )
        for n in range(11)
    ]
    quads += [
        ox.Quad(
            ox.NamedNode(f"https://example.org/doc/{n}"),
            ox.NamedNode(EX + "mentions"),
            ox.NamedNode(TARGET),
            GRAPH,
        )
        for n in range(2)
    ]
    quads += [
        ox.Quad(ox.NamedNode(EX + "childOf"), OWL_INVERSE, ox.NamedNode(EX + "parentOf"), GRAPH),
        ox.Quad(ox.NamedNode(EX + "childOf"), LABEL, ox.Literal("child of", language="en"), GRAPH),
    ]
    store.commit(ChangeSet(insert=quads))
    return store


def test_groups_are_counted_most_used_first_and_named_the_other_way_round(
    linked: Store,
) -> None:
    found = inbound(linked, TARGET, "en")
    assert [(g.predicate, g.count) for g in found.groups] == [
        (EX + "parentOf", 11),
        (EX + "mentions", 2),
    ]
    assert found.total == 13
    parent, mentions = found.groups
    assert parent.inverse == "Child of"
    assert mentions.inverse is None and mentions.label == "mentions"
    assert found.graphs == {GRAPH.value}


def test_each_group_is_paged_on_its_own(linked: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbound_view, "PER_PAGE", 4)
    seen: list[str] = []
    for number in (1, 2, 3):
        group = inbound(linked, TARGET, "en", EX + "parentOf", number).groups[0]
        assert (group.page, group.pages) == (number, 3)
        seen += [link.iri for link in group.links]
    assert len(seen) == len(set(seen)) == 11
    # Past the end: the last page; another group keeps its first page.
    found = inbound(linked, TARGET, "en", EX + "parentOf", 99)
    assert found.groups[0].page == 3 and found.groups[1].page == 1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("-2", 1),
        ("0", 1),
        ("3", 3),
        ("9" * 12, 1),
        ("¹", 1),
        ("٣", 1),
    ],
)
def test_page_numbers_are_read_leniently(text: str | None, number: int) -> None:
    assert page_number(text) == number
