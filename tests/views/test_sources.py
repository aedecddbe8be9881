"""The sources of the data (VoID subsets): graphs grouped by source, exact counts, dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.importing import DatasetDescription, dataset_graph, import_standard_csv
from commons_graph.importing.metadata import first_imported
from commons_graph.rdf.namespaces import DATASET_IRI
from commons_graph.sparql.extensions import supported
from commons_graph.store import Store
from commons_graph.store.content_version import content_version, is_version
from commons_graph.store.statistics import graph_counts
from commons_graph.views.sources import (
    CC_BY_3,
    CC_BY_4,
    CONTRIBUTIONS,
    ESSGLOBAL,
    OTHER,
    SEED,
    sources,
)
from commons_graph.views.void import void_description

FIXTURES = Path(__file__).parents[1] / "importing" / "fixtures"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"


def _imported(store: Store) -> None:
    description = DatasetDescription(
        "fixture", ODC_BY, "Contains test data", "https://example.org/s"
    )
    import_standard_csv(store, FIXTURES / "iri-codes.csv", description)


def test_every_graph_belongs_to_one_source_and_counts_are_the_stores(seeded_store: Store) -> None:
    _imported(seeded_store)
    loose = ox.NamedNode("https://w3id.org/commons-graph/graph/file/loose")
    thing = ox.NamedNode("https://w3id.org/commons-graph/id/commons/loose")
    seeded_store.replace_graph(loose, [ox.Triple(thing, thing, thing)])
    found = {source.iri: source for source in sources(seeded_store)}
    imported = "https://w3id.org/commons-graph/id/dataset/fixture"
    assert set(found) == {SEED, ESSGLOBAL, imported, OTHER}
    assert found[SEED].licence == CC_BY_4 and found[ESSGLOBAL].licence == CC_BY_3
    assert found[imported].licence == ODC_BY
    assert found[imported].attribution == "Contains test data"
    assert found[imported].page == "https://example.org/s"
    assert found[OTHER].licence is None and "no licence" in found[OTHER].rights["en"]
    counts = graph_counts(seeded_store)
    graph = dataset_graph("fixture")
    assert found[imported].graphs == [graph.value]
    assert found[imported].triples == seeded_store.count(graph) == counts[graph.value]
    assert sum(s.triples for s in found.values()) == seeded_store.count()
    for graph_iri, count in counts.items():
        assert count == seeded_store.count(ox.NamedNode(graph_iri))
    owners = [s.iri for s in found.values() for g in s.graphs]
    assert len(owners) == len(counts)  # each graph in exactly one source
    for key in (SEED, ESSGLOBAL, imported):
        created, modified = found[key].created, found[key].modified
        assert created and modified and created <= modified


def test_a_reimport_keeps_its_first_date(seeded_store: Store) -> None:
    _imported(seeded_store)
    first = first_imported(seeded_store, "fixture")
    assert isinstance(first, datetime)
    assert first_imported(seeded_store, "never") is None


def test_void_subsets_carry_the_sources(seeded_store: Store) -> None:
    _imported(seeded_store)
    triples = void_description(seeded_store, "http://example.org")
    subsets = {t.object.value for t in triples if t.predicate.value.endswith("void#subset")}
    assert {SEED, ESSGLOBAL, "https://w3id.org/commons-graph/id/dataset/fixture"} <= subsets
    assert CONTRIBUTIONS not in subsets  # no contribution yet: no empty source listed
    licences = [
        t.object.value
        for t in triples
        if t.subject.value == DATASET_IRI and t.predicate.value.endswith("terms/license")
    ]
    assert licences == []  # the whole is a collection: a rights statement, no one licence


def test_content_version_is_stable_and_follows_content(seeded_store: Store) -> None:
    first = content_version(seeded_store)
    assert is_version(first) and content_version(seeded_store) == first
    graph = ox.NamedNode("https://w3id.org/commons-graph/graph/file/x")
    thing = ox.NamedNode("https://w3id.org/commons-graph/id/commons/x")
    seeded_store.replace_graph(graph, [ox.Triple(thing, thing, ox.Literal("x"))])
    assert content_version(seeded_store) != first
    seeded_store.drop_graph(graph)
    assert content_version(seeded_store) == first


def test_geosparql_functions_the_store_evaluates(
    seeded_store: Store, request: pytest.FixtureRequest
) -> None:
    names = {extension.iri.rsplit("/", 1)[1] for extension in supported(seeded_store)}
    if request.node.callspec.params.get("backend_settings") == "virtuoso":
        # Virtuoso 7.2 has no geof: functions (and refuses wktLiteral constants): none declared.
        assert names == set()
        return
    assert {"distance", "sfWithin", "sfContains", "sfIntersects"} <= names
    assert "buffer" not in names  # pyoxigraph 0.5 answers "not supported": not declared


def test_init_drops_the_counts_older_imports_wrote(seeded_store: Store) -> None:
    from commons_graph.importing.metadata import drop_written_counts
    from commons_graph.store.changes import ChangeSet

    _imported(seeded_store)
    graph = dataset_graph("fixture")
    dataset = ox.NamedNode("https://w3id.org/commons-graph/id/dataset/fixture")
    stale = ox.Quad(
        dataset,
        ox.NamedNode("http://rdfs.org/ns/void#triples"),
        ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        graph,
    )
    seeded_store.commit(ChangeSet(insert=[stale]))
    assert drop_written_counts(seeded_store) == 1
    assert drop_written_counts(seeded_store) == 0
    assert stale not in set(seeded_store.quads(graph))
