"""Bridges: organisations not linked to one but sharing its values, themes, commons, activity
or place, ranked (a rarely shared concept counts more) and explained."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from itertools import islice

from commons_graph.network.labelling import NetworkLabels
from commons_graph.network.links import relation_kind
from commons_graph.network.model import NetworkModel
from commons_graph.store.base import Store

BRIDGE_KINDS: tuple[str, ...] = ("values", "themes", "commons", "activity", "place")
ORGANISATIONS = "organisations"
# Each shared concept contributes at most this many candidates: a bound on the work whatever
# the size of the network (an activity may be held by thousands of co-operatives).
PER_CONCEPT = 2000


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


def _held(model: NetworkModel, holder: str, concept: str) -> set[str]:
    """The bridge kinds by which `holder` states a link to `concept`."""
    return {
        kind
        for subject, predicate, derived in model.relations(holder, concept)
        if subject == holder
        and not derived
        and (kind := relation_kind(predicate, derived)) in BRIDGE_KINDS
    }


def find_bridges(
    store: Store, model: NetworkModel, iri: str, lang: str, *, limit: int = 8
) -> Bridges:
    """The `limit` best bridges of organisation `iri`."""
    answer = Bridges(iri)
    graph = model.graph
    if iri not in graph or model.kind(iri) != ORGANISATIONS:
        return answer
    linked = {
        other
        for other, data in graph.adj[iri].items()
        if any(not derived for _, _, derived in data["r"])
    }
    scores: dict[str, float] = {}
    shared: dict[str, dict[str, list[str]]] = {}
    for concept in graph.adj[iri]:
        kinds = _held(model, iri, concept)
        if not kinds:
            continue
        # Sharing a rare concept says more than sharing one everybody holds.
        weight = 1.0 / math.log2(1 + graph.degree(concept))
        for other in islice(graph.adj[concept], PER_CONCEPT):
            if other == iri or other in linked or model.kind(other) != ORGANISATIONS:
                continue
            common = _held(model, other, concept) & kinds
            for kind in common:
                shared.setdefault(other, {}).setdefault(kind, []).append(concept)
                scores[other] = scores.get(other, 0.0) + weight
    best = heapq.nsmallest(limit, scores, key=lambda o: (-scores[o], o))
    concepts = {c for o in best for found in shared[o].values() for c in found}
    labels = NetworkLabels(store, {*best, *concepts}, (), lang)
    for other in best:
        parts = tuple(
            Shared(kind, tuple(sorted(((c, labels.node(c)) for c in found), key=lambda x: x[1])))
            for kind in BRIDGE_KINDS
            if (found := shared[other].get(kind))
        )
        answer.bridges.append(Bridge(other, labels.node(other), round(scores[other], 3), parts))
    return answer
