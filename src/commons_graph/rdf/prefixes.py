"""The prefixes used in exports, the query editor and the CLI."""

from __future__ import annotations

from commons_graph.rdf import namespaces as ns

PREFIXES: dict[str, str] = {
    "cg": str(ns.CG),
    "cgid": str(ns.ID),
    "rdf": str(ns.RDF),
    "rdfs": str(ns.RDFS),
    "owl": str(ns.OWL),
    "xsd": str(ns.XSD),
    "skos": str(ns.SKOS),
    "dcterms": str(ns.DCTERMS),
    "foaf": str(ns.FOAF),
    "org": str(ns.ORG),
    "schema": str(ns.SCHEMA),
    "prov": str(ns.PROV),
    "dcat": str(ns.DCAT),
    "void": str(ns.VOID),
    "sh": str(ns.SH),
    "essglobal": str(ns.ESSGLOBAL),
}


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix, to put before a query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
