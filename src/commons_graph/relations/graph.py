"""Derived relations as RDF in their own graph, with PROV, and the change that brings the
graph from what it holds to what the rules now derive (only the difference is written)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad, Triple

from commons_graph.rdf.namespaces import PROV, RDF_TYPE, RDFS_COMMENT, RDFS_LABEL, SCHEMA, XSD
from commons_graph.relations.derivation import Relation
from commons_graph.relations.iris import (
    BASIS,
    DERIVATION_PREFIX,
    DERIVED_RELATION,
    DERIVED_RELATIONS_GRAPH,
    RELATED_TO,
    RELATES,
    RELATION_PREFIX,
    RULE,
    SCORE,
    SHARED_FACT,
    relation_iri,
)
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet

PROV_ACTIVITY = NamedNode(PROV + "Activity")
WAS_DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")
WAS_GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")
STARTED = NamedNode(PROV + "startedAtTime")
ENDED = NamedNode(PROV + "endedAtTime")
LOCALITY = NamedNode(SCHEMA + "addressLocality")
XSD_DATETIME = NamedNode(XSD + "dateTime")
XSD_INTEGER = NamedNode(XSD + "integer")
# What changes with each run and is not part of a relation's meaning.
_RUN_PREDICATES = {WAS_GENERATED_BY}


def relation_triples(relation: Relation) -> list[Triple]:
    """The statements of one relation, without the run that generated it."""
    a, b = NamedNode(relation.a), NamedNode(relation.b)
    node = relation_iri(relation.a, relation.b)
    triples = [
        Triple(a, RELATED_TO, b),
        Triple(b, RELATED_TO, a),
        Triple(node, RDF_TYPE, DERIVED_RELATION),
        Triple(node, RELATES, a),
        Triple(node, RELATES, b),
        Triple(node, SCORE, Literal(str(relation.score), datatype=XSD_INTEGER)),
    ]
    for index, basis in enumerate(relation.bases, start=1):
        fact = NamedNode(f"{node.value}#basis-{index}")
        triples += [
            Triple(node, BASIS, fact),
            Triple(fact, RDF_TYPE, SHARED_FACT),
            Triple(fact, RULE, NamedNode(basis.rule)),
        ]
        # The resources once, on the basis (not again on the relation: the graph's size).
        for resource in basis.resources:
            triples.append(Triple(fact, WAS_DERIVED_FROM, NamedNode(resource)))
        if basis.locality:
            triples.append(Triple(fact, LOCALITY, Literal(basis.locality)))
    return triples


def _xsd_time(moment: datetime) -> str:
    """A UTC time in the one form every store writes back unchanged (whole seconds, `Z`)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def activity_triples(
    activity: NamedNode, started: datetime, ended: datetime, per_organisation: int
) -> list[Triple]:
    """The PROV activity of one run of the rules."""
    return [
        Triple(activity, RDF_TYPE, PROV_ACTIVITY),
        Triple(activity, RDFS_LABEL, Literal("Derivation of relations", language="en")),
        Triple(activity, RDFS_LABEL, Literal("Calcul des relations", language="fr")),
        Triple(
            activity,
            RDFS_COMMENT,
            Literal(
                "Relations derived from shared facts (docs/model.md, 'Mappings and derived "
                f"relations'), at most {per_organisation} per organisation.",
                language="en",
            ),
        ),
        Triple(activity, STARTED, Literal(_xsd_time(started), datatype=XSD_DATETIME)),
        Triple(activity, ENDED, Literal(_xsd_time(ended), datatype=XSD_DATETIME)),
    ]


def _owner(subject: str) -> str | None:
    """The relation (or activity) node a subject of the graph belongs to."""
    base = subject.split("#", 1)[0]
    return base if base.startswith(RELATION_PREFIX) else None


@dataclass(frozen=True)
class Stored:
    """What the derived graph holds, by relation and activity node."""

    by_node: dict[str, set[Triple]]
    pairs: set[Triple]


def stored(store: Store) -> Stored:
    """The derived graph's current content."""
    by_node: dict[str, set[Triple]] = {}
    pairs: set[Triple] = set()
    for quad in store.quads(DERIVED_RELATIONS_GRAPH):
        triple = Triple(quad.subject, quad.predicate, quad.object)
        if quad.predicate == RELATED_TO:
            pairs.add(triple)
            continue
        owner = _owner(quad.subject.value) if isinstance(quad.subject, NamedNode) else None
        by_node.setdefault(owner or "", set()).add(triple)
    return Stored(by_node, pairs)


@dataclass(frozen=True)
class Difference:
    """The change to write, and what it does."""

    changes: ChangeSet
    added: int
    removed: int
    kept: int
    # What the graph holds once `changes` is written.
    after: Stored


def difference(
    current: Stored,
    relations: Iterable[Relation],
    activity: NamedNode,
    run: list[Triple],
) -> Difference:
    """The change from `current` to `relations`; new or changed ones are generated by
    `activity` (described by `run`); activities no relation refers to any more go."""
    graph = DERIVED_RELATIONS_GRAPH
    wanted_pairs: set[Triple] = set()
    inserts: list[Triple] = []
    deletes: list[Triple] = []
    added = kept = 0
    wanted_nodes: set[str] = set()
    referenced: set[str] = set()
    after: dict[str, set[Triple]] = {}
    for relation in relations:
        triples = relation_triples(relation)
        wanted_pairs.update(t for t in triples if t.predicate == RELATED_TO)
        body = {t for t in triples if t.predicate != RELATED_TO}
        node = relation_iri(relation.a, relation.b).value
        wanted_nodes.add(node)
        have = current.by_node.get(node, set())
        if {t for t in have if t.predicate not in _RUN_PREDICATES} == body:
            kept += 1
            referenced.update(
                t.object.value
                for t in have
                if t.predicate == WAS_GENERATED_BY and isinstance(t.object, NamedNode)
            )
            after[node] = have
            continue
        added += 1
        deletes.extend(have)
        generated = Triple(NamedNode(node), WAS_GENERATED_BY, activity)
        inserts.extend(body)
        inserts.append(generated)
        after[node] = body | {generated}
    removed = 0
    for node, held in current.by_node.items():
        if node in wanted_nodes:
            continue
        if node.startswith(DERIVATION_PREFIX) and node in referenced:
            after[node] = held
            continue
        if node.startswith(RELATION_PREFIX) and not node.startswith(DERIVATION_PREFIX):
            removed += 1
        deletes.extend(held)
    deletes.extend(current.pairs - wanted_pairs)
    inserts.extend(wanted_pairs - current.pairs)
    if added:
        inserts.extend(run)
        after[activity.value] = set(run)
    changes = ChangeSet(
        delete=[Quad(t.subject, t.predicate, t.object, graph) for t in deletes],
        insert=[Quad(t.subject, t.predicate, t.object, graph) for t in inserts],
    )
    return Difference(
        changes, added=added, removed=removed, kept=kept, after=Stored(after, wanted_pairs)
    )
