"""The rules: which organisations are related by the facts they share, and the bounds.

Every shared fact is a *basis*; two organisations sharing at least one are candidates, scored
by how many bases they share. The bounds, so that large groups (hundreds of co-operatives
doing the same thing in one city) stay readable and the graph small:
- a group of more than GROUP_ALL organisations sharing one fact is not paired all with all:
  each member is paired with the WINDOW next ones in a fixed order (nearest first when they
  have coordinates, else a hash order);
- an organisation working on a mapped theme is paired with at most MAPPED_CAP of the
  organisations filed under the mapped ESSGlobal concept;
- then pairs are taken best first (score, then distance, then a hash) and a pair is kept only
  while both organisations have fewer than `per_organisation` relations (a greedy
  b-matching): every organisation ends with at most `per_organisation` derived relations.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from commons_graph.relations.facts import Facts
from commons_graph.relations.iris import (
    MAPPED_THEME,
    SAME_ACTIVITY_IN_LOCALITY,
    SHARED_THEME,
    pair_key,
)

GROUP_ALL = 50
WINDOW = 10
MAPPED_CAP = 50


class Basis(NamedTuple):
    """One shared fact: the rule and the resources it rests on (and a locality, or "").

    A tuple, not a dataclass: hundreds of thousands are hashed and sorted per run."""

    rule: str
    resources: tuple[str, ...]
    locality: str = ""


@dataclass(frozen=True)
class Relation:
    """Two organisations (`a` < `b`) and the shared facts relating them."""

    a: str
    b: str
    bases: tuple[Basis, ...]

    @property
    def score(self) -> int:
        """How many facts the two share."""
        return len(self.bases)


def _hash(*parts: str) -> int:
    """A stable, spread-out order (the same in every process, unlike `hash`)."""
    return zlib.crc32("\x1f".join(parts).encode())


def _distance(facts: Facts, a: str, b: str) -> float:
    """Great-circle distance in km, infinite when either place is unknown."""
    pa, pb = facts.coordinates.get(a), facts.coordinates.get(b)
    if pa is None or pb is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (*pa, *pb))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _group_pairs(facts: Facts, members: Iterable[str]) -> Iterable[tuple[str, str]]:
    """The candidate pairs of one group: all of them, or each with its WINDOW next ones."""
    ordered = sorted(members)
    if len(ordered) <= GROUP_ALL:
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                yield a, b
        return
    # Located members in latitude then longitude order (neighbours in that order are often
    # near), the others after them in a hash order: a stable, spread-out choice.
    ordered.sort(key=lambda o: (o not in facts.coordinates, facts.coordinates.get(o), _hash(o), o))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 : i + 1 + WINDOW]:
            yield a, b


def candidates(facts: Facts) -> dict[tuple[str, str], tuple[Basis, ...]]:
    """Every candidate pair with the bases it rests on (before the per-organisation bound)."""
    # Tuples, not sets: a pair rests on one to a few bases, and there are ~900,000 pairs at a
    # million statements (a set is 216 bytes, a tuple of one 48): the run's largest scratch.
    found: dict[tuple[str, str], tuple[Basis, ...]] = {}

    def add(a: str, b: str, basis: Basis) -> None:
        if a != b:
            key = pair_key(a, b)
            held = found.get(key)
            if held is None:
                found[key] = (basis,)
            elif basis not in held:
                found[key] = (*held, basis)

    for (activity, locality), members in facts.placed.items():
        basis = Basis(SAME_ACTIVITY_IN_LOCALITY, (activity,), facts.locality_names[locality])
        for a, b in _group_pairs(facts, members):
            add(a, b, basis)
    for (rule, resource), members in facts.shared.items():
        basis = Basis(rule, (resource,))
        for a, b in _group_pairs(facts, members):
            add(a, b, basis)
    workers = facts.shared_by_theme()
    for mapping in facts.mappings:
        filed = facts.filed.get(mapping.concept, set())
        # The SKOS relation itself is in the mappings' graph (theme ?match concept).
        basis = Basis(MAPPED_THEME, (mapping.theme, mapping.concept))
        for worker in sorted(workers.get(mapping.theme, ())):
            chosen = sorted(filed - {worker}, key=lambda o, w=worker: (_hash(w, o), o))  # type: ignore[misc]
            chosen = chosen[:MAPPED_CAP]
            for other in chosen:
                add(worker, other, basis)
    return found


def derive(facts: Facts, per_organisation: int) -> list[Relation]:
    """The derived relations: candidates taken best first, at most `per_organisation` each."""
    if per_organisation <= 0:
        return []
    found = candidates(facts)
    # Best first: score, then distance, then a hash, then the pair itself. Sorted by the pair
    # first, then (stably) by the rest: the same order as one sort by the four, without a
    # fourth member in every key nor a list of (pair, bases) items (~80 MB less at 1M).
    ranked = sorted(found)
    ranked.sort(key=lambda pair: (-len(found[pair]), _distance(facts, *pair), _hash(*pair)))
    degree: dict[str, int] = {}
    kept: list[Relation] = []
    for a, b in ranked:
        if degree.get(a, 0) >= per_organisation or degree.get(b, 0) >= per_organisation:
            continue
        bases = found[a, b]
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
        kept.append(Relation(a, b, tuple(sorted(bases))))
    kept.sort(key=lambda r: (r.a, r.b))
    return kept


def rule_inputs(facts: Facts) -> tuple[object, ...]:
    """What `derive` reads of `facts`: equal inputs derive equal relations, so a write whose
    facts leave them equal (a description, a commons only its own steward names, a value an
    organisation already held) needs no derivation.

    A group of fewer than two organisations pairs nobody, except the workers on a theme, which
    a mapping pairs with the organisations filed under its concept; coordinates count only for
    the organisations that can be paired (ranking and the order of large groups).
    """
    placed = {key: members for key, members in facts.placed.items() if len(members) > 1}
    shared = {
        key: members
        for key, members in facts.shared.items()
        if len(members) > 1 or key[0] == SHARED_THEME
    }
    concepts = {mapping.concept for mapping in facts.mappings}
    filed = {concept: facts.filed[concept] for concept in concepts if concept in facts.filed}
    involved: set[str] = set().union(*placed.values(), *shared.values(), *filed.values())
    coordinates = {o: facts.coordinates[o] for o in involved if o in facts.coordinates}
    names = {locality: facts.locality_names[locality] for _, locality in placed}
    return (placed, names, shared, filed, tuple(facts.mappings), coordinates)
