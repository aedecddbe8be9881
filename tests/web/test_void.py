"""/.well-known/void: statistics equal counts from the store; distributions; subsets; conneg."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDFS

from commons_graph.views.sources import CC_BY_3, CC_BY_4, ESSGLOBAL, SEED
from tests.helpers import http as fetch
from tests.helpers.live import LiveServer
from tests.helpers.pages import (
    SAMPLE_ATTRIBUTION,
    SAMPLE_GRAPH,
    SAMPLE_LICENCE,
    Site,
    in_process_site,
    parse_graph,
    same_graph,
)

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
CC = Namespace("http://creativecommons.org/ns#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DATASET = URIRef("https://w3id.org/commons-graph/.well-known/void#dataset")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site, shared by this module's tests."""
    yield from in_process_site(tmp_path_factory.mktemp("site"), tmp_path_factory)


@pytest.fixture(scope="module")
def void(site: Site) -> Graph:
    """The VoID description in Turtle."""
    response = site.get("/.well-known/void", accept="text/turtle")
    assert response.status_code == 200
    assert "Accept" in response.headers["vary"]
    return parse_graph(response.content, "turtle")


def number(graph: Graph, subject: object, predicate: URIRef) -> int:
    """The one integer value of a statistic."""
    value = graph.value(subject, predicate)  # type: ignore[arg-type]
    assert isinstance(value, Literal), predicate
    return int(value)


def test_statistics_equal_counts_from_the_store(site: Site, void: Graph) -> None:
    triples = {(q.subject, q.predicate, q.object) for q in site.quads}
    assert number(void, DATASET, VOID.triples) == len(triples)
    subjects = {s for s, _, _ in triples}
    iri_subjects = {s for s in subjects if type(s).__name__ == "NamedNode"}
    assert number(void, DATASET, VOID.entities) == len(iri_subjects)
    assert number(void, DATASET, VOID.distinctSubjects) == len(subjects)
    assert number(void, DATASET, VOID.properties) == len({p for _, p, _ in triples})
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    classes: dict[str, set[object]] = {}
    for s, p, o in triples:
        if p.value == rdf_type and type(o).__name__ == "NamedNode":
            classes.setdefault(o.value, set()).add(s)
    assert number(void, DATASET, VOID.classes) == len(classes)
    partitions = {
        str(void.value(part, VOID["class"])): number(void, part, VOID.entities)
        for part in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions == {cls: len(members) for cls, members in classes.items()}
    by_property: dict[str, int] = {}
    for _, p, _ in triples:
        by_property[p.value] = by_property.get(p.value, 0) + 1
    property_partitions = {
        str(void.value(part, VOID.property)): number(void, part, VOID.triples)
        for part in void.objects(DATASET, VOID.propertyPartition)
    }
    assert property_partitions == by_property


def test_each_dump_is_a_distribution(site: Site, void: Graph) -> None:
    downloads = {
        str(void.value(d, DCAT.downloadURL)): str(void.value(d, DCAT.mediaType))
        for d in void.objects(DATASET, DCAT.distribution)
    }
    expected = {
        "ttl": "text/turtle",
        "nt": "application/n-triples",
        "nq": "application/n-quads",
        "trig": "application/trig",
        "jsonld": "application/ld+json",
    }
    assert downloads == {
        f"{site.url}/dump.{ext}{gz}": f"https://www.iana.org/assignments/media-types/{media}"
        for ext, media in expected.items()
        for gz in ("", ".gz")
    }
    for url in downloads:
        assert site.get(url.removeprefix(site.url), accept="*/*").status_code == 200


def test_distributions_say_date_version_compression_and_size(site: Site) -> None:
    """Every distribution is dated and versioned; .gz ones say gzip; once a dump was written
    in full for this version, its byte size is known."""
    dumped = site.get("/dump.nq.gz", accept="*/*")
    written = dumped.content
    void = parse_graph(site.get("/.well-known/void", accept="text/turtle").content, "turtle")
    version = void.value(DATASET, OWL.versionInfo)
    assert str(version) == dumped.headers["etag"].strip('"')  # the version the dump named
    modified = void.value(DATASET, DCTERMS.modified)
    assert version is not None and modified is not None
    gzip_media = URIRef("http://www.iana.org/assignments/media-types/application/gzip")
    for distribution in void.objects(DATASET, DCAT.distribution):
        url = str(void.value(distribution, DCAT.downloadURL))
        assert void.value(distribution, DCTERMS.modified) == modified
        assert void.value(distribution, OWL.versionInfo) == version
        compress = void.value(distribution, DCAT.compressFormat)
        assert (compress == gzip_media) == url.endswith(".gz")
        if url.endswith("/dump.nq.gz"):
            assert number(void, distribution, DCAT.byteSize) == len(written)


def test_the_dataset_is_a_collection_under_several_licences(site: Site, void: Graph) -> None:
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(site.url + "/sparql")
    # No single licence is claimed for the whole: a rights statement says it is a collection.
    assert void.value(DATASET, DCTERMS.license) is None
    rights = void.value(DATASET, DCTERMS.rights)
    labels = {label.language: str(label) for label in void.objects(rights, RDFS.label)}  # type: ignore[attr-defined]
    assert "several licences" in labels["en"]
    assert "plusieurs licences" in labels["fr"]
    vocabularies = set(void.objects(DATASET, VOID.vocabulary))
    assert URIRef("http://www.w3.org/ns/org#") in vocabularies
    assert URIRef("https://w3id.org/commons-graph/ontology#") in vocabularies


def test_each_source_is_a_subset_with_its_licence_and_exact_count(site: Site, void: Graph) -> None:
    subsets = set(void.objects(DATASET, VOID.subset))
    seed, essglobal, sample = URIRef(SEED), URIRef(ESSGLOBAL), URIRef(SAMPLE_GRAPH)
    assert {seed, essglobal, sample} <= subsets
    assert void.value(seed, DCTERMS.license) == URIRef(CC_BY_4)
    assert void.value(essglobal, DCTERMS.license) == URIRef(CC_BY_3)
    assert "RIPESS" in str(void.value(essglobal, CC.attributionName))
    assert void.value(sample, DCTERMS.license) == URIRef(SAMPLE_LICENCE)
    assert str(void.value(sample, CC.attributionName)) == SAMPLE_ATTRIBUTION
    for subset in (seed, essglobal):
        assert isinstance(void.value(subset, DCTERMS.created), Literal)
        assert isinstance(void.value(subset, DCTERMS.modified), Literal)
    # Counts are the store's own, graph by graph; together they cover every quad.
    per_graph: dict[str, int] = {}
    for quad in site.quads:
        name = quad.graph_name.value  # type: ignore[union-attr]
        per_graph[name] = per_graph.get(name, 0) + 1
    assert number(void, sample, VOID.triples) == per_graph[SAMPLE_GRAPH]
    essglobal_count = sum(n for g, n in per_graph.items() if "/vocabulary/essglobal/" in g)
    assert number(void, essglobal, VOID.triples) == essglobal_count
    assert sum(number(void, s, VOID.triples) for s in subsets) == len(site.quads)


def test_jsonld_says_the_same_as_turtle(site: Site) -> None:
    void = parse_graph(site.get("/.well-known/void", accept="text/turtle").content, "turtle")
    response = site.get("/.well-known/void", accept="application/ld+json")
    assert response.headers["content-type"].startswith("application/ld+json")
    assert same_graph(parse_graph(response.content, "json-ld"), void)


def test_browsers_get_a_page_with_the_same_numbers(site: Site, void: Graph) -> None:
    soup = site.html("/.well-known/void?lang=en")
    shown = {dd["data-stat"]: int(dd.get_text()) for dd in soup.select("dd[data-stat]")}
    assert shown["triples"] == number(void, DATASET, VOID.triples)
    assert shown["entities"] == number(void, DATASET, VOID.entities)
    assert shown["classes"] == number(void, DATASET, VOID.classes)
    sources = {li["data-source"]: li for li in soup.select("li[data-source]")}
    assert {SEED, ESSGLOBAL, SAMPLE_GRAPH} <= set(sources)
    assert sources[ESSGLOBAL].select_one('a[rel="license"]')["href"] == CC_BY_3  # type: ignore[index]
    for subset, li in sources.items():
        count = int(li.select_one('[data-stat="triples"]').get_text())  # type: ignore[union-attr]
        assert count == number(void, URIRef(subset), VOID.triples)


def test_statistics_follow_writes(live_server: LiveServer) -> None:
    """After a write, VoID counts again: its statistics are cached only until the store changes."""
    import pyoxigraph as ox

    def triples() -> int:
        response = fetch.get(
            live_server.url + "/.well-known/void", headers={"Accept": "text/turtle"}
        )
        graph = parse_graph(response.content, "turtle")
        return number(graph, DATASET, VOID.triples)

    before = triples()
    assert triples() == before
    extra = ox.NamedNode("https://w3id.org/commons-graph/graph/test/extra")
    subject = ox.NamedNode("https://w3id.org/commons-graph/id/commons/extra")
    live_server.app.state.services.store.replace_graph(
        extra, [ox.Triple(subject, ox.NamedNode(str(RDF_TYPE)), ox.NamedNode(str(VOID.Dataset)))]
    )
    assert triples() == before + 1
