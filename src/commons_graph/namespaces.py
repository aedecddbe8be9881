"""The project's IRIs: ontology namespace, minted resources, named graphs."""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/commons-graph/"
CG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
SHAPES_IRI = BASE + "shapes"
GRAPH = Namespace(BASE + "graph/")
ID = Namespace(BASE + "id/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
ESSGLOBAL = Namespace("http://purl.org/essglobal/vocab/")
ESSGLOBAL_STANDARD = Namespace("http://purl.org/essglobal/standard/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
SHAPES_GRAPH = GRAPH["shapes"]
