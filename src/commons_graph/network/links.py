"""Which statements of the store are links between resources, and of what kind.

A link is a statement `subject predicate object` between two IRIs that both name resources
(the object is itself the subject of some statement), in a graph of data: stated by members,
shipped in the seed, brought by an import, or derived. Left out, as plumbing rather than
relations between resources: `rdf:type` (a resource and its class), the graphs of the model
and its history (ontology, shapes, vocabularies, concept schemes, provenance, bootstrap, sealed
#CodeSocial versions), a few bookkeeping predicates (`void:inDataset`, PROV, licences,
`skos:inScheme`, `owl:sameAs`, `rdfs:seeAlso`) and a resource's own hash-IRI parts (its
`#address`, `#geometry`). A link in the derived-relations graph is *derived*; every other link
is *stated*.
"""

from __future__ import annotations

from commons_graph.rdf.namespaces import (
    CG,
    DCTERMS,
    ESSGLOBAL,
    GRAPH,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VOID,
)

DERIVED_GRAPH = str(GRAPH["derived-relations"])
RELATED_TO = CG + "relatedTo"

# Graphs whose statements are never links (the model, its rules and its history).
EXCLUDED_GRAPH_PREFIXES: tuple[str, ...] = (
    str(GRAPH["ontology"]),
    str(GRAPH["shapes"]),
    str(GRAPH["vocabulary/"]),
    str(GRAPH["seed/schemes/"]),
    str(GRAPH["provenance"]),
    str(GRAPH["bootstrap"]),
    str(GRAPH["codesocial/"]),
)
EXCLUDED_PREDICATES = frozenset(
    {
        RDF + "type",
        VOID + "inDataset",
        DCTERMS + "license",
        DCTERMS + "conformsTo",
        SKOS + "inScheme",
        SKOS + "topConceptOf",
        SKOS + "hasTopConcept",
        OWL + "sameAs",
        RDFS + "seeAlso",
        RDFS + "isDefinedBy",
    }
)
EXCLUDED_PREDICATE_PREFIXES: tuple[str, ...] = (str(PROV),)

# Relation kinds (the `kinds` a view selects): predicate -> kind; "related" is every derived
# link, "other" every stated link not named here.
RELATION_KINDS: dict[str, str] = {
    ORG + "memberOf": "membership",
    ORG + "hasMember": "membership",
    ORG + "subOrganizationOf": "membership",
    ORG + "hasSubOrganization": "membership",
    ORG + "organization": "membership",
    ORG + "member": "membership",
    CG + "partnerOf": "partnership",
    CG + "holdsValue": "values",
    CG + "concernsValue": "values",
    CG + "worksOn": "themes",
    CG + "stewards": "commons",
    CG + "contributesTo": "commons",
    CG + "uses": "commons",
    CG + "concernsCommons": "commons",
    CG + "commonsKind": "commons",
    CG + "organises": "events",
    CG + "takesPartIn": "events",
    ESSGLOBAL + "economicSector": "activity",
    ESSGLOBAL + "primarySector": "activity",
    ESSGLOBAL + "organisationalStructure": "activity",
    ESSGLOBAL + "baseMembershipType": "activity",
    ESSGLOBAL + "legalForm": "activity",
    ESSGLOBAL + "qualifier": "activity",
    SCHEMA + "foundingLocation": "place",
    SCHEMA + "location": "place",
    SCHEMA + "containedInPlace": "place",
    SCHEMA + "areaServed": "place",
    ORG + "hasSite": "place",
    ORG + "basedAt": "place",
}
RELATED = "related"
OTHER = "other"
ALL_KINDS: tuple[str, ...] = (
    *dict.fromkeys(RELATION_KINDS.values()),
    RELATED,
    OTHER,
)


def is_link_graph(graph: str) -> bool:
    """Whether statements in `graph` may be links (data, not the model or its history)."""
    return not graph.startswith(EXCLUDED_GRAPH_PREFIXES)


def is_link_predicate(predicate: str) -> bool:
    """Whether `predicate` may relate two resources (not typing or bookkeeping)."""
    return predicate not in EXCLUDED_PREDICATES and not predicate.startswith(
        EXCLUDED_PREDICATE_PREFIXES
    )


def is_own_part(subject: str, obj: str) -> bool:
    """Whether `obj` is a hash-IRI part of `subject` (its #address), which travels with it."""
    return obj.startswith(subject + "#")


def relation_kind(predicate: str, derived: bool) -> str:
    """The relation kind of a link."""
    return RELATED if derived else RELATION_KINDS.get(predicate, OTHER)
