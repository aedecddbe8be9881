"""The fixed query mix: six kinds of query a researcher sends, each in many variants."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.generate import BASE, ID, TOPIC_WORDS, VALUES, Sizes

PROLOGUE = (
    "PREFIX cg: <https://w3id.org/commons-graph/ontology#>\n"
    "PREFIX org: <http://www.w3.org/ns/org#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "PREFIX schema: <https://schema.org/>\n"
)


@dataclass(frozen=True)
class QueryKind:
    """One kind of the mix: its name, whether it is heavy, and its variants."""

    name: str
    heavy: bool
    description: str
    variants: tuple[str, ...]


def _org(i: int) -> str:
    return f"<{ID}organisation/org-{i}>"


def query_mix(sizes: Sizes, variants: int = 64, seed: int = 7) -> list[QueryKind]:
    """The six kinds, each with `variants` queries over resources that exist at `sizes`."""
    r = random.Random(seed)
    orgs = [r.randrange(sizes.organisations) for _ in range(variants)]
    words = [TOPIC_WORDS[i % len(TOPIC_WORDS)] for i in range(variants)]
    values = [VALUES[i % len(VALUES)] for i in range(variants)]
    pages = [r.randrange(min(50, max(1, sizes.organisations // 120))) for _ in range(variants)]
    point = tuple(PROLOGUE + f"SELECT ?p ?o WHERE {{ {_org(i)} ?p ?o }}" for i in orgs)
    join = tuple(
        PROLOGUE + "SELECT ?partner ?commons ?label WHERE {\n"
        f"  {_org(i)} cg:partnerOf ?partner .\n"
        "  ?partner cg:stewards|cg:uses ?commons .\n"
        "  ?commons rdfs:label ?label FILTER(lang(?label) = 'en')\n}"
        for i in orgs
    )
    aggregate = tuple(
        PROLOGUE + "SELECT ?kind (COUNT(DISTINCT ?org) AS ?organisations) WHERE {\n"
        f"  ?org cg:holdsValue <{BASE}value/{v}> ; cg:stewards ?commons .\n"
        "  ?commons cg:commonsKind ?kind\n} GROUP BY ?kind ORDER BY DESC(?organisations)"
        for v in values
    )
    text = tuple(
        PROLOGUE + "SELECT ?org ?label WHERE {\n  ?org a org:Organization ; rdfs:label ?label .\n"
        f"  FILTER(CONTAINS(LCASE(STR(?label)), '{w}'))\n}} LIMIT 50"
        for w in words
    )
    optional = tuple(
        PROLOGUE + "SELECT ?org ?label ?description ?homepage ?founded ?place WHERE {\n"
        "  ?org a cg:Cooperative .\n"
        "  OPTIONAL { ?org rdfs:label ?label FILTER(lang(?label) = 'en') }\n"
        "  OPTIONAL { ?org dcterms:description ?description FILTER(lang(?description) = 'en') }\n"
        "  OPTIONAL { ?org foaf:homepage ?homepage }\n"
        "  OPTIONAL { ?org schema:foundingDate ?founded }\n"
        "  OPTIONAL { ?org schema:location ?where . ?where rdfs:label ?place\n"
        "             FILTER(lang(?place) = 'en') }\n"
        f"}} ORDER BY ?label LIMIT 20 OFFSET {20 * p}"
        for p in pages
    )
    path = tuple(
        PROLOGUE + "SELECT DISTINCT ?reached WHERE {\n"
        f"  {_org(i)} (cg:partnerOf|org:memberOf)/(cg:partnerOf|org:memberOf)/cg:stewards"
        " ?reached\n"
        "}"
        for i in orgs
    )
    return [
        QueryKind("point lookup", False, "every statement about one organisation", point),
        QueryKind("2-hop join", False, "partners' commons and their English names", join),
        QueryKind("aggregate", True, "commons kinds stewarded by holders of a value", aggregate),
        QueryKind("text filter", True, "organisations whose name contains a word", text),
        QueryKind("optional paging", True, "a sorted page of cooperatives, 5 OPTIONALs", optional),
        QueryKind("property path", False, "commons two partner/member steps away", path),
    ]
