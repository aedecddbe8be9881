"""The description of one resource: its statements both ways and its parts, in a few queries."""

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

# The parts of a resource that travel with it, shown inline and included in its RDF: blank
# nodes and hash IRIs (`<iri#address>`, `<iri#geometry>`, a #CodeSocial's `#model-…`) reached
# from it through at most this many links, and at most this many of their statements.
MAX_PART_DEPTH = 3
MAX_PART_STATEMENTS = 1000

_OUTGOING = """{{ {v} GRAPH ?g {{ ?s ?p ?o }} BIND("out" AS ?dir) }}"""
_INCOMING = """
  UNION
  {{ {{ SELECT ?p ?o ?g WHERE {{ {v} GRAPH ?g {{ ?o ?p ?s }}
       FILTER(?p NOT IN (rdf:subject, rdf:object)) }} LIMIT {limit} }}
     BIND("in" AS ?dir) }}"""
_PARTS = """
  UNION
  {{ {{ SELECT DISTINCT ?b ?p ?o ?g WHERE {{
       {v}
       {{ ?s ?p0 ?b }}
       UNION {{ ?s ?p0 ?b1 . FILTER({part1}) ?b1 ?p1 ?b }}
       UNION {{ ?s ?p0 ?b1 . FILTER({part1}) ?b1 ?p1 ?b2 . FILTER({part2}) ?b2 ?p2 ?b }}
       FILTER({part})
       GRAPH ?g {{ ?b ?p ?o }}
     }} LIMIT {parts_limit} }}
     BIND("nested" AS ?dir) }}"""


def _is_part(variable: str, iri: str) -> str:
    """A SPARQL test that `?variable` is a part of `iri`: a blank node or `<iri#…>`."""
    return f"(isBlank(?{variable}) || STRSTARTS(STR(?{variable}), {Literal(iri + '#')}))"


def part_anchor(iri: str, term: Term) -> str | None:
    """The fragment of `term` when it is a hash-IRI part of `iri` ("address"), else None."""
    if isinstance(term, NamedNode) and term.value.startswith(iri + "#"):
        return term.value[len(iri) + 1 :] or None
    return None


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


def describe(
    store: Store, iri: str, lang: str = "en", max_incoming: int | None = None
) -> Description:
    """Describe `iri`: one query for its statements (outgoing, its parts, up to `max_incoming`
    incoming), one for the labels of what they link."""
    node = NamedNode(iri)
    if max_incoming is None:
        max_incoming = MAX_INCOMING
    block = values("s", [node])
    body = _OUTGOING.format(v=block)
    if max_incoming > 0:
        body += _INCOMING.format(v=block, limit=max_incoming)
    body += _PARTS.format(
        v=block,
        part=_is_part("b", iri),
        part1=_is_part("b1", iri),
        part2=_is_part("b2", iri),
        parts_limit=MAX_PART_STATEMENTS,
    )
    query = PROLOGUE + "SELECT ?dir ?b ?p ?o ?g WHERE {\n  " + body + "\n}"
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
            if not isinstance(blank, BlankNode | NamedNode):
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
    description.truncated = max_incoming > 0 and len(description.incoming) >= max_incoming
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
