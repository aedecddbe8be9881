"""A contribution is judged on the statements the shapes read of the resources it describes:
whatever else they hold changes neither its verdict nor what judging it reads."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import URIRef
from rdflib.namespace import SH

from commons_graph.rdf.conversion import rdflib_graph, to_rdflib
from commons_graph.store import ChangeSet, Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from commons_graph.store.sparql_text import values_block
from commons_graph.validation.context import types_from_store
from commons_graph.validation.contribution import check, passes_compiled_checks, store_context
from commons_graph.validation.reference import validate
from commons_graph.validation.shapes import read_properties, shapes_graph
from tests.helpers.contribution_cases import (
    ADDITIONS,
    CASES,
    file_triples,
    seeded_store,
    turtle_triples,
)

OUISHARE = ox.NamedNode("https://w3id.org/commons-graph/id/organisation/ouishare")
SCHEMA = "https://schema.org/"
GYEAR = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
EXTRA = ox.NamedNode("https://w3id.org/commons-graph/graph/test/extra")
# Statements no shape reads, as many as the largest contribution allowed would add.
EXTRA_STATEMENTS = 10_000


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from seeded_store(tmp_path_factory, "seeded")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The seed, and Ouishare holding ten thousand statements on properties no shape reads."""
    store = EmbeddedStore(tmp_path_factory.mktemp("crowded") / "store")
    initialise(store)
    extra = [
        ox.Quad(OUISHARE, ox.NamedNode(f"https://example.org/n{i}"), ox.Literal(str(i)), EXTRA)
        for i in range(EXTRA_STATEMENTS)
    ]
    store.commit(ChangeSet(insert=extra))
    yield store
    store.close()


def whole_context(store: Store, triples: list[ox.Triple]) -> list[ox.Triple]:
    """Every statement of the described resources, with the mentioned ones' types: what the
    context was before it was narrowed to the properties the shapes read."""
    from commons_graph.contributions.terms import mentioned, subjects

    found = types_from_store(store, mentioned(triples))
    described = subjects(triples)
    if described:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values_block('s', described)} ?s ?p ?o }}"
        found.extend(store.construct(query))
    return found


def test_every_path_and_pair_of_the_shapes_is_read() -> None:
    properties = read_properties()
    assert properties is not None  # no shape is sh:closed
    graph = shapes_graph()
    named = {str(p) for p in graph.objects(None, SH.path) if isinstance(p, URIRef)}
    assert named and named <= properties
    assert str(SH.lessThanOrEquals) not in properties
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in properties


ALL = [*((f"addition/{n}", turtle_triples(t)) for n, (t, _) in ADDITIONS.items())] + [
    (f"{p.parent.name}/{p.name}", file_triples(p)) for p in CASES
]


@pytest.mark.parametrize(("name", "triples"), ALL, ids=[n for n, _ in ALL])
def test_the_narrowed_context_gives_the_whole_contexts_verdict(
    seeded: Store, name: str, triples: list[ox.Triple]
) -> None:
    assert_same_judgement(triples, store_context(seeded, triples), whole_context(seeded, triples))


def test_many_described_resources_are_read_with_their_properties_apart(seeded: Store) -> None:
    """Past a few dozen resources the pairs would make a long query: the resources and the
    properties are given apart, with the same context."""
    typed = seeded.select(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) } ORDER BY ?s LIMIT 60"
    )
    resources = [row[0] for row in typed.rows if isinstance(row[0], ox.NamedNode)]
    assert len(resources) == 60
    note, founded = ox.NamedNode("https://example.org/note"), ox.NamedNode(SCHEMA + "foundingDate")
    triples = [ox.Triple(r, note, ox.Literal("n")) for r in resources]
    triples.append(ox.Triple(OUISHARE, founded, ox.Literal("2013", datatype=GYEAR)))
    narrowed, whole = store_context(seeded, triples), whole_context(seeded, triples)
    assert set(narrowed) != set(whole)
    assert_same_judgement(triples, narrowed, whole)
    assert not check(seeded, triples, "en").conforms  # a second founding date


def assert_same_judgement(
    triples: list[ox.Triple], narrowed: list[ox.Triple], whole: list[ox.Triple]
) -> None:
    """Both engines judge `triples` alike with the narrowed context and the whole one."""
    assert set(narrowed) <= set(whole)
    if set(narrowed) == set(whole):
        return  # nothing left out: the same judgement by construction
    assert passes_compiled_checks(triples, narrowed) == passes_compiled_checks(triples, whole)
    described = {to_rdflib(t.subject) for t in triples}  # type: ignore[arg-type]
    data = rdflib_graph(triples)
    reports = [
        validate(data, context=rdflib_graph(context), lang="en", described=described)
        for context in (narrowed, whole)
    ]
    assert reports[0].conforms == reports[1].conforms
    assert reports[0].violations == reports[1].violations


@pytest.mark.parametrize("name", ADDITIONS)
def test_what_else_an_organisation_holds_is_neither_read_nor_counted(
    seeded: Store, crowded: Store, name: str
) -> None:
    triples = turtle_triples(ADDITIONS[name][0])
    assert len(store_context(crowded, triples)) == len(store_context(seeded, triples))
    for engine in ("pyshacl", "auto"):
        alone, among = (
            check(seeded, triples, "en", engine=engine),
            check(crowded, triples, "en", engine=engine),
        )
        assert (among.conforms, among.violations) == (alone.conforms, alone.violations)


def test_a_write_replacing_a_graph_reads_the_same_narrowed_context(crowded: Store) -> None:
    triples = turtle_triples(ADDITIONS["a-second-founding-date"][0])
    beside = store_context(crowded, triples, replacing=EXTRA)
    assert len(beside) == len(store_context(crowded, triples))
    assert not check(crowded, triples, "en", replacing=EXTRA).conforms
