"""How a resource page groups its relations by meaning: (property, direction) -> group."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.rdf.namespaces import CG, ORG, RDF_TYPE, SCHEMA, SKOS


@dataclass(frozen=True)
class GroupSpec:
    """A named group of relations; `key` is its message key, `order` its place on the page."""

    key: str
    order: int


# Each entry: (property IRI, True when the resource is the statement's object) -> group.
# Symmetric relations map both directions to one group.
GROUPS: dict[tuple[str, bool], GroupSpec] = {
    (CG + "holdsValue", False): GroupSpec("group.values", 10),
    (CG + "worksOn", False): GroupSpec("group.themes", 11),
    (CG + "commonsKind", False): GroupSpec("group.commons_kind", 12),
    (CG + "stewards", False): GroupSpec("group.stewards", 20),
    (CG + "contributesTo", False): GroupSpec("group.contributes_to", 21),
    (CG + "uses", False): GroupSpec("group.uses", 22),
    (CG + "stewards", True): GroupSpec("group.stewarded_by", 23),
    (CG + "contributesTo", True): GroupSpec("group.contributors", 24),
    (CG + "uses", True): GroupSpec("group.used_by", 25),
    (ORG + "memberOf", False): GroupSpec("group.member_of", 30),
    (ORG + "memberOf", True): GroupSpec("group.members", 31),
    (CG + "partnerOf", False): GroupSpec("group.partners", 32),
    (CG + "partnerOf", True): GroupSpec("group.partners", 32),
    (ORG + "subOrganizationOf", False): GroupSpec("group.part_of", 33),
    (ORG + "subOrganizationOf", True): GroupSpec("group.sub_organisations", 34),
    (ORG + "hasSubOrganization", False): GroupSpec("group.sub_organisations", 34),
    (CG + "organises", False): GroupSpec("group.organises", 40),
    (CG + "takesPartIn", False): GroupSpec("group.takes_part_in", 41),
    (CG + "organises", True): GroupSpec("group.organised_by", 42),
    (SCHEMA + "organizer", False): GroupSpec("group.organised_by", 42),
    (CG + "takesPartIn", True): GroupSpec("group.participants", 43),
    (SCHEMA + "attendee", False): GroupSpec("group.participants", 43),
    (SCHEMA + "location", False): GroupSpec("group.place", 50),
    (SCHEMA + "foundingLocation", False): GroupSpec("group.place", 50),
    (SCHEMA + "location", True): GroupSpec("group.happens_here", 51),
    (SCHEMA + "foundingLocation", True): GroupSpec("group.founded_here", 52),
    (CG + "holdsValue", True): GroupSpec("group.held_by", 60),
    (CG + "worksOn", True): GroupSpec("group.worked_on_by", 61),
    (CG + "commonsKind", True): GroupSpec("group.commons_of_kind", 62),
    (CG + "codeSocialOf", True): GroupSpec("group.codesocial", 70),
    (CG + "codeSocialOf", False): GroupSpec("group.codesocial_of", 71),
    (CG + "concernsValue", True): GroupSpec("group.principles", 72),
    (CG + "concernsCommons", True): GroupSpec("group.principles", 72),
    (SKOS + "inScheme", False): GroupSpec("group.in_scheme", 80),
    (SKOS + "topConceptOf", False): GroupSpec("group.in_scheme", 80),
    (SKOS + "inScheme", True): GroupSpec("group.concepts", 81),
    (SKOS + "broader", False): GroupSpec("group.broader", 82),
    (SKOS + "narrower", False): GroupSpec("group.narrower", 83),
    (SKOS + "broader", True): GroupSpec("group.narrower", 83),
    (SKOS + "related", False): GroupSpec("group.related", 84),
    (SKOS + "related", True): GroupSpec("group.related", 84),
}

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# Properties shown elsewhere on the page (title, kind badges) or redundant with a group.
HIDDEN: frozenset[tuple[str, bool]] = frozenset(
    {
        (RDF_TYPE.value, False),
        (SKOS + "topConceptOf", True),
        (SKOS + "hasTopConcept", False),
        # The history's reified statements (what a contribution version added or removed)
        # name the resource: the history is its own page, not a relation of the resource.
        (_RDF + "subject", True),
        (_RDF + "object", True),
    }
)

# Literal properties that describe the resource in prose, in order of preference.
DESCRIPTION_PROPERTIES = (
    SKOS + "definition",
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)

# Order of other groups: outgoing relations first, then incoming ones, each by property label.
OTHER_OUTGOING = 90
OTHER_INCOMING = 95
