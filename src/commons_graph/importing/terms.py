"""The IRIs the importer writes, as pyoxigraph terms (built once, reused for every row)."""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from commons_graph.importing.kinds import KIND_CLASSES
from commons_graph.rdf.namespaces import (
    CG,
    DCTERMS,
    ESSGLOBAL,
    GRAPH,
    ID,
    ORG,
    PROV,
    SCHEMA,
    VOID,
)

DC_TITLE = NamedNode(DCTERMS + "title")
DC_DESCRIPTION = NamedNode(DCTERMS + "description")
DC_IDENTIFIER = NamedNode(DCTERMS + "identifier")
DC_SOURCE = NamedNode(DCTERMS + "source")
DC_LICENSE = NamedNode(DCTERMS + "license")
DC_RIGHTS = NamedNode(DCTERMS + "rights")
DC_MODIFIED = NamedNode(DCTERMS + "modified")
DC_CONFORMS_TO = NamedNode(DCTERMS + "conformsTo")

ORG_ORGANIZATION = NamedNode(ORG + "Organization")
ORG_IDENTIFIER = NamedNode(ORG + "identifier")
FOAF_HOMEPAGE = NamedNode("http://xmlns.com/foaf/0.1/homepage")

SCHEMA_ADDRESS = NamedNode(SCHEMA + "address")
SCHEMA_POSTAL_ADDRESS = NamedNode(SCHEMA + "PostalAddress")
SCHEMA_STREET = NamedNode(SCHEMA + "streetAddress")
SCHEMA_LOCALITY = NamedNode(SCHEMA + "addressLocality")
SCHEMA_REGION = NamedNode(SCHEMA + "addressRegion")
SCHEMA_POSTCODE = NamedNode(SCHEMA + "postalCode")
SCHEMA_COUNTRY = NamedNode(SCHEMA + "addressCountry")
SCHEMA_KEYWORDS = NamedNode(SCHEMA + "keywords")

WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
WGS84_LAT = NamedNode(WGS84 + "lat")
WGS84_LONG = NamedNode(WGS84 + "long")
GEOSPARQL = "http://www.opengis.net/ont/geosparql#"
GEO_HAS_GEOMETRY = NamedNode(GEOSPARQL + "hasGeometry")
GEO_GEOMETRY = NamedNode(GEOSPARQL + "Geometry")
GEO_AS_WKT = NamedNode(GEOSPARQL + "asWKT")
GEO_WKT_LITERAL = NamedNode(GEOSPARQL + "wktLiteral")
GEO_SF_WITHIN = NamedNode(GEOSPARQL + "sfWithin")

ESS_SSE_INITIATIVE = NamedNode(ESSGLOBAL + "SSEInitiative")
ESS_ORGANISATIONAL_STRUCTURE = NamedNode(ESSGLOBAL + "organisationalStructure")
ESS_PRIMARY_SECTOR = NamedNode(ESSGLOBAL + "primarySector")
ESS_ADDITIONAL_SECTORS = NamedNode(ESSGLOBAL + "additionalSectors")
ESS_ECONOMIC_SECTOR = NamedNode(ESSGLOBAL + "economicSector")
ESS_BASE_MEMBERSHIP_TYPE = NamedNode(ESSGLOBAL + "baseMembershipType")
ESS_QUALIFIER = NamedNode(ESSGLOBAL + "qualifier")
ESS_LEGAL_FORM = NamedNode(ESSGLOBAL + "legalForm")

VOID_DATASET = NamedNode(VOID + "Dataset")
VOID_IN_DATASET = NamedNode(VOID + "inDataset")
VOID_TRIPLES = NamedNode(VOID + "triples")
VOID_ENTITIES = NamedNode(VOID + "entities")
VOID_DATA_DUMP = NamedNode(VOID + "dataDump")
DCAT_DATASET = NamedNode("http://www.w3.org/ns/dcat#Dataset")

PROV_ACTIVITY = NamedNode(PROV + "Activity")
PROV_SOFTWARE_AGENT = NamedNode(PROV + "SoftwareAgent")
PROV_STARTED = NamedNode(PROV + "startedAtTime")
PROV_ENDED = NamedNode(PROV + "endedAtTime")
PROV_USED = NamedNode(PROV + "used")
PROV_ASSOCIATED_WITH = NamedNode(PROV + "wasAssociatedWith")
PROV_GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")
PROV_GENERATED_AT = NamedNode(PROV + "generatedAtTime")
PROV_DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")


# The kinds of organisation of the ontology, by the name the CLI accepts.
KINDS: dict[str, NamedNode] = {name: NamedNode(CG + local) for name, local in KIND_CLASSES.items()}

# Which ontology kind an ESSGlobal organisational structure says (codes not listed say none:
# e.g. OS130 "Community Benefit Society / IPS" may or may not be a co-operative).
KIND_OF_STRUCTURE: dict[str, str] = {
    "OS10": "collective",
    "OS20": "association",
    "OS50": "company",
    "OS120": "company",
    "OS60": "cooperative",
    "OS70": "cooperative",
    "OS80": "cooperative",
    "OS90": "cooperative",
    "OS100": "cooperative",
    "OS110": "cooperative",
    "OS115": "cooperative",
    "OS210": "cooperative",
    "OS240": "cooperative",
    "OS180": "network",
    "OS190": "network",
    "OS200": "network",
    "OS230": "network",
    "OS220": "public-body",
}

_DATASET_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


def is_dataset_name(name: str) -> bool:
    """Whether `name` can name a dataset: lowercase letters, digits and inner hyphens."""
    return bool(_DATASET_NAME.match(name))


def slug(text: str) -> str:
    """`text` as an IRI path segment: lowercase ASCII letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def dataset_iri(name: str) -> NamedNode:
    """The IRI of the dataset named `name` (its metadata live on it)."""
    return NamedNode(ID[f"dataset/{name}"])


def dataset_graph(name: str) -> NamedNode:
    """The named graph holding everything the dataset `name` brought."""
    return NamedNode(GRAPH[f"dataset/{name}"])


def organisation_iri(dataset: str, identifier: str) -> NamedNode:
    """The IRI minted for the organisation of row `identifier` of dataset `dataset`."""
    return NamedNode(ID[f"organisation/{dataset}-{slug(identifier)}"])


# Columns that carry meaning (legal form, industry, ownership) and typed identifiers.
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_NOTATION = NamedNode(SKOS + "notation")
ADMS = "http://www.w3.org/ns/adms#"
ADMS_IDENTIFIER = NamedNode(ADMS + "identifier")
ADMS_IDENTIFIER_CLASS = NamedNode(ADMS + "Identifier")
ADMS_SCHEMA_AGENCY = NamedNode(ADMS + "schemaAgency")
SCHEMA_IDENTIFIER = NamedNode(SCHEMA + "identifier")
SCHEMA_PROPERTY_VALUE = NamedNode(SCHEMA + "PropertyValue")
SCHEMA_PROPERTY_ID = NamedNode(SCHEMA + "propertyID")
SCHEMA_VALUE = NamedNode(SCHEMA + "value")
CG_INDUSTRY = NamedNode(CG + "industry")
CG_OWNERSHIP = NamedNode(CG + "ownership")
CG_COMPANIES_HOUSE_NUMBER = NamedNode(CG + "CompaniesHouseNumber")
CG_MUTUALS_REGISTER_NUMBER = NamedNode(CG + "MutualsRegisterNumber")
RDFS_DATATYPE = NamedNode("http://www.w3.org/2000/01/rdf-schema#Datatype")
