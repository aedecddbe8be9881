"""Contributions both validation engines are tried on: the shape test cases, the examples, the
seed's files, and additions to an organisation that already exists."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.store import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise

ROOT = Path(__file__).parents[2]
POSITIVE_INTEGER = "xsd:positiveInteger"
# Geometries (geo:wktLiteral) are not among the datatypes both engines judge alike: pyshacl.
WKT = "geo:wktLiteral"
# Datatypes whose lexical forms the compiled checks do not verify: pyshacl decides.
UNVERIFIED = (POSITIVE_INTEGER, WKT, "cg:CompaniesHouseNumber", "cg:MutualsRegisterNumber")
CASES = [
    *sorted((ROOT / "tests" / "shapes").glob("*/*.ttl")),
    *sorted((ROOT / "examples" / "contributions").glob("*.ttl")),
    *sorted((ROOT / "data").rglob("*.ttl")),
]


# Statements added to an organisation that already exists (it is not typed again): only the
# checks along the stated paths run on it, the others cannot blame the contribution.
PREFIXES = """
@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix organisation: <https://w3id.org/commons-graph/id/organisation/> .
@prefix commons: <https://w3id.org/commons-graph/id/commons/> .
"""
EXISTING = "organisation:ouishare"
ADDITIONS = {
    "a-value": (f"{EXISTING} cg:holdsValue <https://w3id.org/commons-graph/value/sharing> .", True),
    "a-commons": (f"{EXISTING} cg:stewards commons:wikidata .", True),
    "a-theme-as-value": (
        f"{EXISTING} cg:holdsValue <https://w3id.org/commons-graph/theme/ecological-transition> .",
        False,
    ),
    "a-literal-homepage": (f'{EXISTING} foaf:homepage "ouishare.net" .', False),
    "a-second-founding-date": (f'{EXISTING} schema:foundingDate "2013"^^xsd:gYear .', False),
    "an-ill-typed-founding-date": (
        f'{EXISTING} schema:foundingDate "2012-13-45"^^xsd:date .',
        False,
    ),
    "a-commons-missing-its-kind": (
        f"{EXISTING} cg:stewards commons:new . commons:new a cg:Commons ; "
        'rdfs:label "New"@en , "Nouveau"@fr .',
        False,
    ),
}


def turtle_triples(text: str) -> list[ox.Triple]:
    turtle = PREFIXES + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + text
    quads = ox.parse(input=turtle.encode(), format=ox.RdfFormat.TURTLE)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def file_triples(path: Path) -> list[ox.Triple]:
    quads = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def seeded_store(factory: pytest.TempPathFactory, name: str) -> Iterator[Store]:
    """A seeded embedded store for a module's cases (checking reads it, never writes)."""
    store = EmbeddedStore(factory.mktemp(name) / "store")
    initialise(store)
    yield store
    store.close()
