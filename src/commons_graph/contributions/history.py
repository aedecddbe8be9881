"""History: who changed what and when, as diffs of added and removed statements, and as PROV."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.contributions.provenance import diff, provenance_triples, version_iri
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
    before: list[ox.Triple] = []
    for version in records.versions(contribution_id):
        after = version.triples()
        changes.append(Change(version, *diff(before, after)))
        before = after
    return changes[::-1]


def version_document(records: Records, contribution_id: str, number: int) -> list[ox.Triple]:
    """What the IRI of version `number` of a contribution serves: its content, its PROV record
    and what later changes say of it (its invalidation); empty when there is no such version."""
    changes = {c.version.number: c for c in changes_of(records, contribution_id)}
    if number not in changes:
        return []
    found = [*changes[number].version.triples(), *provenance_of(records, [changes[number]])]
    if number + 1 in changes:
        entity = version_iri(contribution_id, number)
        later = provenance_of(records, [changes[number + 1]])
        found += [t for t in later if t.subject == entity]
    return list(dict.fromkeys(found))


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


def provenance_of(records: Records, changes: list[Change]) -> list[ox.Triple]:
    """The PROV-O statements of these changes' versions: the same ones the store holds (with
    all the statements each version added and removed, not only those a page shows)."""
    seen: dict[ox.Triple, None] = {}
    full: dict[str, dict[int, Change]] = {}
    for change in changes:
        version = change.version
        if version.contribution_id not in full:
            full[version.contribution_id] = {
                c.version.number: c for c in changes_of(records, version.contribution_id)
            }
        whole = full[version.contribution_id].get(version.number, change)
        for triple in provenance_triples(version, whole.added, whole.removed):
            seen.setdefault(triple, None)
    return list(seen)
