"""History: who changed what and when, as diffs of added and removed statements, and as PROV."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.contributions.provenance import provenance_triples
from commons_graph.contributions.records import Records, VersionRecord


@dataclass(frozen=True)
class Change:
    """One version of a contribution and what it added to and removed from the union."""

    version: VersionRecord
    added: list[ox.Triple]
    removed: list[ox.Triple]


def _mentions(triple: ox.Triple, resource: str) -> bool:
    return any(
        isinstance(term, ox.NamedNode) and term.value == resource
        for term in (triple.subject, triple.object)
    )


def changes_of(records: Records, contribution_id: str) -> list[Change]:
    """Every change of one contribution, newest first."""
    changes = []
    before: set[ox.Triple] = set()
    for version in records.versions(contribution_id):
        after = set(version.triples())
        changes.append(
            Change(version, sorted(after - before, key=str), sorted(before - after, key=str))
        )
        before = after
    return changes[::-1]


def history(
    records: Records, *, resource: str | None = None, organisation: str | None = None
) -> list[Change]:
    """Changes touching `resource`, or made for `organisation`, or all; newest first."""
    if resource is not None:
        versions = records.versions_about(resource)
    elif organisation is not None:
        versions = records.versions_of_organisation(organisation)
    else:
        versions = [v for c in records.contributions() for v in records.versions(c.id)]
    changes: list[Change] = []
    for contribution_id in dict.fromkeys(v.contribution_id for v in versions):
        for change in changes_of(records, contribution_id):
            if resource is not None:
                added = [t for t in change.added if _mentions(t, resource)]
                removed = [t for t in change.removed if _mentions(t, resource)]
                if not (added or removed):
                    continue
                change = Change(change.version, added, removed)
            changes.append(change)
    return sorted(changes, key=lambda c: (c.version.time, c.version.number), reverse=True)


def provenance_of(changes: list[Change]) -> list[ox.Triple]:
    """The PROV-O statements of these changes (the same ones the store holds)."""
    seen: dict[ox.Triple, None] = {}
    for change in changes:
        for triple in provenance_triples(change.version):
            seen.setdefault(triple, None)
    return list(seen)
