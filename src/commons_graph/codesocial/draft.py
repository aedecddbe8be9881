"""The draft: what the store currently says about a #CodeSocial and its parts, in every graph.

A draft is ordinary data: seed files and members' contributions state things about the
cg:CodeSocial resource (its raison d'être, history entries, principles, models). Reading the
draft gathers, from every named graph except the sealed version graphs, the statements whose
subject is the #CodeSocial or one of its parts (the IRIs it links with cg:principle,
cg:historyEntry or cg:model), with the blank nodes they lead to (two levels deep).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.codesocial.iris import VERSION_GRAPH_PREFIX
from commons_graph.rdf.namespaces import CG, DCTERMS, RDF, RDFS
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

PART_PREDICATES = (CG + "principle", CG + "historyEntry", CG + "model")
CODESOCIAL_CLASS = ox.NamedNode(CG + "CodeSocial")


_NOT_SEALED = f"!STRSTARTS(STR(?g), {ox.Literal(VERSION_GRAPH_PREFIX)})"
_PARTS = " ".join(str(ox.NamedNode(p)) for p in PART_PREDICATES)

_PARTS_QUERY = f"""
SELECT DISTINCT ?n WHERE {{
  #VALUES#
  GRAPH ?g {{ ?root ?hp ?n }} VALUES ?hp {{ {_PARTS} }} FILTER(isIRI(?n) && {_NOT_SEALED})
}}
"""

_DRAFT_QUERY = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  #VALUES#
  {{ GRAPH ?g {{ ?n ?p ?o }} BIND(?n AS ?s) }}
  UNION
  {{ GRAPH ?g {{ ?n ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }} }}
  UNION
  {{ GRAPH ?g {{ ?n ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }} }}
  FILTER({_NOT_SEALED})
}}
"""

# Statements about the root that describe the draft as a working document, not its text:
# they are shown on the draft page but not frozen into versions.
DRAFT_ONLY_PREDICATES = frozenset({RDFS + "label", DCTERMS + "modified"})


@dataclass(frozen=True)
class Draft:
    """The statements of one draft #CodeSocial."""

    root: ox.NamedNode
    triples: list[ox.Triple]

    @property
    def exists(self) -> bool:
        """Whether the store says the root is a cg:CodeSocial."""
        return any(
            t.subject == self.root
            and t.predicate.value == RDF + "type"
            and t.object == CODESOCIAL_CLASS
            for t in self.triples
        )

    def parts(self) -> list[ox.NamedNode]:
        """The IRIs of its history entries, principles and models."""
        found = {
            t.object
            for t in self.triples
            if t.subject == self.root
            and t.predicate.value in PART_PREDICATES
            and isinstance(t.object, ox.NamedNode)
        }
        return sorted(found, key=str)

    def subject(self) -> ox.NamedNode | None:
        """The organisation or project it describes (cg:codeSocialOf)."""
        for t in self.triples:
            is_link = t.subject == self.root and t.predicate.value == CG + "codeSocialOf"
            if is_link and isinstance(t.object, ox.NamedNode):
                return t.object
        return None


def read_draft(store: Store, root: ox.NamedNode) -> Draft:
    """The draft #CodeSocial `root` as the store holds it now (every graph but sealed ones)."""
    found = store.select(_PARTS_QUERY.replace("#VALUES#", values_block("root", [root]))).rows
    nodes = [root, *(n for (n,) in found if isinstance(n, ox.NamedNode))]
    rows = store.select(_DRAFT_QUERY.replace("#VALUES#", values_block("n", nodes))).rows
    triples = [
        ox.Triple(s, p, o)  # type: ignore[arg-type]
        for s, p, o in rows
        if s is not None and isinstance(p, ox.NamedNode) and o is not None
    ]
    triples.sort(key=str)
    return Draft(root, triples)


_LIST_QUERY = f"""
SELECT DISTINCT ?cs ?subject WHERE {{
  GRAPH ?g {{ ?cs a {CODESOCIAL_CLASS} }}
  FILTER({_NOT_SEALED})
  OPTIONAL {{ ?cs <{CG}codeSocialOf> ?subject }}
}} ORDER BY ?cs
"""


def list_drafts(store: Store) -> list[tuple[ox.NamedNode, ox.NamedNode | None]]:
    """Every #CodeSocial outside the sealed graphs, with the subject it describes."""
    found: dict[str, tuple[ox.NamedNode, ox.NamedNode | None]] = {}
    for cs, subject in store.select(_LIST_QUERY).rows:
        if isinstance(cs, ox.NamedNode):
            previous = found.get(cs.value)
            keep = subject if isinstance(subject, ox.NamedNode) else None
            if previous is None or previous[1] is None:
                found[cs.value] = (cs, keep)
    return list(found.values())
