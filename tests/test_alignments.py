"""The ontology under an OWL 2 RL reasoner (owlrl): consistent, and the alignments infer what a
schema.org, W3C ORG or GeoSPARQL consumer expects."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import owlrl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, OWL, RDF, SDO, SKOS

# The closure takes ~4 s on the 2-core machine (once per process).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CG = Namespace("https://w3id.org/commons-graph/ontology#")
ID = Namespace("https://w3id.org/commons-graph/id/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
ESS = Namespace("http://purl.org/essglobal/vocab/")
ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
ONTOLOGY = URIRef("https://w3id.org/commons-graph/ontology")

# Instances of the kinds the importers and members write, beside the seed.
SAMPLE = """
@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix essglobal: <http://purl.org/essglobal/vocab/> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix id: <https://w3id.org/commons-graph/id/> .
@prefix schema: <https://schema.org/> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:coop a cg:Cooperative ; wgs:lat "53.48"^^xsd:decimal ;
    geo:hasGeometry <https://w3id.org/commons-graph/id/coop#geometry> .
<https://w3id.org/commons-graph/id/coop#geometry> geo:asWKT "POINT(-2.24 53.48)"^^geo:wktLiteral .
id:company a cg:Company .
id:council a cg:PublicBody .
id:initiative a essglobal:SSEInitiative ; essglobal:hasAddress id:initiative-address .
id:initiative-address a essglobal:Address .
"""


@cache
def closure() -> Graph:
    """Ontology, ESSGlobal vocabulary, seed data and the sample, closed under OWL 2 RL."""
    graph = Graph()
    graph.parse(ROOT / "ontology" / "commons-graph.ttl")
    graph.parse(ROOT / "vocabularies" / "essglobal" / "essglobal-vocab.ttl")
    for path in sorted((ROOT / "data").glob("*.ttl")):
        graph.parse(path)
    graph.parse(data=SAMPLE, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def types(subject: URIRef) -> set[URIRef]:
    return set(closure().objects(subject, RDF.type))  # type: ignore[arg-type]


def test_the_ontology_is_consistent() -> None:
    errors = [
        str(closure().value(m, URIRef(str(ERROR).replace("ErrorMessage", "error"))))
        for m in closure().subjects(RDF.type, ERROR)
    ]
    assert errors == []
    assert not set(closure().subjects(RDF.type, OWL.Nothing))


def test_the_ontology_has_a_version_iri() -> None:
    version = closure().value(ONTOLOGY, OWL.versionIRI)
    info = closure().value(ONTOLOGY, OWL.versionInfo)
    assert isinstance(info, Literal)
    assert version == URIRef(f"{ONTOLOGY}/{info}")


def test_every_organisation_is_a_schema_organization() -> None:
    for organisation in (
        ID["organisation/ouishare"],
        ID["organisation/commons-to-commons"],
        ID.coop,
        ID.company,
        ID.council,
        ID.initiative,
    ):
        assert {ORG.Organization, SDO.Organization} <= types(organisation), organisation
    assert SDO.Corporation in types(ID.company)
    assert SDO.GovernmentOrganization in types(ID.council)
    assert ORG.FormalOrganization in types(ID.coop)


def test_what_has_a_geometry_is_a_geosparql_feature() -> None:
    assert GEO.Feature in types(ID.coop)
    assert GEO.Geometry in types(URIRef(ID.coop + "#geometry"))
    assert closure().value(ID.coop, SDO.latitude) is not None  # W3C Basic Geo read as schema.org
    for place in (ID["place/paris"], ID["place/rio-de-janeiro"]):
        assert {SDO.Place, GEO.Feature} <= types(place)
        geometry = closure().value(place, GEO.hasGeometry)
        wkt = closure().value(geometry, GEO.asWKT)
        assert str(wkt).startswith("POINT(")


def test_essglobal_addresses_read_as_schema_addresses() -> None:
    assert (ID.initiative, SDO.address, ID["initiative-address"]) in closure()
    assert SDO.PostalAddress in types(ID["initiative-address"])


def test_classes_are_not_made_skos_concepts() -> None:
    """No SKOS mapping on an OWL class: a SKOS-aware reader would take the class for a concept."""
    mappings = (
        SKOS.exactMatch,
        SKOS.closeMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
        SKOS.relatedMatch,
    )
    ontology = Graph().parse(ROOT / "ontology" / "commons-graph.ttl")
    for mapping in mappings:
        assert not list(ontology.subject_objects(mapping)), mapping
