"""The VoID + DCAT description of the dataset, with statistics counted from the store."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.namespaces import DCAT, DCTERMS, VOID
from commons_graph.store.base import Store
from commons_graph.views.curies import namespace_of
from commons_graph.views.datasets import datasets_of_graphs
from commons_graph.views.sparql import as_int

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")
CC_BY = NamedNode("https://creativecommons.org/licenses/by/4.0/")
CC_ATTRIBUTION_NAME = NamedNode("http://creativecommons.org/ns#attributionName")

# The dumps offered, by extension: /dump.<ext> (the order of the distributions listed).
DUMP_EXTENSIONS = ("ttl", "nt", "nq", "trig", "jsonld")

_TITLES = {"en": "commons-graph", "fr": "commons-graph"}
_DESCRIPTIONS = {
    "en": "A linked-data knowledge graph of commons and of the actors around them: "
    "organisations, their values and themes, the commons they steward, their events.",
    "fr": "Un graphe de connaissances en données liées sur les communs et les acteurs qui les "
    "entourent : organisations, leurs valeurs et thèmes, les communs dont elles prennent soin, "
    "leurs événements.",
}

# Every statistic counts distinct triples of the union of all graphs: what SPARQL clients see.
_DISTINCT = "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
_TOTALS = f"""
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties)
       (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE {_DISTINCT}
"""
_ENTITIES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
_CLASSES = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c
"""
_PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {_DISTINCT} GROUP BY ?p ORDER BY ?p"


def dataset_iri(base_iri: str) -> str:
    """The IRI of the whole dataset; the SPARQL service description points to it."""
    return base_iri + ".well-known/void#dataset"


@dataclass(frozen=True)
class Statistics:
    """Counts of the dataset, as VoID states them."""

    triples: int
    entities: int
    properties: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int]
    property_triples: dict[str, int]


def statistics(store: Store) -> Statistics:
    """Count triples, entities (IRI subjects), classes and properties: four queries."""
    totals = store.select(_TOTALS).dicts()[0]
    classes = {
        row[0].value: as_int(row[1])
        for row in store.select(_CLASSES).rows
        if isinstance(row[0], NamedNode)
    }
    properties = {
        row[0].value: as_int(row[1])
        for row in store.select(_PROPERTIES).rows
        if isinstance(row[0], NamedNode)
    }
    return Statistics(
        triples=as_int(totals.get("triples")),
        entities=as_int(store.select(_ENTITIES).rows[0][0]),
        properties=as_int(totals.get("properties")),
        distinct_subjects=as_int(totals.get("subjects")),
        distinct_objects=as_int(totals.get("objects")),
        classes=classes,
        property_triples=properties,
    )


def void_description(
    store: Store, base_iri: str, server: str, stats: Statistics | None = None
) -> list[Triple]:
    """The VoID + DCAT triples of the dataset; `server` is where dumps and /sparql are served."""
    dataset = NamedNode(dataset_iri(base_iri))
    server = server.rstrip("/")
    stats = stats or statistics(store)
    out: list[Triple] = []

    def add(subject: NamedNode | BlankNode, predicate: str, obj: object) -> None:
        out.append(Triple(subject, NamedNode(predicate), obj))  # type: ignore[arg-type]

    def count(value: int) -> Literal:
        return Literal(str(value), datatype=XSD_INTEGER)

    add(dataset, RDF_TYPE.value, NamedNode(VOID + "Dataset"))
    add(dataset, RDF_TYPE.value, NamedNode(DCAT + "Dataset"))
    for lang in LANGUAGES:
        add(dataset, DCTERMS + "title", Literal(_TITLES[lang], language=lang))
        add(dataset, DCTERMS + "description", Literal(_DESCRIPTIONS[lang], language=lang))
    add(dataset, DCTERMS + "license", CC_BY)
    add(dataset, VOID + "uriSpace", Literal(base_iri))
    add(dataset, VOID + "sparqlEndpoint", NamedNode(server + "/sparql"))
    add(dataset, VOID + "triples", count(stats.triples))
    add(dataset, VOID + "entities", count(stats.entities))
    add(dataset, VOID + "classes", count(len(stats.classes)))
    add(dataset, VOID + "properties", count(stats.properties))
    add(dataset, VOID + "distinctSubjects", count(stats.distinct_subjects))
    add(dataset, VOID + "distinctObjects", count(stats.distinct_objects))

    service = BlankNode()
    add(dataset, DCAT + "accessService", service)
    add(service, RDF_TYPE.value, NamedNode(DCAT + "DataService"))
    add(service, DCAT + "endpointURL", NamedNode(server + "/sparql"))
    add(service, DCAT + "servesDataset", dataset)

    for extension in DUMP_EXTENSIONS:
        fmt = rdf_format(extension)
        url = NamedNode(f"{server}/dump.{extension}")
        add(dataset, VOID + "dataDump", url)
        distribution = BlankNode()
        add(dataset, DCAT + "distribution", distribution)
        add(distribution, RDF_TYPE.value, NamedNode(DCAT + "Distribution"))
        add(distribution, DCAT + "downloadURL", url)
        add(distribution, DCAT + "accessURL", url)
        media = NamedNode("https://www.iana.org/assignments/media-types/" + fmt.media_type)
        add(distribution, DCAT + "mediaType", media)
        add(distribution, DCTERMS + "license", CC_BY)

    vocabularies = {namespace_of(iri) for iri in (*stats.classes, *stats.property_triples)}
    for namespace in sorted(vocabularies):
        add(dataset, VOID + "vocabulary", NamedNode(namespace))

    for cls, entities in stats.classes.items():
        partition = BlankNode()
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", NamedNode(cls))
        add(partition, VOID + "entities", count(entities))
    for prop, triples in stats.property_triples.items():
        partition = BlankNode()
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", NamedNode(prop))
        add(partition, VOID + "triples", count(triples))

    graphs = {graph.value for graph in store.named_graphs()}
    for info in datasets_of_graphs(store, graphs, "en"):
        subset = NamedNode(info.iri)
        add(dataset, VOID + "subset", subset)
        add(subset, RDF_TYPE.value, NamedNode(VOID + "Dataset"))
        add(subset, DCTERMS + "license", NamedNode(info.license))
        if info.title:
            add(subset, DCTERMS + "title", Literal(info.title))
        if info.attribution:
            add(subset, CC_ATTRIBUTION_NAME.value, Literal(info.attribution))
        if info.iri in graphs:
            add(subset, VOID + "triples", count(store.count(NamedNode(info.iri))))
    return out
