"""`commons-graph import` derives the relations; `relations rebuild` writes only what changed."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH, RELATED_TO
from tests.cli.test_main import run
from tests.helpers.prepared import initialised_copy

CSV = """Identifier,Name,Primary Activity,Locality,Latitude,Longitude
E1,Leeds Energy One,ICA230,Leeds,53.80,-1.55
E2,Leeds Energy Two,ICA230,Leeds,53.81,-1.54
E3,York Energy,ICA230,York,53.96,-1.08
H1,Leeds Homes,ICA210,Leeds,53.79,-1.56
"""
ORG = "https://w3id.org/commons-graph/id/organisation/"


def _pairs(store: Path) -> set[tuple[str, str]]:
    opened = ox.Store(str(store))
    try:
        return {
            (q.subject.value, q.object.value)  # type: ignore[union-attr]
            for q in opened.quads_for_pattern(None, RELATED_TO, None, DERIVED_RELATIONS_GRAPH)
        }
    finally:
        del opened


def test_an_import_derives_relations_and_a_rebuild_keeps_them(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = initialised_copy(tmp_path_factory, tmp_path / "store")  # made by `init`
    source = tmp_path / "energy.csv"
    source.write_text(CSV)
    imported = run(
        store,
        "import",
        "standard-csv",
        str(source),
        "--dataset",
        "energy",
        "--licence",
        "https://creativecommons.org/licenses/by/4.0/",
        "--attribution",
        "Test",
        "--quiet",
    )
    assert imported.returncode == 0, imported.stderr
    pairs = _pairs(store)
    # Same activity in the same town, both ways; not across towns or activities.
    assert (ORG + "energy-e1", ORG + "energy-e2") in pairs
    assert (ORG + "energy-e2", ORG + "energy-e1") in pairs
    assert not {p for p in pairs if ORG + "energy-h1" in p and ORG + "ouishare" not in p}
    # Ouishare works on fuel poverty, mapped to the Utilities activity (ICA230).
    assert (ORG + "ouishare", ORG + "energy-e3") in pairs
    rebuilt = run(store, "relations", "rebuild", check=True)
    assert "0 new or changed, 0 removed" in rebuilt.stdout
    assert _pairs(store) == pairs


LOADED = """@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix o: <https://w3id.org/commons-graph/id/organisation/> .
@prefix c: <https://w3id.org/commons-graph/id/commons/> .
o:loaded-a a org:Organization ; rdfs:label "Loaded A"@en ; cg:stewards c:loaded-garden .
o:loaded-b a org:Organization ; rdfs:label "Loaded B"@en ; cg:stewards c:loaded-garden .
c:loaded-garden a cg:Commons ; rdfs:label "Loaded garden"@en .
"""


def test_a_load_leaves_the_derivation_to_the_next_command_once(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = initialised_copy(tmp_path_factory, tmp_path / "store")  # made by `init`
    owed = tmp_path / "store.relations-pending"
    before = _pairs(store)
    source = tmp_path / "loaded.ttl"
    source.write_text(LOADED)
    run(store, "load", str(source), check=True)
    run(store, "load", str(source), check=True)  # loads in a row: still one derivation
    assert owed.exists()
    assert _pairs(store) == before  # not derived by the loads themselves
    first = run(store, "stats", check=True)
    assert "owed since the last load" in first.stderr
    assert not owed.exists()
    pairs = _pairs(store)
    assert (ORG + "loaded-a", ORG + "loaded-b") in pairs
    again = run(store, "stats", check=True)
    assert "owed" not in again.stderr
    assert _pairs(store) == pairs


def test_a_rebuild_settles_what_a_load_owes(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = initialised_copy(tmp_path_factory, tmp_path / "store")  # made by `init`
    source = tmp_path / "loaded.ttl"
    source.write_text(LOADED)
    run(store, "load", str(source), check=True)
    rebuilt = run(store, "relations", "rebuild", check=True)
    assert "owed" not in rebuilt.stderr  # derived once, by the rebuild itself
    assert not (tmp_path / "store.relations-pending").exists()
    assert (ORG + "loaded-a", ORG + "loaded-b") in _pairs(store)
