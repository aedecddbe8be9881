"""The VoID + DCAT description of the dataset: statistics, sources (subsets), distributions."""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.namespaces import (
    BASE,
    CC_ATTRIBUTION_NAME,
    DATASET_IRI,
    DCAT,
    DCTERMS,
    OWL_VERSION_INFO,
    PROV,
    RDF_TYPE,
    RDFS_LABEL,
    VOID,
    XSD_DATETIME,
    XSD_INTEGER,
)
from commons_graph.store.base import Store
from commons_graph.store.statistics import Statistics, statistics
from commons_graph.views.curies import namespace_of
from commons_graph.views.sources import Source, sources

# The dumps offered, by extension: /dump.<ext> (the order of the distributions listed), each
# also as a gzip file /dump.<ext>.gz.
DUMP_EXTENSIONS = ("ttl", "nt", "nq", "trig", "jsonld")
GZIP = ".gz"
GZIP_MEDIA = NamedNode("http://www.iana.org/assignments/media-types/application/gzip")

_RIGHTS = {
    "en": "A collection of datasets under several licences (and some under none declared): "
    "each subset (void:subset) states its own licence and attribution, which reuse of its "
    "statements must follow.",
    "fr": "Une collection de jeux de données sous plusieurs licences (et certains sans licence "
    "déclarée) : chaque sous-ensemble (void:subset) indique sa licence et son attribution, que "
    "toute réutilisation de ses données doit respecter.",
}

_TITLES = {"en": "commons-graph", "fr": "commons-graph"}
_DESCRIPTIONS = {
    "en": "A linked-data knowledge graph of commons and of the actors around them: "
    "organisations, their values and themes, the commons they steward, their events.",
    "fr": "Un graphe de connaissances en données liées sur les communs et les acteurs qui les "
    "entourent : organisations, leurs valeurs et thèmes, les communs dont elles prennent soin, "
    "leurs événements.",
}


def void_description(
    store: Store,
    server: str,
    stats: Statistics | None = None,
    *,
    parts: list[Source] | None = None,
    version: str | None = None,
    sizes: Mapping[str, int] | None = None,
) -> list[Triple]:
    """The VoID + DCAT triples of the dataset; `server` is where dumps and /sparql are served.

    `parts` are the sources (counted again when not given), `version` the store's content
    version the dumps are written from, `sizes` the byte size of each dump file (by its name,
    `dump.nq.gz`) where one was written for this version.
    """
    dataset = NamedNode(DATASET_IRI)
    server = server.rstrip("/")
    stats = stats or statistics(store)
    parts = sources(store) if parts is None else parts
    sizes = sizes or {}
    out: list[Triple] = []

    def add(subject: NamedNode | BlankNode, predicate: str, obj: object) -> None:
        out.append(Triple(subject, NamedNode(predicate), obj))  # type: ignore[arg-type]

    def count(value: int) -> Literal:
        return Literal(str(value), datatype=XSD_INTEGER)

    def when(value: str) -> Literal:
        return Literal(value, datatype=XSD_DATETIME)

    modified = max((p.modified for p in parts if p.modified), default=None)
    created = min((p.created for p in parts if p.created), default=None)
    add(dataset, RDF_TYPE.value, NamedNode(VOID + "Dataset"))
    add(dataset, RDF_TYPE.value, NamedNode(DCAT + "Dataset"))
    for lang in LANGUAGES:
        add(dataset, DCTERMS + "title", Literal(_TITLES[lang], language=lang))
        add(dataset, DCTERMS + "description", Literal(_DESCRIPTIONS[lang], language=lang))
    rights = BlankNode()
    add(dataset, DCTERMS + "rights", rights)
    add(rights, RDF_TYPE.value, NamedNode(DCTERMS + "RightsStatement"))
    for lang in LANGUAGES:
        add(rights, RDFS_LABEL.value, Literal(_RIGHTS[lang], language=lang))
    if created:
        add(dataset, DCTERMS + "created", when(created))
    if modified:
        add(dataset, DCTERMS + "modified", when(modified))
    if version:
        add(dataset, OWL_VERSION_INFO.value, Literal(version))
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
        for suffix in ("", GZIP):
            name = f"dump.{extension}{suffix}"
            url = NamedNode(f"{server}/{name}")
            add(dataset, VOID + "dataDump", url)
            distribution = BlankNode()
            add(dataset, DCAT + "distribution", distribution)
            add(distribution, RDF_TYPE.value, NamedNode(DCAT + "Distribution"))
            add(distribution, DCAT + "downloadURL", url)
            add(distribution, DCAT + "accessURL", url)
            media = NamedNode("https://www.iana.org/assignments/media-types/" + fmt.media_type)
            add(distribution, DCAT + "mediaType", media)
            if suffix:
                add(distribution, DCAT + "compressFormat", GZIP_MEDIA)
            add(distribution, DCTERMS + "rights", rights)
            if modified:
                add(distribution, DCTERMS + "modified", when(modified))
            if version:
                add(distribution, OWL_VERSION_INFO.value, Literal(version))
            if name in sizes:
                add(distribution, DCAT + "byteSize", count(sizes[name]))

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

    for part in parts:
        out.extend(_subset(dataset, part))
    return out


def _subset(dataset: NamedNode, part: Source) -> list[Triple]:
    """The VoID subset of one source: licence or rights, attribution, count, dates, provenance."""
    subset = NamedNode(part.iri)

    def triple(predicate: str, obj: NamedNode | Literal | BlankNode) -> Triple:
        return Triple(subset, NamedNode(predicate), obj)

    out = [
        Triple(dataset, NamedNode(VOID + "subset"), subset),
        triple(RDF_TYPE.value, NamedNode(VOID + "Dataset")),
        triple(RDF_TYPE.value, NamedNode(DCAT + "Dataset")),
        triple(VOID + "triples", Literal(str(part.triples), datatype=XSD_INTEGER)),
    ]
    for lang, title in part.titles.items():
        out.append(triple(DCTERMS + "title", Literal(title, language=lang or None)))
    if part.licence:
        out.append(triple(DCTERMS + "license", NamedNode(part.licence)))
    if part.rights:
        rights = BlankNode()
        out.append(triple(DCTERMS + "rights", rights))
        out.append(Triple(rights, RDF_TYPE, NamedNode(DCTERMS + "RightsStatement")))
        for lang, text in part.rights.items():
            out.append(Triple(rights, RDFS_LABEL, Literal(text, language=lang)))
    if part.attribution:
        out.append(triple(CC_ATTRIBUTION_NAME.value, Literal(part.attribution)))
    if part.publisher:
        out.append(triple(DCTERMS + "publisher", NamedNode(part.publisher)))
    if part.page:
        out.append(triple(DCTERMS + "source", NamedNode(part.page)))
        out.append(triple(PROV + "wasDerivedFrom", NamedNode(part.page)))
    if part.created:
        out.append(triple(DCTERMS + "created", Literal(part.created, datatype=XSD_DATETIME)))
    if part.modified:
        out.append(triple(DCTERMS + "modified", Literal(part.modified, datatype=XSD_DATETIME)))
    if part.generated_by:
        out.append(triple(PROV + "wasGeneratedBy", NamedNode(part.generated_by)))
    return out
