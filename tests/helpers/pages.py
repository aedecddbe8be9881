"""A served site for the read-side tests: seed network plus a licensed imported sample dataset.

One site per test module (seeding one per test would cost a second each); the store's quads
are snapshotted before the app takes the store's lock, so tests compare responses with them.
`in_process_site` serves it in this process (ordinary requests); `start_site` on a real socket
(for Chromium).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from commons_graph.config import Settings
from commons_graph.rdf.conversion import to_rdflib
from commons_graph.relations.keeper import rebuild
from commons_graph.store import ChangeSet, open_store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers import http as fetch
from tests.helpers.inprocess import in_process
from tests.helpers.live import LiveServer
from tests.helpers.prepared import copy_store, index_beside, prepared

BASE = "https://w3id.org/commons-graph/"
CG = BASE + "ontology#"
ORG = "http://www.w3.org/ns/org#"
OUISHARE = BASE + "id/organisation/ouishare"
CARE = BASE + "value/care"
ECOLOGY = BASE + "theme/ecological-transition"
SAMPLE_GRAPH = BASE + "graph/import/sample"
SAMPLE_LICENCE = "https://opendatacommons.org/licenses/odbl/1-0/"
SAMPLE_ATTRIBUTION = "Sample Co-operatives Network"
SAMPLE_COUNT = 60
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def sample_iri(number: int) -> str:
    """The IRI of sample organisation `number`."""
    return f"{BASE}id/organisation/sample-{number:03d}"


def sample_quads() -> list[ox.Quad]:
    """An imported dataset: licensed, attributed, with enough organisations to page through."""
    graph = ox.NamedNode(SAMPLE_GRAPH)

    def quad(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph)

    quads = [
        quad(SAMPLE_GRAPH, RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")),
        quad(SAMPLE_GRAPH, "http://purl.org/dc/terms/title", ox.Literal("Sample import")),
        quad(SAMPLE_GRAPH, "http://purl.org/dc/terms/license", ox.NamedNode(SAMPLE_LICENCE)),
        quad(
            SAMPLE_GRAPH,
            "http://creativecommons.org/ns#attributionName",
            ox.Literal(SAMPLE_ATTRIBUTION),
        ),
    ]
    for number in range(1, SAMPLE_COUNT + 1):
        iri = sample_iri(number)
        quads.append(quad(iri, RDF_TYPE, ox.NamedNode(ORG + "Organization")))
        quads.append(quad(iri, RDF_TYPE, ox.NamedNode(CG + "Cooperative")))
        quads.append(quad(iri, RDFS_LABEL, ox.Literal(f"Sample co-op {number:03d}", language="en")))
        if number % 2:
            # Odd ones have a French label too; even ones fall back to English on French pages.
            label = ox.Literal(f"Coop exemple {number:03d}", language="fr")
            quads.append(quad(iri, RDFS_LABEL, label))
        if number % 2 == 0:
            quads.append(quad(iri, CG + "holdsValue", ox.NamedNode(CARE)))
        if number % 3 == 0:
            quads.append(quad(iri, CG + "worksOn", ox.NamedNode(ECOLOGY)))
        if number <= 3:
            quads.append(quad(iri, ORG + "memberOf", ox.NamedNode(OUISHARE)))
    return quads


def same_graph(got: Graph, expected: Graph, *, strict: bool = True) -> bool:
    """Whether two graphs hold the same triples, blank nodes aside.

    Ground triples are compared as sets. Triples with blank nodes are compared by rdflib's
    isomorphism when `strict` (slow on the shapes graph), else by their shape: the multiset of
    each triple with its blank nodes erased.
    """

    def canonical(term: object) -> object:
        # Parsers normalise typed literals ("…Z" dateTimes read back as "…+00:00"); terms
        # converted from the store keep their lexical form: compare values, not spellings.
        if isinstance(term, Literal) and term.datatype is not None:
            return Literal(str(term), datatype=term.datatype)
        return term

    def split(graph: Graph) -> tuple[set[object], Graph]:
        ground: set[object] = set()
        blank = Graph()
        for triple in graph:
            if any(isinstance(term, BNode) for term in triple):
                blank.add(triple)
            else:
                ground.add(tuple(canonical(term) for term in triple))
        return ground, blank

    def shape(graph: Graph) -> list[tuple[str, ...]]:
        erased = (
            tuple("_" if isinstance(term, BNode) else term.n3() for term in triple)
            for triple in graph
        )
        return sorted(erased)

    got_ground, got_blank = split(got)
    expected_ground, expected_blank = split(expected)
    if got_ground != expected_ground:
        return False
    if strict:
        return isomorphic(got_blank, expected_blank)
    return shape(got_blank) == shape(expected_blank)


def parse_graph(body: bytes, rdflib_format: str) -> Graph:
    """Parse an RDF response with rdflib into one graph (quads lose their graph)."""
    dataset = parse_dataset(body, rdflib_format)
    graph = Graph()
    for s, p, o, _ in dataset.quads():
        graph.add((s, p, o))
    return graph


def parse_dataset(body: bytes, rdflib_format: str) -> Dataset:
    """Parse an RDF response with rdflib into a dataset."""
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib 7.x parses JSON-LD and quads through its own deprecated ConjunctiveGraph API.
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=body, format=rdflib_format)
    return dataset


class Site:
    """A running server and the quads its store held when it started."""

    def __init__(self, url: str, quads: list[ox.Quad], client: httpx.Client | None = None) -> None:
        self.url = url
        self.quads = quads
        self.client = client or fetch.client(base_url=url, timeout=30)
        # rdflib's copies of `quads`, made once (a second or so each): tests only read them.
        self._union: Graph | None = None
        self._dataset: Dataset | None = None

    def get(self, path: str, accept: str = "text/html", **headers: str) -> httpx.Response:
        """GET `path` with a fresh cookie jar (so language choices do not leak between tests)."""
        self.client.cookies.clear()
        return self.client.get(path, headers={"Accept": accept, **headers})

    def html(self, path: str, **headers: str) -> BeautifulSoup:
        """GET a page and parse it."""
        response = self.get(path, **headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        return BeautifulSoup(response.text, "lxml")

    def union(self) -> Graph:
        """Every triple of the store, as one rdflib graph (made once: do not change it)."""
        if self._union is None:
            graph = Graph()
            for q in self.quads:
                graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), _as_parsed(q.object)))  # type: ignore[arg-type]
            self._union = graph
        return self._union

    def dataset(self) -> Dataset:
        """The store's quads as an rdflib dataset (made once: do not change it)."""
        if self._dataset is None:
            dataset = Dataset()
            for q in self.quads:
                graph = dataset.graph(URIRef(q.graph_name.value))  # type: ignore[union-attr]
                graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), _as_parsed(q.object)))  # type: ignore[arg-type]
            self._dataset = dataset
        return self._dataset


def _as_parsed(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
    """The rdflib term a parser gives for `term`: rdflib writes typed literals in its own
    canonical form (`…Z` times as `…+00:00`), as it does when it parses the dumps."""
    converted = to_rdflib(term)
    if isinstance(converted, Literal) and converted.datatype is not None:
        return Literal(str(converted), datatype=converted.datatype)
    return converted


def _fill_site(folder: Path) -> None:
    """The seed, the sample and the derived relations in `folder/store`, with the search index
    beside it (what a start would otherwise build)."""
    with EmbeddedStore(folder / "store") as store:
        initialise(store)
        store.commit(ChangeSet(insert=sample_quads()))
        rebuild(store, Settings().related_per_organisation)
        index_beside(store, folder / "store")


def seed_site(
    folder: Path, factory: pytest.TempPathFactory | None = None
) -> tuple[Settings, list[ox.Quad]]:
    """Seed a store in `folder` and add the sample; its settings and its quads.

    Given `factory`, the store is a copy of one filled once per session (tests/helpers/
    prepared.py), its search index beside it: the same quads, without a second of seeding and
    the index's rebuild at the service's start.
    """
    settings = Settings(store=str(folder / "store"))
    if factory is not None:
        copy_store(prepared(factory, "site", _fill_site), folder / "store")
        with EmbeddedStore(folder / "store") as store:
            return settings, list(store.quads())
    store = open_store(settings)
    try:
        initialise(store)
        store.commit(ChangeSet(insert=sample_quads()))
        # The relations the server derives when it starts: the quads are what it serves.
        rebuild(store, settings.related_per_organisation)
        quads = list(store.quads())
    finally:
        store.close()
    return settings, quads


def start_site(folder: Path, factory: pytest.TempPathFactory | None = None) -> Iterator[Site]:
    """Seed a store in `folder`, add the sample, serve it on a real socket; stop afterwards."""
    settings, quads = seed_site(folder, factory)
    with LiveServer(settings) as server:
        site = Site(server.url, quads)
        try:
            yield site
        finally:
            site.client.close()


def in_process_site(folder: Path, factory: pytest.TempPathFactory | None = None) -> Iterator[Site]:
    """Seed a store in `folder`, add the sample, serve it in this process (no socket)."""
    settings, quads = seed_site(folder, factory)
    with in_process(settings) as app:
        yield Site(app.url, quads, app.http)
