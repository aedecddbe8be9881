"""The project's IRIs and the namespaces of the vocabularies it reuses, defined once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

if TYPE_CHECKING:
    from rdflib import Namespace, URIRef
else:
    from commons_graph.rdf.lazy_namespace import Namespace

BASE = "https://w3id.org/commons-graph/"
CG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
SHAPES_IRI = BASE + "shapes"
# The whole dataset, as VoID describes it and the SPARQL service description names it.
DATASET_IRI = BASE + ".well-known/void#dataset"
GRAPH = Namespace(BASE + "graph/")
ID = Namespace(BASE + "id/")
# ONTOLOGY_GRAPH and SHAPES_GRAPH (rdflib terms) are made on first use: see __getattr__ below.

# Reused vocabularies (Namespace is a str: `SKOS + "prefLabel"` is a plain IRI string).
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ESSGLOBAL = Namespace("http://purl.org/essglobal/vocab/")
ESSGLOBAL_STANDARD = Namespace("http://purl.org/essglobal/standard/")
CC = Namespace("http://creativecommons.org/ns#")

# Terms used across the package, as pyoxigraph terms (`.value` is the IRI string).
RDF_TYPE = NamedNode(RDF + "type")
RDFS_LABEL = NamedNode(RDFS + "label")
RDFS_COMMENT = NamedNode(RDFS + "comment")
RDFS_SEE_ALSO = NamedNode(RDFS + "seeAlso")
OWL_SAME_AS = NamedNode(OWL + "sameAs")
OWL_VERSION_INFO = NamedNode(OWL + "versionInfo")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DECIMAL = NamedNode(XSD + "decimal")
XSD_DATETIME = NamedNode(XSD + "dateTime")
CC_ATTRIBUTION_NAME = NamedNode(CC + "attributionName")


def __getattr__(name: str) -> URIRef:
    """ONTOLOGY_GRAPH and SHAPES_GRAPH, rdflib terms made on first use (rdflib is imported
    then, not by every module that needs an IRI of this one)."""
    graphs = {"ONTOLOGY_GRAPH": "ontology", "SHAPES_GRAPH": "shapes"}
    if name in graphs:
        return GRAPH[graphs[name]]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    ONTOLOGY_GRAPH: URIRef
    SHAPES_GRAPH: URIRef
