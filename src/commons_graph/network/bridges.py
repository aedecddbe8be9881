"""Bridges: organisations not linked to one but sharing its values, themes, commons, activity
or place, ranked (a rarely shared concept counts more) and explained."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import islice

from commons_graph.network.labelling import NetworkLabels
from commons_graph.network.links import RELATION_KINDS
from commons_graph.network.model import NetworkModel, Stored
from commons_graph.store.base import Store

BRIDGE_KINDS: tuple[str, ...] = ("values", "themes", "commons", "activity", "place")
ORGANISATIONS = "organisations"
# Each shared concept contributes at most this many candidates (the first holders the model
# lists): a bound on the work whatever the size of the network (an activity may be held by
# thousands of co-operatives), which keeps an organisation's page fast.
PER_CONCEPT = 300


@dataclass(frozen=True)
class Shared:
    """What a bridge shares of one kind: the concepts, with their labels."""

    kind: str
    concepts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bridge:
    """An organisation to meet, its score and what is shared."""

    iri: str
    label: str
    score: float
    shared: tuple[Shared, ...]


@dataclass
class Bridges:
    """The bridges of one organisation (empty when it is not an organisation)."""

    iri: str
    bridges: list[Bridge] = field(default_factory=list)


def _held(stored: tuple[Stored, ...], holder: str, concept: str) -> set[str]:
    """The bridge kinds by which `holder` states a link to `concept` (an edge's relations)."""
    holder_first = holder < concept
    return {
        kind
        for predicate, derived, from_first in stored
        if from_first == holder_first
        and not derived
        and (kind := RELATION_KINDS.get(predicate, "")) in BRIDGE_KINDS
    }


def find_bridges(
    store: Store, model: NetworkModel, iri: str, lang: str, *, limit: int = 8
) -> Bridges:
    """The `limit` best bridges of organisation `iri`."""
    answer = Bridges(iri)
    # networkx's own dicts: its read-only views cost a Python call per lookup.
    adjacency = model.graph._adj
    if iri not in adjacency or model.kind(iri) != ORGANISATIONS:
        return answer
    around = adjacency[iri]
    linked = {other for other, data in around.items() if any(not d for _, d, _ in data["r"])}
    kinds_of = model.kinds
    scores: dict[str, float] = {}
    shared: dict[str, dict[str, list[str]]] = {}
    for concept, data in around.items():
        kinds = _held(data["r"], iri, concept)
        if not kinds:
            continue
        holders = adjacency[concept]
        # Sharing a rare concept says more than sharing one everybody holds.
        weight = 1.0 / math.log2(1 + len(holders))
        for other, edge in islice(holders.items(), PER_CONCEPT):
            if other == iri or other in linked or kinds_of.get(other) != ORGANISATIONS:
                continue
            for kind in _held(edge["r"], other, concept) & kinds:
                shared.setdefault(other, {}).setdefault(kind, []).append(concept)
                scores[other] = scores.get(other, 0.0) + weight
    best = heapq.nsmallest(limit, scores, key=lambda o: (-scores[o], o))
    labels = NetworkLabels(model, lang)
    for other in best:
        parts = tuple(
            Shared(kind, tuple(sorted(((c, labels.node(c)) for c in found), key=lambda x: x[1])))
            for kind in BRIDGE_KINDS
            if (found := shared[other].get(kind))
        )
        answer.bridges.append(Bridge(other, labels.node(other), round(scores[other], 3), parts))
    return answer
