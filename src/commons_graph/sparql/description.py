"""The SPARQL 1.1 Service Description of the endpoint, as an RDF graph."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from commons_graph.rdf.namespaces import DATASET_IRI
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.sparql.extensions import GEOF, Extension

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

# The W3C format IRIs of what the endpoint writes (http://www.w3.org/ns/formats/).
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(
    endpoint: str,
    void_url: str,
    graphs: Iterable[str],
    extensions: Iterable[Extension] = (),
) -> Graph:
    """The sd:Service at `endpoint`, its formats, features, extension functions (those the
    store was seen to evaluate: sparql/extensions.py) and default dataset."""
    graph = Graph()
    for prefix in ("rdfs", "void", "dcterms"):
        graph.bind(prefix, PREFIXES[prefix])
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, RDFS.label, Literal("commons-graph SPARQL endpoint", lang="en")))
    graph.add((service, RDFS.label, Literal("Point d'accès SPARQL de commons-graph", lang="fr")))
    for name in RESULT_FORMAT_IRIS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.bind("geof", GEOF)
    for extension in extensions:
        function = URIRef(extension.iri)
        graph.add((service, SD.extensionFunction, function))
        graph.add((function, RDF.type, SD.Function))
        graph.add((function, RDFS.label, Literal(extension.label, lang="en")))
    dataset = URIRef(DATASET_IRI)
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(void_url)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add(
        (
            default_graph,
            RDFS.comment,
            Literal("The union of all named graphs of the store.", lang="en"),
        )
    )
    for iri in graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(iri)))
    return graph
