"""Derived relations as RDF in their own graph, with PROV, and the change that brings the
graph from what it holds to what the rules now derive (only the difference is written)."""

from __future__ import annotations

import hashlib
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse

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


Pair = tuple[str, str]


def _lines(triples: Iterable[Triple]) -> set[str]:
    """The statements as N-Triples lines (without the final dot)."""
    return {str(t) for t in triples}


def _digest(triples: Iterable[Triple]) -> bytes:
    """What identifies a node's meaning: its statements but the run that generated it."""
    lines = sorted(_lines(t for t in triples if t.predicate not in _RUN_PREDICATES))
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).digest()


@dataclass(frozen=True, slots=True)
class Held:
    """One relation or activity node's statements, held compactly: a digest of those that
    state the relation, the runs that generated it, and all of them as compressed N-Triples,
    read back only when the node changes or goes. About 0.5 KB a relation, against ~8 KB as
    pyoxigraph triples in sets (~430 MB for the ~50,000 relations of a 1M-statement network,
    kept between runs by the keeper)."""

    digest: bytes
    activities: tuple[str, ...]
    packed: bytes

    def triples(self) -> list[Triple]:
        """The statements held."""
        text = zlib.decompress(self.packed)
        return [
            Triple(q.subject, q.predicate, q.object)
            for q in parse(text, format=RdfFormat.N_TRIPLES)
        ]


def hold(triples: Iterable[Triple]) -> Held:
    """`triples` (one node's statements) held compactly."""
    listed = list(triples)
    activities = tuple(
        sorted(
            {
                sys.intern(t.object.value)
                for t in listed
                if t.predicate == WAS_GENERATED_BY and isinstance(t.object, NamedNode)
            }
        )
    )
    text = "".join(f"{line} .\n" for line in sorted(_lines(listed)))
    return Held(_digest(listed), activities, zlib.compress(text.encode(), 1))


def _pair_triple(pair: Pair) -> Triple:
    return Triple(NamedNode(pair[0]), RELATED_TO, NamedNode(pair[1]))


@dataclass(frozen=True)
class Stored:
    """What the derived graph holds: each relation and activity node's statements (under ""
    those of no node), and the `cg:relatedTo` links as (subject, object) IRIs."""

    by_node: dict[str, Held]
    pairs: set[Pair]


def stored(store: Store) -> Stored:
    """The derived graph's current content."""
    by_node: dict[str, list[Triple]] = {}
    pairs: set[Pair] = set()
    for quad in store.quads(DERIVED_RELATIONS_GRAPH):
        subject, value = quad.subject, quad.object
        if (
            quad.predicate == RELATED_TO
            and isinstance(subject, NamedNode)
            and isinstance(value, NamedNode)
        ):
            pairs.add((sys.intern(subject.value), sys.intern(value.value)))
            continue
        owner = _owner(subject.value) if isinstance(subject, NamedNode) else None
        by_node.setdefault(owner or "", []).append(Triple(subject, quad.predicate, value))
    return Stored({node: hold(triples) for node, triples in by_node.items()}, pairs)


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
    wanted_pairs: set[Pair] = set()
    inserts: list[Triple] = []
    deletes: list[Triple] = []
    added = kept = 0
    wanted_nodes: set[str] = set()
    referenced: set[str] = set()
    after: dict[str, Held] = {}
    for relation in relations:
        triples = relation_triples(relation)
        a, b = sys.intern(relation.a), sys.intern(relation.b)
        wanted_pairs.update(((a, b), (b, a)))  # relation_triples' two cg:relatedTo links
        body = [t for t in triples if t.predicate != RELATED_TO]
        node = relation_iri(relation.a, relation.b).value
        wanted_nodes.add(node)
        have = current.by_node.get(node)
        if have is not None and have.digest == _digest(body):
            kept += 1
            referenced.update(have.activities)
            after[node] = have
            continue
        added += 1
        if have is not None:
            deletes.extend(have.triples())
        generated = Triple(NamedNode(node), WAS_GENERATED_BY, activity)
        inserts.extend(body)
        inserts.append(generated)
        after[node] = hold([*body, generated])
    removed = 0
    for node, held in current.by_node.items():
        if node in wanted_nodes:
            continue
        if node.startswith(DERIVATION_PREFIX) and node in referenced:
            after[node] = held
            continue
        if node.startswith(RELATION_PREFIX) and not node.startswith(DERIVATION_PREFIX):
            removed += 1
        deletes.extend(held.triples())
    deletes.extend(_pair_triple(pair) for pair in current.pairs - wanted_pairs)
    inserts.extend(_pair_triple(pair) for pair in wanted_pairs - current.pairs)
    if added:
        inserts.extend(run)
        after[activity.value] = hold(run)
    changes = ChangeSet(
        delete=[Quad(t.subject, t.predicate, t.object, graph) for t in deletes],
        insert=[Quad(t.subject, t.predicate, t.object, graph) for t in inserts],
    )
    return Difference(
        changes, added=added, removed=removed, kept=kept, after=Stored(after, wanted_pairs)
    )
