"""A resource's neighbourhood: the resources within a few links of it, and the links between."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from commons_graph.errors import NotFoundError
from commons_graph.network.labelling import NetworkLabels
from commons_graph.network.links import relation_kind
from commons_graph.network.model import NetworkModel, Stored, decode
from commons_graph.store.base import Store


@dataclass(frozen=True, slots=True)
class Node:
    """A resource of a network answer."""

    iri: str
    label: str
    kind: str
    depth: int


@dataclass(frozen=True, slots=True)
class Edge:
    """A link: `source` (the subject) `predicate` `target`; derived or stated."""

    source: str
    target: str
    predicate: str
    label: str
    kind: str
    derived: bool


@dataclass
class Neighbourhood:
    """The resources within `depth` links of `center` (by the chosen relation kinds)."""

    center: str
    depth: int
    kinds: frozenset[str]
    max_nodes: int
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False
    generation: int = 0


def require_resource(store: Store, model: NetworkModel, iri: str) -> None:
    """A 404 unless the store knows `iri` (linked or not)."""
    if iri in model.graph:
        return
    if not store.ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }", {"s": NamedNode(iri)}):
        raise NotFoundError("network.error.unknown_resource", path="iri", value=iri[:200])


def neighbourhood(
    store: Store,
    model: NetworkModel,
    iri: str,
    lang: str,
    *,
    depth: int,
    kinds: frozenset[str],
    max_nodes: int,
) -> Neighbourhood:
    """The neighbourhood of `iri`, breadth first, with at most `max_nodes` resources."""
    require_resource(store, model, iri)
    graph = model.graph
    answer = Neighbourhood(iri, depth, kinds, max_nodes, generation=model.generation)
    seen: dict[str, int] = {iri: 0}
    frontier = [iri]
    for level in range(1, depth + 1):
        following: list[str] = []
        for node in frontier:
            # A resource written since the model was built has no links in it yet.
            for other, data in graph._adj.get(node, {}).items():
                if other in seen or not _allowed(data["r"], kinds):
                    continue
                if len(seen) >= max_nodes:
                    answer.truncated = True
                    break
                seen[other] = level
                following.append(other)
            if answer.truncated:
                break
        if answer.truncated or not following:
            break
        frontier = following
    links = []
    max_edges = max_nodes * 4
    # networkx's own dicts: its read-only views cost a Python call per lookup.
    adjacency = graph._adj
    for node in seen:
        around = adjacency.get(node, {})
        # A hub (a value thousands hold) is looked up from the few resources seen instead.
        others = (o for o in seen if o in around) if len(around) > len(seen) else iter(around)
        for other in others:
            # Each undirected edge once: from its end seen first.
            if other not in seen or (seen[other], other) < (seen[node], node):
                continue
            relations = decode(node, other, around[other]["r"])
            for subject, predicate, derived in relations:
                kind = relation_kind(predicate, derived)
                if kind not in kinds:
                    continue
                target = other if subject == node else node
                # A derived relation is stated both ways: shown once.
                if derived and subject > target and (target, predicate, True) in relations:
                    continue
                links.append((subject, target, predicate, kind, derived))
    if len(links) > max_edges:
        answer.truncated = True
        links = links[:max_edges]
    labels = NetworkLabels(model, lang)
    answer.nodes = [Node(n, labels.node(n), model.kind(n), d) for n, d in seen.items()]
    named: dict[tuple[str, bool], str] = {}
    answer.edges = [
        Edge(s, t, p, named.get((p, d)) or named.setdefault((p, d), labels.relation(p, d)), k, d)
        for s, t, p, k, d in links
    ]
    return answer


def _allowed(relations: tuple[Stored, ...], kinds: frozenset[str]) -> bool:
    """Whether any of an edge's (stored) relations is of a chosen kind."""
    return any(relation_kind(p, d) in kinds for p, d, _ in relations)
