"""The network model: a networkx graph of the links between resources, one per store state."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

import networkx as nx
from pyoxigraph import NamedNode

from commons_graph.network.links import (
    DERIVED_GRAPH,
    is_link_graph,
    is_link_predicate,
    is_own_part,
)
from commons_graph.network.nodekinds import NODE_KINDS, node_classes
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.sparql import PROLOGUE, values

log = logging.getLogger("commons_graph.network")

# One relation on an edge: (subject IRI, predicate IRI, derived?); the object is the edge's other
# end. The graph is undirected (paths and neighbourhoods follow links both ways) and each edge
# holds the tuple of its relations, in both directions.
Relation = tuple[str, str, bool]

_LINKS = (
    PROLOGUE
    + "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
    + "FILTER(isIRI(?s) && isIRI(?o) && ?p != rdf:type) }"
)
_SUBJECTS = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }"
_TYPED = PROLOGUE + "SELECT DISTINCT ?s ?c WHERE {{ {v} GRAPH ?g {{ ?s rdf:type ?c }} }}"


@dataclass
class NetworkModel:
    """The links between resources (`graph`, relations on each edge) and the node kinds."""

    graph: nx.Graph = field(default_factory=nx.Graph)
    kinds: dict[str, str] = field(default_factory=dict)
    generation: int = 0
    seconds: float = 0.0

    @property
    def links(self) -> int:
        """How many (subject, predicate, object, derived) links the model holds."""
        return sum(len(data["r"]) for _, _, data in self.graph.edges(data=True))

    def relations(self, one: str, other: str) -> tuple[Relation, ...]:
        """The relations between `one` and `other`, either way (empty when none)."""
        data = self.graph.get_edge_data(one, other)
        return data["r"] if data else ()

    def kind(self, iri: str) -> str:
        """The node kind of `iri` ("other" when none of the known classes)."""
        return self.kinds.get(iri, "other")

    def link_set(self) -> set[tuple[str, str, str, bool]]:
        """Every link as (subject, predicate, object, derived): to compare with the store."""
        return {
            (s, p, v if s == u else u, d)
            for u, v, data in self.graph.edges(data=True)
            for s, p, d in data["r"]
        }


def build_model(store: Store) -> NetworkModel:
    """Read the links and node kinds of `store` into a new model."""
    started = time.perf_counter()
    generation = store.generation
    subjects = {s.value for (s,) in store.select(_SUBJECTS).rows if isinstance(s, NamedNode)}
    graph: nx.Graph = nx.Graph()
    intern = sys.intern
    edges: dict[tuple[str, str], set[Relation]] = {}
    for g, s, p, o in store.select(_LINKS).rows:
        if not (isinstance(g, NamedNode) and isinstance(s, NamedNode)):
            continue
        if not (isinstance(p, NamedNode) and isinstance(o, NamedNode)):
            continue
        source, predicate, target = s.value, p.value, o.value
        if source == target or target not in subjects or not is_link_graph(g.value):
            continue
        if not is_link_predicate(predicate) or is_own_part(source, target):
            continue
        pair = (source, target) if source < target else (target, source)
        edges.setdefault(pair, set()).add(
            (intern(source), intern(predicate), g.value == DERIVED_GRAPH)
        )
    graph.add_edges_from(
        (intern(u), intern(v), {"r": tuple(sorted(relations))})
        for (u, v), relations in edges.items()
    )
    model = NetworkModel(graph, _node_kinds(store, graph), generation)
    model.seconds = time.perf_counter() - started
    log.info("network model: %d nodes, %d edges in %.2f s", len(graph), graph.size(), model.seconds)
    return model


def _node_kinds(store: Store, graph: nx.Graph) -> dict[str, str]:
    """The node kind of each resource of `graph` that has one, the first in NODE_KINDS order."""
    classes = node_classes(store)
    kind_of_class: dict[str, str] = {}
    for key in reversed(NODE_KINDS):
        for cls in classes.get(key, ()):
            kind_of_class[cls] = key
    rank = {key: i for i, key in enumerate(NODE_KINDS)}
    found: dict[str, str] = {}
    query = _TYPED.format(v=values("c", [NamedNode(c) for c in sorted(kind_of_class)]))
    for s, c in store.select(query).rows:
        if not (isinstance(s, NamedNode) and isinstance(c, NamedNode)) or s.value not in graph:
            continue
        key = kind_of_class[c.value]
        known = found.get(s.value)
        if known is None or rank[key] < rank[known]:
            found[s.value] = sys.intern(key)
    return found


def network_model(store: Store) -> NetworkModel:
    """The model of the store's current content (or, while a new one is built, the previous)."""
    # Seconds to build at a million statements: after a write, readers keep the previous model
    # until the new one is ready, as list indexes do (docs/web.md, "Network, paths and bridges").
    return derived(store, "network-model", build_model, stale_while_refreshing=True)
