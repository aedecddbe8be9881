"""The network model: a networkx graph of the links between resources, one per store state.

Built in one pass over the store's quads (faster than SELECT queries, whose rows cost more to
materialise): the links (network/links.py says which statements are links), the kind of each
resource, and the labels of resources and relations, so that answering a neighbourhood or a
path needs no query at all.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

import networkx as nx
from pyoxigraph import Literal, NamedNode

from commons_graph.network.links import (
    DERIVED_GRAPH,
    RELATED_TO,
    is_link_graph,
    is_link_predicate,
    is_own_part,
)
from commons_graph.network.nodekinds import NODE_KINDS, node_classes
from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.derived import Follower, derived, derived_if_ready
from commons_graph.views.labels import LABEL_PROPERTIES, pick

log = logging.getLogger("commons_graph.network")

# One relation between two resources: (subject IRI, predicate IRI, derived?); the object is the
# other end. The graph is undirected (paths and neighbourhoods follow links both ways). To keep
# it small, an edge stores its relations as `Stored` tuples, (predicate, derived, whether the
# subject is the end whose IRI sorts first), and edges with the same relations share one tuple
# and one attribute dict: the graph is never changed after it is built.
Relation = tuple[str, str, bool]
Stored = tuple[str, bool, bool]
_LABEL_RANK = {p: i for i, p in enumerate(LABEL_PROPERTIES)}
# Graphs describing more resources than this are not remembered subject by subject (the bench's
# network graph describes ~100,000 at 1M): dropping or rewriting one makes the model again.
FOOTPRINT_MAX = 2000


@dataclass
class NetworkModel:
    """The links between resources (`graph`, relations on each edge), kinds and labels."""

    graph: nx.Graph = field(default_factory=nx.Graph)
    kinds: dict[str, str] = field(default_factory=dict)
    # Labels of nodes and of link predicates: IRI -> language tag ("" untagged) -> text.
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    generation: int = 0
    seconds: float = 0.0
    # What following a write needs (network/following.py): how many relations use each
    # predicate (its labels are kept while any does), the classes of each node kind the model
    # was made with, and for each graph of at most FOOTPRINT_MAX subjects the IRIs it describes
    # (perhaps more: a deletion leaves them), to know what a graph's drop or rewrite touched;
    # larger graphs are in `large` (their rewrite makes the model again whole).
    predicates: dict[str, int] = field(default_factory=dict)
    kind_of_class: dict[str, str] = field(default_factory=dict)
    footprints: dict[str, frozenset[str]] = field(default_factory=dict)
    large: frozenset[str] = frozenset()

    @property
    def links(self) -> int:
        """How many (subject, predicate, object, derived) links the model holds."""
        return sum(len(data["r"]) for _, _, data in self.graph.edges(data=True))

    def relations(self, one: str, other: str) -> tuple[Relation, ...]:
        """The relations between `one` and `other`, either way (empty when none)."""
        data = self.graph._adj.get(one, {}).get(other)
        return decode(one, other, data["r"]) if data else ()

    def kind(self, iri: str) -> str:
        """The node kind of `iri` ("other" when none of the known classes)."""
        return self.kinds.get(iri, "other")

    def label(self, iri: str, lang: str) -> str | None:
        """The label of `iri` in `lang` (with the site's fallbacks), or None."""
        texts = self.labels.get(iri)
        return pick(texts, lang) if texts else None

    def link_set(self) -> set[tuple[str, str, str, bool]]:
        """Every link as (subject, predicate, object, derived): to compare with the store."""
        return {
            (s, p, v if s == u else u, d)
            for u, v, data in self.graph.edges(data=True)
            for s, p, d in decode(u, v, data["r"])
        }


def decode(one: str, other: str, stored: tuple[Stored, ...]) -> tuple[Relation, ...]:
    """An edge's stored relations as (subject, predicate, derived)."""
    first, second = (one, other) if one < other else (other, one)
    return tuple((first if from_first else second, p, d) for p, d, from_first in stored)


def build_model(store: Store) -> NetworkModel:
    """Read the links, node kinds and labels of `store` into a new model."""
    started = time.perf_counter()
    generation = store.generation
    intern = sys.intern
    kind_of_class = kinds_of_classes(store)
    rank = {key: i for i, key in enumerate(NODE_KINDS)}
    subjects: set[str] = set()
    # Every candidate link, by pair of ends (first, second in IRI order): tuples rather than
    # sets, and each distinct relation held once, since it is the largest scratch of the build
    # (a set is 216 bytes, ~500,000 pairs at a million statements).
    edges: dict[tuple[str, str], tuple[Stored, ...]] = {}
    relations_once: dict[Stored, Stored] = {}
    kinds: dict[str, str] = {}
    texts: dict[str, dict[str, tuple[int, str]]] = {}
    type_iri = RDF_TYPE.value
    footprints: dict[str, set[str] | None] = {}
    for quad in store.quads():
        subject, obj, graph = quad.subject, quad.object, quad.graph_name
        if not isinstance(subject, NamedNode):
            continue
        # Interned at once: a resource's IRI is read once per statement, and held once.
        source = intern(subject.value)
        subjects.add(source)
        graph_iri = graph.value if isinstance(graph, NamedNode) else ""
        footprint = footprints.get(graph_iri, ())
        if footprint is not None and source not in footprint:
            if not footprint:
                footprint = footprints[graph_iri] = set()
            footprint.add(source)
            if len(footprint) > FOOTPRINT_MAX:
                footprints[graph_iri] = None
        predicate = quad.predicate.value
        if isinstance(obj, Literal):
            preference = _LABEL_RANK.get(predicate)
            if preference is not None:
                by_tag = texts.setdefault(source, {})
                tag = obj.language or ""
                known = by_tag.get(tag)
                # The best property, then the first text: the same whatever the reading order.
                if known is None or (preference, obj.value) < known:
                    by_tag[tag] = (preference, obj.value)
            continue
        if not isinstance(obj, NamedNode):
            continue
        target = intern(obj.value)
        if predicate == type_iri:
            key = kind_of_class.get(target)
            if key is not None:
                known_kind = kinds.get(source)
                if known_kind is None or rank[key] < rank[known_kind]:
                    kinds[source] = key
            continue
        if source == target or not is_link_graph(graph_iri) or not is_link_predicate(predicate):
            continue
        if is_own_part(source, target):
            continue
        is_derived = graph_iri == DERIVED_GRAPH
        if is_derived and predicate != RELATED_TO:
            continue  # the relations' explanations (their nodes, shared facts) are no links
        from_first = source < target
        relation = (predicate, is_derived, from_first)
        relation = relations_once.setdefault(relation, relation)
        pair = (source, target) if from_first else (target, source)
        held = edges.get(pair)
        if held is None:
            edges[pair] = (relation,)
        elif relation not in held:
            edges[pair] = (*held, relation)
    for pair in list(edges):
        # A link counts only if its target is described: not a web page, a postcode elsewhere.
        first, second = pair
        kept = tuple(sorted(r for r in edges[pair] if (second if r[2] else first) in subjects))
        if kept:
            edges[pair] = kept
        else:
            del edges[pair]
    del subjects, relations_once
    predicates: dict[str, int] = {}
    for relations in edges.values():
        for predicate, _, _ in relations:
            predicates[predicate] = predicates.get(predicate, 0) + 1
    graph_model = _shared_graph(edges)
    del edges
    labels = {
        iri: {tag: text for tag, (_, text) in by_tag.items()}
        for iri, by_tag in texts.items()
        if iri in graph_model or iri in predicates
    }
    model = NetworkModel(
        graph_model,
        {iri: intern(key) for iri, key in kinds.items() if iri in graph_model},
        labels,
        generation,
        predicates=predicates,
        kind_of_class=kind_of_class,
        footprints={g: frozenset(f) for g, f in footprints.items() if f is not None},
        large=frozenset(g for g, f in footprints.items() if f is None),
    )
    model.seconds = time.perf_counter() - started
    log.info(
        "network model: %d nodes, %d edges in %.2f s",
        len(graph_model),
        graph_model.size(),
        model.seconds,
    )
    return model


def _shared_graph(edges: dict[tuple[str, str], tuple[Stored, ...]]) -> nx.Graph:
    """A networkx graph of `edges` whose edges share their attribute dicts and relation tuples.

    networkx gives every edge a dict of its own (about 0.3 KB with its relations): here the
    adjacency is written directly, each distinct set of relations held once, and every node
    shares one empty attribute dict. Reading algorithms never notice; nothing may change it.
    """
    intern = sys.intern
    shared: dict[tuple[Stored, ...], dict[str, tuple[Stored, ...]]] = {}
    adjacency: dict[str, dict[str, dict[str, tuple[Stored, ...]]]] = {}
    for (first, second), key in edges.items():
        data = shared.get(key)
        if data is None:
            data = shared[key] = {"r": key}
        first, second = intern(first), intern(second)
        adjacency.setdefault(first, {})[second] = data
        adjacency.setdefault(second, {})[first] = data
    graph = nx.Graph()
    no_attributes: dict[str, object] = {}
    graph._node = dict.fromkeys(adjacency, no_attributes)
    graph._adj = adjacency
    return graph


def kinds_of_classes(store: Store) -> dict[str, str]:
    """Each class of a node kind -> that kind (the first in NODE_KINDS order)."""
    classes = node_classes(store)
    found: dict[str, str] = {}
    for key in reversed(NODE_KINDS):
        for cls in classes.get(key, ()):
            found[cls] = key
    return found


def network_model(store: Store) -> NetworkModel:
    """The model of the store's current content (or, while a new one is built, the previous)."""
    # Seconds to build at a million statements: after a write, readers keep the previous model
    # until the new one is ready, as list indexes do (docs/web.md, "Network, paths and bridges").
    # After a write, the model follows it (network/following.py: only what the write touched is
    # read again) rather than being built again whole, where the write can be described.
    return derived(store, MODEL_NAME, build_model, stale_while_refreshing=True, follow=_follower)


def ready_network_model(store: Store) -> NetworkModel | None:
    """The model held now (perhaps of an earlier store state), or None while the first one is
    built in the background: for pages, which never build it themselves."""
    return derived_if_ready(store, MODEL_NAME, build_model, follow=_follower)


def _follower() -> Follower[NetworkModel]:
    """A new ModelFollower (imported here: following.py builds on this module)."""
    from commons_graph.network.following import ModelFollower

    return ModelFollower()


MODEL_NAME = "network-model"
