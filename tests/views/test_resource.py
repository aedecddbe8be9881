"""Describing a resource: both directions, blank-node details, linked labels, truncation."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.store import ChangeSet, Store
from commons_graph.views import resource
from commons_graph.views.resource import describe
from commons_graph.views.resource_page import page_from_description

BASE = "https://w3id.org/commons-graph/"
OUISHARE = BASE + "id/organisation/ouishare"
CARE = BASE + "value/care"


def test_description_has_both_directions_and_linked_labels(seeded_store: Store) -> None:
    found = describe(seeded_store, CARE, "en")
    assert found.exists
    assert any(s.subject == ox.NamedNode(OUISHARE) for s in found.incoming)
    triples = found.triples()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    name = ox.Literal("Ouishare", language="en")
    assert ox.Triple(ox.NamedNode(OUISHARE), label, name) in triples


def test_unknown_resources_do_not_exist(seeded_store: Store) -> None:
    assert not describe(seeded_store, BASE + "id/organisation/nobody", "en").exists


def test_blank_node_details_are_included(store: Store) -> None:
    graph = ox.NamedNode(BASE + "graph/test/address")
    place = ox.NamedNode(BASE + "id/place/somewhere")
    address = ox.BlankNode()
    street = ox.Literal("1 rue des Communs")
    store.commit(
        ChangeSet(
            insert=[
                ox.Quad(place, ox.NamedNode("https://schema.org/address"), address, graph),
                ox.Quad(address, ox.NamedNode("https://schema.org/streetAddress"), street, graph),
            ]
        )
    )
    found = describe(store, place.value, "en")
    assert [s.object for s in found.nested] == [street]
    page = page_from_description(found, "en")
    # The blank node is shown inline: a block of its own properties, not a link.
    part = page.groups[0].links[0].part
    assert part is not None and part.rows[0].label == "Street address"
    assert part.rows[0].values[0].label == "1 rue des Communs"


def test_incoming_links_are_capped(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resource, "MAX_INCOMING", 5)
    graph = ox.NamedNode(BASE + "graph/test/many")
    holds = ox.NamedNode(BASE + "ontology#holdsValue")
    store.commit(
        ChangeSet(
            insert=[
                ox.Quad(ox.NamedNode(f"{BASE}id/o/{n}"), holds, ox.NamedNode(CARE), graph)
                for n in range(8)
            ]
        )
    )
    found = describe(store, CARE, "en")
    assert len(found.incoming) == 5 and found.truncated
