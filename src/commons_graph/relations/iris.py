"""The IRIs of derived relations: their graph, their terms, the nodes that explain them."""

from __future__ import annotations

import hashlib

from pyoxigraph import NamedNode

from commons_graph.rdf.namespaces import BASE, CG, GRAPH

# The one graph holding relations computed from shared facts; nothing else writes to it.
DERIVED_RELATIONS_GRAPH = NamedNode(GRAPH + "derived-relations")
RELATED_TO = NamedNode(CG + "relatedTo")
DERIVED_RELATION = NamedNode(CG + "DerivedRelation")
SHARED_FACT = NamedNode(CG + "SharedFact")
RELATES = NamedNode(CG + "relates")
BASIS = NamedNode(CG + "basis")
RULE = NamedNode(CG + "derivationRule")
SCORE = NamedNode(CG + "relationScore")
RELATION_PREFIX = BASE + "relation/"
DERIVATION_PREFIX = BASE + "relation/derivation/"

# The rules, named by ontology individuals (labelled in English and French there).
SAME_ACTIVITY_IN_LOCALITY = CG + "sameActivityInLocality"
SHARED_VALUE = CG + "sharedValue"
SHARED_THEME = CG + "sharedTheme"
SHARED_COMMONS = CG + "sharedCommons"
SAME_NETWORK = CG + "sameNetwork"
MAPPED_THEME = CG + "mappedTheme"
RULES = (
    SAME_ACTIVITY_IN_LOCALITY,
    SHARED_VALUE,
    SHARED_THEME,
    SHARED_COMMONS,
    SAME_NETWORK,
    MAPPED_THEME,
)


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The two organisations of a relation in a fixed order (a relation has no direction)."""
    return (a, b) if a < b else (b, a)


def relation_iri(a: str, b: str) -> NamedNode:
    """The stable IRI of the derived relation between `a` and `b` (either order)."""
    first, second = pair_key(a, b)
    digest = hashlib.sha256(f"{first} {second}".encode()).hexdigest()[:20]
    return NamedNode(RELATION_PREFIX + digest)
