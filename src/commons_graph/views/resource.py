"""The description of one resource: its statements in both directions, in two or three queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.results import Term
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.labels import Labels, fetch_labels
from commons_graph.views.sparql import PROLOGUE, values

# Incoming statements are capped: a value held by a hundred thousand actors still renders fast.
# The history's reified statements (rdf:subject, rdf:object of what a version added or removed)
# are history, not links to the resource: /history shows them.
MAX_INCOMING = 2000

_DESCRIBE = """
SELECT ?dir ?b ?p ?o ?g WHERE {{
  {{ {v} GRAPH ?g {{ ?s ?p ?o }} BIND("out" AS ?dir) }}
  UNION
  {{ {{ SELECT ?p ?o ?g WHERE {{ {v} GRAPH ?g {{ ?o ?p ?s }}
       FILTER(?p NOT IN (rdf:subject, rdf:object)) }} LIMIT {limit} }}
     BIND("in" AS ?dir) }}
  UNION
  {{ {v} GRAPH ?g {{ ?s ?p0 ?b . FILTER(isBlank(?b)) ?b ?p ?o }} BIND("nested" AS ?dir) }}
}}
"""


@dataclass(frozen=True)
class Statement:
    """One statement about the resource; `incoming` when the resource is its object."""

    subject: Term
    predicate: NamedNode
    object: Term
    incoming: bool = False

    @property
    def other(self) -> Term:
        """The term at the other end of the statement from the resource."""
        return self.subject if self.incoming else self.object

    @property
    def triple(self) -> Triple:
        """The statement as a triple."""
        return Triple(self.subject, self.predicate, self.object)  # type: ignore[arg-type]


@dataclass
class Description:
    """Everything known about one resource, with the labels of what it links to."""

    iri: str
    outgoing: list[Statement] = field(default_factory=list)
    incoming: list[Statement] = field(default_factory=list)
    nested: list[Statement] = field(default_factory=list)
    graphs: dict[Statement, set[str]] = field(default_factory=dict)
    labels: Labels = field(default_factory=lambda: Labels("en"))
    datasets: list[DatasetInfo] = field(default_factory=list)
    truncated: bool = False

    @property
    def exists(self) -> bool:
        """Whether the store says anything about the resource."""
        return bool(self.outgoing or self.incoming)

    @property
    def node(self) -> NamedNode:
        """The resource as a term."""
        return NamedNode(self.iri)

    def types(self) -> list[str]:
        """The IRIs of the resource's classes."""
        return [
            s.object.value
            for s in self.outgoing
            if s.predicate == RDF_TYPE and isinstance(s.object, NamedNode)
        ]

    def literals(self, predicate: str) -> dict[str, str]:
        """The resource's literal values of `predicate`, keyed by language tag ('' untagged)."""
        found: dict[str, str] = {}
        for s in self.outgoing:
            if s.predicate.value == predicate and isinstance(s.object, Literal):
                found.setdefault(s.object.language or "", s.object.value)
        return found

    def triples(self) -> list[Triple]:
        """The description as RDF: statements both ways, blank-node details, linked labels."""
        seen: set[Triple] = set()
        ordered: list[Triple] = []
        for statement in (*self.outgoing, *self.nested, *self.incoming):
            triple = statement.triple
            if triple not in seen:
                seen.add(triple)
                ordered.append(triple)
        linked = {
            term.value
            for triple in ordered
            for term in (triple.subject, triple.object)
            if isinstance(term, NamedNode)
        }
        for triple in self.labels.triples:
            if (
                isinstance(triple.subject, NamedNode)
                and triple.subject.value in linked
                and triple not in seen
            ):
                seen.add(triple)
                ordered.append(triple)
        return ordered


def describe(store: Store, iri: str, lang: str = "en") -> Description:
    """Describe `iri`: one query for its statements, one for the labels of what they link."""
    node = NamedNode(iri)
    query = PROLOGUE + _DESCRIBE.format(v=values("s", [node]), limit=MAX_INCOMING)
    description = Description(iri)
    seen: dict[Statement, set[str]] = {}
    for direction, blank, predicate, obj, graph in store.select(query).rows:
        if not isinstance(predicate, NamedNode) or obj is None:
            continue
        kind = direction.value if isinstance(direction, Literal) else "out"
        if kind == "in":
            statement = Statement(obj, predicate, node, incoming=True)
            target = description.incoming
        elif kind == "nested":
            if not isinstance(blank, BlankNode):
                continue
            statement = Statement(blank, predicate, obj)
            target = description.nested
        else:
            statement = Statement(node, predicate, obj)
            target = description.outgoing
        if statement not in seen:
            seen[statement] = set()
            target.append(statement)
        if isinstance(graph, NamedNode):
            seen[statement].add(graph.value)
    description.graphs = seen
    description.truncated = len(description.incoming) >= MAX_INCOMING
    linked = {iri}
    for statement in (*description.outgoing, *description.incoming, *description.nested):
        linked.add(statement.predicate.value)
        for term in (statement.subject, statement.object):
            if isinstance(term, NamedNode):
                linked.add(term.value)
    description.labels = fetch_labels(store, linked, lang)
    graphs = {g for found in seen.values() for g in found}
    description.datasets = datasets_of_graphs(store, graphs, lang) if graphs else []
    return description
