"""Bringing a store's contribution history to the linked-data layout (versions as entities).

Stores written before this layout recorded each change as a prov:Activity at the version's
IRI (`<graph>/version/<n>`), the contribution graph as the only entity, and no earlier content.
Upgrading rewrites, for every version the accounts database records, its PROV statements in the
new layout (contributions/provenance.py): the old statements about `<graph>/version/<n>` are
deleted and the new ones inserted, in one store transaction. Statements about the contribution
graphs, agents and shapes versions are the same in both layouts and stay. Run when the service
starts and by `init` and `members add` (after the journal has settled interrupted writes); a
store already upgraded is found in one ASK and left alone.
"""

from __future__ import annotations

import logging

import pyoxigraph as ox

from commons_graph.contributions.history import changes_of
from commons_graph.contributions.provenance import (
    PROVENANCE_GRAPH,
    provenance_quads,
    version_iri,
)
from commons_graph.contributions.records import Records
from commons_graph.rdf.namespaces import PROV
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.sparql_text import values_block

log = logging.getLogger("commons_graph.contributions")

# An activity named like a version entity (no #change fragment) is the old layout. The IRIs are
# constants written into the query: a trailing VALUES would be joined only after the engine read
# every statement of every graph.
_OLD_LAYOUT = f"""
ASK {{ GRAPH {PROVENANCE_GRAPH} {{ ?version a <{PROV}Activity>
      FILTER(REGEX(STR(?version), "/graph/contribution/[^/#]+/version/[0-9]+$")) }} }}
"""


def needs_upgrade(store: Store) -> bool:
    """Whether the store holds contribution history in the layout before versions were
    entities."""
    return store.ask(_OLD_LAYOUT)


def upgrade_history(records: Records, store: Store) -> int:
    """Rewrite the PROV record of every recorded version in the current layout, in one
    transaction; returns the number of versions rewritten (0 when the store was up to date)."""
    if not needs_upgrade(store):
        return 0
    delete: list[ox.Quad] = []
    insert: list[ox.Quad] = []
    count = 0
    for contribution in records.contributions():
        for change in changes_of(records, contribution.id):
            version = change.version
            old = version_iri(version.contribution_id, version.number)
            delete += [
                ox.Quad(q.subject, q.predicate, q.object, PROVENANCE_GRAPH)
                for q in _about(store, old)
            ]
            insert += provenance_quads(version, change.added, change.removed)
            count += 1
    store.commit(ChangeSet(delete=delete, insert=insert))
    log.warning("contribution history upgraded to versions as entities: %d version(s)", count)
    return count


def _about(store: Store, subject: ox.NamedNode) -> list[ox.Quad]:
    """The provenance statements whose subject is `subject`."""
    query = (
        f"SELECT ?p ?o WHERE {{ {values_block('s', [subject])} "
        f"GRAPH {PROVENANCE_GRAPH} {{ ?s ?p ?o }} }}"
    )
    return [
        ox.Quad(subject, p, o, PROVENANCE_GRAPH)
        for p, o in store.select(query).rows
        if isinstance(p, ox.NamedNode) and o is not None
    ]
