"""Comparing two states of a #CodeSocial: statements added and removed, grouped by section."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from commons_graph.codesocial.document import PLANES, SECTIONS
from commons_graph.rdf import hashing
from commons_graph.rdf.namespaces import CG, RDF


def _canonical(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The triples with blank nodes given RDFC-1.0 labels, so equal structures compare equal
    (in bounded time: rdf/hashing.py)."""
    triples = list(triples)
    try:
        return set(hashing.canonical_triples(triples))
    except hashing.CanonicalisationTooHard:
        # Too alike to label in time: compared as stored, blank nodes differ (all shown).
        return set(triples)


def diff_triples(
    before: Iterable[ox.Triple], after: Iterable[ox.Triple]
) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """(removed, added): the statements only in `before`, and those only in `after`."""
    old, new = _canonical(before), _canonical(after)
    return sorted(old - new, key=str), sorted(new - old, key=str)


@dataclass
class ChangeGroup:
    """The changes of one section (and, for principles and models, one plane)."""

    section: str
    plane: str | None
    removed: list[ox.Triple] = field(default_factory=list)
    added: list[ox.Triple] = field(default_factory=list)


@dataclass
class Comparison:
    """What changed from one state of a #CodeSocial to another."""

    root: ox.NamedNode
    groups: list[ChangeGroup]

    @property
    def unchanged(self) -> bool:
        """Whether both states say exactly the same."""
        return not self.groups

    def counts(self) -> tuple[int, int]:
        """(removed, added) statement counts."""
        return (
            sum(len(g.removed) for g in self.groups),
            sum(len(g.added) for g in self.groups),
        )


def _kinds(triples: Iterable[ox.Triple]) -> tuple[dict[str, str], dict[str, str]]:
    """For each resource, its #CodeSocial section (by type) and its plane."""
    kinds: dict[str, str] = {}
    planes: dict[str, str] = {}
    section_of = {
        CG + "HistoryEntry": "history",
        CG + "Principle": "principles",
        CG + "Model": "models",
    }
    for t in triples:
        subject = str(t.subject)
        if t.predicate.value == RDF + "type" and t.object.value in section_of:  # type: ignore[union-attr]
            kinds[subject] = section_of[t.object.value]  # type: ignore[union-attr]
        elif t.predicate.value == CG + "plane" and isinstance(t.object, ox.NamedNode):
            planes[subject] = t.object.value
    return kinds, planes


def group_changes(
    root: ox.NamedNode, before: list[ox.Triple], after: list[ox.Triple]
) -> Comparison:
    """The difference between two neutral states (see freezing.neutral), grouped for reading."""
    removed, added = diff_triples(before, after)
    kinds, planes = _kinds([*before, *after])
    part_predicates = {
        CG + "principle": "principles",
        CG + "model": "models",
        CG + "historyEntry": "history",
    }
    groups: dict[tuple[str, str | None], ChangeGroup] = {}

    def place(t: ox.Triple) -> tuple[str, str | None]:
        subject = str(t.subject)
        if t.subject == root:
            section = part_predicates.get(t.predicate.value)
            if section is None:
                return ("raison" if t.predicate.value == CG + "raisonDEtre" else "document", None)
            other = str(t.object)
            return section, planes.get(other) if section != "history" else None
        section = kinds.get(subject, "other")
        return section, planes.get(subject) if section in ("principles", "models") else None

    for bucket, triples in (("removed", removed), ("added", added)):
        for t in triples:
            key = place(t)
            group = groups.setdefault(key, ChangeGroup(*key))
            getattr(group, bucket).append(t)
    order = {name: i for i, name in enumerate(SECTIONS)}
    plane_order = {plane: i for i, plane in enumerate(PLANES)}
    ordered = sorted(
        groups.values(),
        key=lambda g: (order.get(g.section, 99), plane_order.get(g.plane or "", 99)),
    )
    return Comparison(root, ordered)
