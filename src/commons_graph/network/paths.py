"""The shortest chains of links between two resources, each step labelled with its direction."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import networkx as nx

from commons_graph.network.labelling import NetworkLabels
from commons_graph.network.links import relation_kind
from commons_graph.network.model import NetworkModel
from commons_graph.network.neighbourhood import Node, require_resource
from commons_graph.store.base import Store


@dataclass(frozen=True)
class StepRelation:
    """One relation between two consecutive resources; `forward` when read from `start`."""

    predicate: str
    label: str
    kind: str
    derived: bool
    forward: bool


@dataclass(frozen=True)
class Step:
    """From one resource to the next, by one or more relations."""

    start: str
    end: str
    relations: tuple[StepRelation, ...]


@dataclass
class PathsAnswer:
    """Up to `alternatives` shortest chains from `source` to `target`."""

    source: str
    target: str
    max_length: int
    alternatives: int
    paths: list[list[Step]] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)
    # Whether the search stopped on its time limit (more chains may exist).
    timed_out: bool = False
    generation: int = 0


def find_paths(
    store: Store,
    model: NetworkModel,
    source: str,
    target: str,
    lang: str,
    *,
    max_length: int,
    alternatives: int,
    seconds: float,
) -> PathsAnswer:
    """The shortest chains (Yen's algorithm, networkx), bounded in length, number and time."""
    require_resource(store, model, source)
    require_resource(store, model, target)
    answer = PathsAnswer(source, target, max_length, alternatives, generation=model.generation)
    graph = model.graph
    found: list[list[str]] = []
    if source == target:
        found.append([source])
    elif source in graph and target in graph:
        deadline = time.monotonic() + seconds
        try:
            for chain in nx.shortest_simple_paths(graph, source, target):
                if len(chain) - 1 > max_length:
                    break
                found.append(chain)
                if len(found) >= alternatives:
                    break
                if time.monotonic() > deadline:
                    answer.timed_out = True
                    break
        except nx.NetworkXNoPath:
            pass
    iris = {n for chain in found for n in chain} | {source, target}
    labels = NetworkLabels(model, lang)
    answer.nodes = {n: Node(n, labels.node(n), model.kind(n), 0) for n in iris}
    for chain in found:
        steps = []
        for start, end in _pairs(chain):
            relations = tuple(
                StepRelation(p, labels.relation(p, d), relation_kind(p, d), d, subject == start)
                for subject, p, d in model.relations(start, end)
                # A derived relation is stated both ways: the forward one says it.
                if not (d and subject != start and (start, p, True) in model.relations(start, end))
            )
            steps.append(Step(start, end, relations))
        answer.paths.append(steps)
    return answer


def _pairs(chain: list[str]) -> list[tuple[str, str]]:
    """Consecutive resources of a chain."""
    return list(zip(chain, chain[1:], strict=False))
