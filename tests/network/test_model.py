"""The network model holds exactly the store's links between resources, after every write."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.network.links import (
    DERIVED_GRAPH,
    EXCLUDED_GRAPH_PREFIXES,
    EXCLUDED_PREDICATE_PREFIXES,
    EXCLUDED_PREDICATES,
)
from commons_graph.network.model import NetworkModel, build_model, network_model
from commons_graph.store import ChangeSet
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.network import (
    COOP_A,
    OUISHARE,
    RELATED_TO,
    TEST_GRAPH,
    fill_network_store,
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _in(values: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(f"<{v}>" for v in sorted(values))


def _not_prefixed(variable: str, prefixes: tuple[str, ...]) -> str:
    return " && ".join(f'!STRSTARTS(STR(?{variable}), "{p}")' for p in prefixes)


# The rule of network/links.py, written as one SPARQL query: what the model must hold.
LINKS_BY_SPARQL = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && isIRI(?o) && ?s != ?o)
  FILTER(?p NOT IN ({_in(EXCLUDED_PREDICATES)}))
  FILTER({_not_prefixed("p", EXCLUDED_PREDICATE_PREFIXES)})
  FILTER({_not_prefixed("g", EXCLUDED_GRAPH_PREFIXES)})
  FILTER(!STRSTARTS(STR(?o), CONCAT(STR(?s), "#")))
  FILTER EXISTS {{ GRAPH ?h {{ ?o ?q ?x }} }}
  FILTER(?g != <{DERIVED_GRAPH}> || ?p = <{RELATED_TO}>)
}}"""


def store_links(store: Store) -> set[tuple[str, str, str, bool]]:
    """The links of the store, by the SPARQL statement of the rule."""
    return {
        (s.value, p.value, o.value, g.value == DERIVED_GRAPH)
        for s, p, o, g in store.select(LINKS_BY_SPARQL).rows  # type: ignore[union-attr]
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("network-model")
    with EmbeddedStore(folder / "store") as opened:
        fill_network_store(opened, folder)
        yield opened


def fresh_model(store: Store) -> NetworkModel:
    """The model once it has caught up with the store (it is rebuilt in the background)."""
    deadline = time.monotonic() + 60
    while True:
        model = network_model(store)
        if model.generation == store.generation or time.monotonic() > deadline:
            return model
        time.sleep(0.05)


def test_the_model_holds_the_store_links(store: Store) -> None:
    model = build_model(store)
    expected = store_links(store)
    assert model.link_set() == expected
    # Stated and derived links both; typing and the model's own graphs never.
    assert (OUISHARE, RELATED_TO, COOP_A, True) in expected
    assert any(not derived for *_, derived in expected)
    assert not any(p == RDF_TYPE for _, p, _, _ in model.link_set())
    assert model.kind(OUISHARE) == "organisations"
    assert model.kind(COOP_A) == "organisations"


def test_a_write_adds_and_removes_links(store: Store) -> None:
    glossary = "https://w3id.org/commons-graph/id/commons/test-glossary"
    stewards = "https://w3id.org/commons-graph/ontology#stewards"
    quads = [
        ox.Quad(
            ox.NamedNode(glossary),
            ox.NamedNode(RDF_TYPE),
            ox.NamedNode("https://w3id.org/commons-graph/ontology#Commons"),
            ox.NamedNode(TEST_GRAPH),
        ),
        ox.Quad(
            ox.NamedNode(OUISHARE),
            ox.NamedNode(stewards),
            ox.NamedNode(glossary),
            ox.NamedNode(TEST_GRAPH),
        ),
    ]
    link = (OUISHARE, stewards, glossary, False)
    assert link not in fresh_model(store).link_set()
    store.commit(ChangeSet(insert=quads))
    model = fresh_model(store)
    assert link in model.link_set()
    assert model.link_set() == store_links(store)
    assert model.kind(glossary) == "commons"
    store.commit(ChangeSet(delete=quads))
    model = fresh_model(store)
    assert link not in model.link_set()
    assert glossary not in model.graph
    assert model.link_set() == store_links(store)


def test_a_model_kept_while_the_next_is_built(tmp_path: Path) -> None:
    """Stale while refreshing: the first reader after a write gets the previous model at once."""
    with EmbeddedStore(tmp_path / "store") as opened:
        fill_network_store(opened, tmp_path)
        first = network_model(opened)
        opened.commit(ChangeSet(delete=[q for q in opened.quads(ox.NamedNode(TEST_GRAPH))][:1]))
        assert network_model(opened) is first
        assert fresh_model(opened).generation == opened.generation


RESOURCES = [f"https://w3id.org/commons-graph/id/organisation/test-{n}" for n in range(4)]
PREDICATES = [
    "https://w3id.org/commons-graph/ontology#partnerOf",
    "http://www.w3.org/ns/org#memberOf",
    RELATED_TO,
    "http://rdfs.org/ns/void#inDataset",  # bookkeeping: never a link
]
GRAPHS = [TEST_GRAPH, DERIVED_GRAPH, "https://w3id.org/commons-graph/graph/provenance"]
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
quads_drawn = st.builds(
    lambda s, p, o, g: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), ox.NamedNode(g)),
    st.sampled_from(RESOURCES),
    st.sampled_from(PREDICATES),
    st.sampled_from([*RESOURCES, f"{RESOURCES[0]}#address", "https://example.org/elsewhere"]),
    st.sampled_from(GRAPHS),
)


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    """An empty store: what the drawn writes make of it is the whole of it, and the rule's
    reference query reads only that (on the network store it read 15,000 quads twice per draw)."""
    with EmbeddedStore(tmp_path / "store") as opened:
        yield opened


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    inserted=st.lists(quads_drawn, max_size=12),
    deleted=st.lists(quads_drawn, max_size=6),
    described=st.lists(st.sampled_from(RESOURCES), max_size=4),
)
def test_after_any_writes_the_model_equals_the_store(
    empty_store: Store, inserted: list[ox.Quad], deleted: list[ox.Quad], described: list[str]
) -> None:
    """Links appear and disappear as writes add and remove statements, and with them the
    resources they point at (an object is a resource once something describes it)."""
    store = empty_store
    labels = [
        ox.Quad(ox.NamedNode(iri), ox.NamedNode(LABEL), ox.Literal("x"), ox.NamedNode(TEST_GRAPH))
        for iri in described
    ]
    store.commit(ChangeSet(insert=inserted + labels))
    assert fresh_model(store).link_set() == store_links(store)
    store.commit(ChangeSet(delete=deleted + labels + inserted[::2]))
    assert fresh_model(store).link_set() == store_links(store)
    store.commit(ChangeSet(delete=inserted))
