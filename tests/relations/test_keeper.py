"""Derived relations on a real store (each backend): derived, bounded, explained, kept in step."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import parse_rdf
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH, RELATED_TO
from commons_graph.relations.keeper import RelationKeeper
from commons_graph.relations.pending import PendingDerivation
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.embedded import EmbeddedStore

EX = "https://w3id.org/commons-graph/id/organisation/test-"
DATA = NamedNode("https://w3id.org/commons-graph/graph/file/relations-test")
PREFIXES = """
@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix essglobal: <http://purl.org/essglobal/vocab/> .
@prefix ica: <http://purl.org/essglobal/standard/activities-ica/> .
@prefix value: <https://w3id.org/commons-graph/value/> .
@prefix wgs84: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
"""


def _load(store: Store, turtle: str, graph: NamedNode = DATA) -> None:
    quads = parse_rdf((PREFIXES + turtle).encode(), rdf_format("ttl"), base_iri=graph.value)
    store.commit(ChangeSet(insert=[Quad(q.subject, q.predicate, q.object, graph) for q in quads]))


def _pairs(store: Store) -> set[tuple[str, str]]:
    rows = store.select(
        "SELECT ?a ?b WHERE { GRAPH ?g { ?a ?p ?b } }",
        {"g": DERIVED_RELATIONS_GRAPH, "p": RELATED_TO},
    ).rows
    return {(a.value, b.value) for a, b in rows}  # type: ignore[union-attr]


def _co_operatives(count: int, locality: str = "Leeds", activity: str = "ICA280") -> str:
    return "\n".join(
        f"<{EX}{locality.lower()}-{i}> a org:Organization ;"
        f" essglobal:economicSector ica:{activity} ;"
        f" schema:address <{EX}{locality.lower()}-{i}#address> ;"
        f" wgs84:lat {53 + i / 1000} ; wgs84:long -1.5 .\n"
        f'<{EX}{locality.lower()}-{i}#address> schema:addressLocality "{locality}" .'
        for i in range(count)
    )


def test_a_shared_value_relates_two_organisations_both_ways_with_prov(seeded_store: Store) -> None:
    keeper = RelationKeeper(seeded_store, 5, background=False)
    keeper.attach()
    _load(
        seeded_store,
        f"""<{EX}a> a org:Organization ; cg:holdsValue value:care .
            <{EX}b> a org:Organization ; cg:holdsValue value:care .
            <{EX}c> a org:Organization .""",
    )
    assert _pairs(seeded_store) >= {(EX + "a", EX + "b"), (EX + "b", EX + "a")}
    assert not {p for p in _pairs(seeded_store) if EX + "c" in p}
    # Each relation says what it rests on and which run derived it, and when.
    prov = seeded_store.select(
        """PREFIX cg: <https://w3id.org/commons-graph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?rule ?from ?started WHERE { GRAPH ?g {
          ?r a cg:DerivedRelation ; cg:relates ?a, ?b ; cg:relationScore 1 ;
             cg:basis [ cg:derivationRule ?rule ; prov:wasDerivedFrom ?from ] ;
             prov:wasGeneratedBy [ a prov:Activity ; prov:startedAtTime ?started ] } }""",
        {"g": DERIVED_RELATIONS_GRAPH, "a": NamedNode(EX + "a"), "b": NamedNode(EX + "b")},
    ).rows
    assert [(r.value, f.value) for r, f, _ in prov] == [  # type: ignore[union-attr]
        (
            "https://w3id.org/commons-graph/ontology#sharedValue",
            "https://w3id.org/commons-graph/value/care",
        )
    ]
    # Nothing derived is stated anywhere else.
    assert not seeded_store.ask(
        "ASK { GRAPH ?g { ?a ?p ?b } FILTER(?g != ?derived) }",
        {"p": RELATED_TO, "derived": DERIVED_RELATIONS_GRAPH},
    )
    # Withdrawn: the relation goes with the fact, and a second run writes nothing.
    seeded_store.drop_graph(DATA)
    assert not {p for p in _pairs(seeded_store) if EX + "a" in p}
    generation = seeded_store.generation
    assert keeper.run().added == 0
    assert seeded_store.generation == generation
    keeper.stop()


def test_a_large_group_is_bounded_per_organisation(seeded_store: Store) -> None:
    """120 co-operatives of one activity in one town: each keeps at most k relations, nearest
    first, and the ones of another town are not related to them."""
    _load(seeded_store, _co_operatives(120) + _co_operatives(3, "York"))
    summary = RelationKeeper(seeded_store, 3, background=False).run()
    pairs = _pairs(seeded_store)
    degree: dict[str, int] = {}
    for a, _ in pairs:
        degree[a] = degree.get(a, 0) + 1
    leeds = [o for o in degree if "leeds" in o]
    assert len(leeds) == 120 and max(degree.values()) <= 3
    assert summary.relations == len(pairs) // 2 <= 123 * 3 // 2
    assert not {(a, b) for a, b in pairs if ("leeds" in a) != ("leeds" in b)}
    # Nearest first: the first co-operative's neighbours are the next ones north of it.
    assert (EX + "leeds-0", EX + "leeds-1") in pairs


def test_only_the_written_graphs_are_read_again(seeded_store: Store) -> None:
    """A write that changes no fact a rule reads derives nothing; one that does is seen."""
    keeper = RelationKeeper(seeded_store, 5, background=False)
    keeper.attach()
    _load(seeded_store, f"<{EX}a> a org:Organization ; cg:holdsValue value:care .")
    first = keeper.last
    generation = seeded_store.generation
    _load(
        seeded_store,
        f'<{EX}a> <http://purl.org/dc/terms/description> "words"@en .',
        NamedNode("https://w3id.org/commons-graph/graph/file/words"),
    )
    # Nothing derived is written; a store others may write to (remote) is read again whole.
    assert seeded_store.generation == generation + 1
    assert (keeper.last is first) == seeded_store.sees_all_writes
    _load(
        seeded_store,
        f"<{EX}b> a org:Organization ; cg:holdsValue value:care .",
        NamedNode("https://w3id.org/commons-graph/graph/file/other"),
    )
    assert (EX + "a", EX + "b") in _pairs(seeded_store)
    keeper.stop()


def test_zero_per_organisation_turns_the_derivation_off(seeded_store: Store) -> None:
    _load(
        seeded_store,
        f"""<{EX}a> a org:Organization ; cg:holdsValue value:care .
            <{EX}b> a org:Organization ; cg:holdsValue value:care .""",
    )
    RelationKeeper(seeded_store, 5, background=False).run()
    assert _pairs(seeded_store)
    summary = RelationKeeper(seeded_store, 0, background=False).run()
    assert summary.relations == 0 and summary.organisations == 0
    assert seeded_store.count(DERIVED_RELATIONS_GRAPH) == 0


def test_a_burst_of_writes_returns_before_one_background_derivation(seeded_store: Store) -> None:
    # A long quiet period: the writes below all come within it (bounded by settle's timeout).
    keeper = RelationKeeper(seeded_store, 5, background=True, quiet_seconds=3.0)
    keeper.attach()
    try:
        for i in range(3):
            _load(
                seeded_store,
                f"<{EX}burst-{i}> a org:Organization ; cg:holdsValue value:care .",
                NamedNode(f"{DATA.value}-burst-{i}"),
            )
            # Each write is acknowledged while the derivation still waits for quiet.
            assert keeper.runs == 0
            assert not {p for p in _pairs(seeded_store) if EX + "burst-0" in p}
        assert not keeper.settle(0.2)  # pending, not run
        assert keeper.settle(60)
        # The three writes were taken together by one run, which derived their relations.
        assert keeper.runs == 1
        assert (EX + "burst-0", EX + "burst-2") in _pairs(seeded_store)
    finally:
        keeper.stop()


def test_a_full_run_settles_a_derivation_owed_and_an_incremental_one_does_not(
    tmp_path: Path,
) -> None:
    # The marker is the embedded store's (a remote store derives at each write).
    store = EmbeddedStore(tmp_path / "store")
    owed = PendingDerivation(tmp_path / "store.relations-pending")
    owed.mark()
    keeper = RelationKeeper(store, 5, background=True)
    keeper.owed = owed
    keeper.attach()
    try:
        _load(store, f"<{EX}a> a org:Organization .")  # the first run reads every fact
        assert keeper.settle(60)
        assert not owed.is_marked()
        owed.mark()
        _load(store, f"<{EX}b> a org:Organization .")  # reads only that graph again
        assert keeper.settle(60)
        assert owed.is_marked()
        keeper.check()  # as the server does when it starts: every fact
        assert keeper.settle(60)
        assert not owed.is_marked()
    finally:
        keeper.stop()
        store.close()


def test_facts_that_pair_nobody_derive_nothing_until_they_do(seeded_store: Store) -> None:
    """A commons only its writer stewards, or a value it already holds, changes facts but no
    relation: nothing is derived or written; once a second organisation stewards that commons,
    the two are related (what the skipped runs read is not lost)."""
    keeper = RelationKeeper(seeded_store, 5, background=False)
    keeper.attach()
    _load(
        seeded_store,
        f"""<{EX}a> a org:Organization ; cg:holdsValue value:care .
            <{EX}b> a org:Organization ; cg:holdsValue value:care .""",
    )
    assert (EX + "a", EX + "b") in _pairs(seeded_store)
    runs, skipped, generation = keeper.runs, keeper.skipped, seeded_store.generation
    commons = "https://w3id.org/commons-graph/id/commons/test-library"
    _load(
        seeded_store,
        f"<{EX}a> cg:stewards <{commons}> ; cg:holdsValue value:care .",
        NamedNode(f"{DATA.value}-library"),
    )
    # (A store others may write to is derived again whole, and the same relations found.)
    skipping = int(seeded_store.sees_all_writes)
    assert keeper.runs == runs + 1 and keeper.skipped == skipped + skipping
    assert keeper.last is not None and keeper.last.added == keeper.last.removed == 0
    assert seeded_store.generation == generation + 1  # the write only: nothing derived written
    assert not {p for p in _pairs(seeded_store) if EX + "c" in p}
    _load(
        seeded_store,
        f"<{EX}c> a org:Organization ; cg:stewards <{commons}> .",
        NamedNode(f"{DATA.value}-library-c"),
    )
    assert (EX + "a", EX + "c") in _pairs(seeded_store)
    assert keeper.skipped == skipped + skipping
    # Taken back: the relation goes again.
    seeded_store.drop_graph(NamedNode(f"{DATA.value}-library"))
    assert (EX + "a", EX + "c") not in _pairs(seeded_store)
    keeper.stop()
