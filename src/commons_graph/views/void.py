"""The VoID + DCAT description of the dataset, with statistics counted from the store."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.namespaces import (
    BASE,
    CC_ATTRIBUTION_NAME,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    RDF_TYPE,
    VOID,
    XSD_INTEGER,
)
from commons_graph.store.base import Store
from commons_graph.store.statistics import Statistics, statistics
from commons_graph.views.curies import namespace_of
from commons_graph.views.datasets import datasets_of_graphs

CC_BY = NamedNode("https://creativecommons.org/licenses/by/4.0/")

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


def void_description(store: Store, server: str, stats: Statistics | None = None) -> list[Triple]:
    """The VoID + DCAT triples of the dataset; `server` is where dumps and /sparql are served."""
    dataset = NamedNode(DATASET_IRI)
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
    add(dataset, VOID + "uriSpace", Literal(BASE))
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
