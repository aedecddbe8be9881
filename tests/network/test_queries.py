"""Neighbourhoods, paths and bridges over the model of a seeded store with imported co-ops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.errors import NotFoundError
from commons_graph.network.bridges import find_bridges
from commons_graph.network.links import ALL_KINDS
from commons_graph.network.model import NetworkModel, build_model
from commons_graph.network.neighbourhood import neighbourhood
from commons_graph.network.paths import find_paths
from commons_graph.store import ChangeSet
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.network import (
    CARE,
    CARE_COLLECTIVE,
    COOP_A,
    COOP_B,
    HOLDS_VALUE,
    MEMBER_COLLECTIVE,
    OPENNESS,
    OUISHARE,
    RDFS_LABEL,
    RELATED_TO,
    TEST_GRAPH,
    fill_network_store,
)

EVERY = frozenset(ALL_KINDS)


ESS = "http://purl.org/essglobal/vocab/"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, NetworkModel]]:
    folder = tmp_path_factory.mktemp("network-queries")
    with EmbeddedStore(folder / "store") as store:
        fill_network_store(store, folder)
        yield store, build_model(store)


def test_depth_one_lists_stated_and_derived_links_once(world: tuple[Store, NetworkModel]) -> None:
    store, model = world
    answer = neighbourhood(store, model, OUISHARE, "fr", depth=1, kinds=EVERY, max_nodes=500)
    nodes = {node.iri: node for node in answer.nodes}
    assert nodes[OUISHARE].depth == 0 and nodes[COOP_A].depth == 1
    assert nodes[CARE].label == "Soin"
    derived = [e for e in answer.edges if e.derived]
    assert {e.predicate for e in derived} == {RELATED_TO}
    assert {e.label for e in derived} == {"lié à"} and {e.kind for e in derived} == {"related"}
    assert frozenset({OUISHARE, COOP_A}) in {frozenset({e.source, e.target}) for e in derived}
    # Each derived pair once, though the relation is stated in both directions.
    assert len({frozenset({e.source, e.target}) for e in derived}) == len(derived)
    stated = {(e.source, e.predicate, e.target) for e in answer.edges if not e.derived}
    assert (OUISHARE, HOLDS_VALUE, CARE) in stated
    assert all(e.source in nodes and e.target in nodes for e in answer.edges)
    assert not answer.truncated


def test_kinds_depth_and_bounds(world: tuple[Store, NetworkModel]) -> None:
    store, model = world
    values = neighbourhood(
        store, model, OUISHARE, "en", depth=1, kinds=frozenset({"values"}), max_nodes=500
    )
    assert values.edges and {e.kind for e in values.edges} == {"values"}
    assert COOP_A not in {n.iri for n in values.nodes}
    # Depth 2 through the derived relation reaches the co-operative's activity.
    two = neighbourhood(store, model, OUISHARE, "en", depth=2, kinds=EVERY, max_nodes=500)
    activity = store.select(f"SELECT ?a WHERE {{ <{COOP_A}> <{ESS}economicSector> ?a }}").rows
    assert {n.iri: n.depth for n in two.nodes}[activity[0][0].value] == 2  # type: ignore[union-attr]
    cut = neighbourhood(store, model, OUISHARE, "en", depth=3, kinds=EVERY, max_nodes=5)
    assert cut.truncated and len(cut.nodes) == 5


def test_an_unknown_resource_is_not_found(world: tuple[Store, NetworkModel]) -> None:
    store, model = world
    with pytest.raises(NotFoundError):
        neighbourhood(
            store, model, "https://example.org/nothing", "en", depth=1, kinds=EVERY, max_nodes=10
        )


def test_paths_join_the_seed_and_an_imported_cooperative(
    world: tuple[Store, NetworkModel],
) -> None:
    store, model = world
    answer = find_paths(
        store, model, OUISHARE, COOP_B, "en", max_length=6, alternatives=3, seconds=5
    )
    assert answer.paths and not answer.timed_out
    shortest = answer.paths[0]
    assert len(shortest) == 3
    assert [step.start for step in shortest][0] == OUISHARE and shortest[-1].end == COOP_B
    first = shortest[0].relations
    assert [(r.predicate, r.derived) for r in first] == [(RELATED_TO, True)]
    # The last step reads backwards: the co-operative states the link to the shared concept.
    assert all(not r.forward for r in shortest[-1].relations)
    assert all(len(steps) >= len(shortest) for steps in answer.paths)
    assert len({tuple(s.end for s in steps) for steps in answer.paths}) == len(answer.paths)


def test_no_path_within_the_length(world: tuple[Store, NetworkModel]) -> None:
    store, model = world
    answer = find_paths(
        store, model, OUISHARE, COOP_B, "en", max_length=2, alternatives=3, seconds=5
    )
    assert answer.paths == []


def test_bridges_are_unlinked_organisations_sharing_values(
    world: tuple[Store, NetworkModel],
) -> None:
    store, model = world
    bridges = find_bridges(store, model, OUISHARE, "fr").bridges
    found = {bridge.iri: bridge for bridge in bridges}
    assert MEMBER_COLLECTIVE not in found  # a member: linked already
    care = found[CARE_COLLECTIVE]
    assert care.label == "Collectif du soin"
    assert bridges[0].iri == CARE_COLLECTIVE
    [values] = care.shared
    assert values.kind == "values"
    assert {iri for iri, _ in values.concepts} == {CARE, OPENNESS}
    imported = find_bridges(store, model, COOP_A, "en").bridges
    assert COOP_B in {b.iri for b in imported}
    assert find_bridges(store, model, CARE, "en").bridges == []  # not an organisation


def test_a_resource_newer_than_the_model_has_no_links_yet(tmp_path: Path) -> None:
    """Pages of a resource written since the model was built work (its links come later)."""
    with EmbeddedStore(tmp_path / "store") as store:
        fill_network_store(store, tmp_path)
        model = build_model(store)
        fresh = "https://w3id.org/commons-graph/id/organisation/test-fresh"
        label = ox.Literal("Fresh", language="en")
        quad = ox.Quad(
            ox.NamedNode(fresh), ox.NamedNode(RDFS_LABEL), label, ox.NamedNode(TEST_GRAPH)
        )
        store.commit(ChangeSet(insert=[quad]))
        answer = neighbourhood(store, model, fresh, "en", depth=2, kinds=EVERY, max_nodes=50)
        assert [node.iri for node in answer.nodes] == [fresh] and answer.edges == []
        assert find_bridges(store, model, fresh, "en").bridges == []
        assert (
            find_paths(
                store, model, fresh, OUISHARE, "en", max_length=3, alternatives=2, seconds=1
            ).paths
            == []
        )
