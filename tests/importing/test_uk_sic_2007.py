"""The UK SIC 2007 code list: built by scripts/uk_sic_2007.py, read by the importer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from commons_graph.importing import codelists

ROOT = Path(__file__).parents[2]
SIC = "https://w3id.org/commons-graph/uk-sic-2007/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_the_script_builds_the_hierarchy_from_a_list_of_subclasses(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    source.write_text(
        'code,description\n47110,"Retail sale, food ""first"""\n47190,Other retail\n'
        "1300,Plant propagation\n99999,Dormant Company\n",
        encoding="utf-8",
    )
    out = tmp_path / "sic.ttl"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "uk_sic_2007.py"), str(source), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    graph = ox.Store()
    graph.load(out.read_bytes(), ox.RdfFormat.TURTLE)

    def broader(code: str) -> str:
        (quad,) = graph.quads_for_pattern(
            ox.NamedNode(SIC + code), ox.NamedNode(SKOS + "broader"), None
        )
        return quad.object.value.removeprefix(SIC)

    assert [broader(c) for c in ("47110", "4711", "471", "47", "01300", "0130", "013", "01")] == [
        "4711", "471", "47", "G", "0130", "013", "01", "A"
    ]  # fmt: skip
    labels = {
        q.subject.value.removeprefix(SIC): q.object.value
        for q in graph.quads_for_pattern(None, ox.NamedNode(SKOS + "prefLabel"), None)
        if isinstance(q.object, ox.Literal) and q.object.language == "en"
    }
    assert labels["47110"] == 'Retail sale, food "first"'
    assert labels["471"] == "SIC 2007 group 471"  # two subclasses: no title to take
    assert labels["0130"] == labels["01300"] == "Plant propagation"  # one subclass: its title
    assert "99999" not in labels


def test_the_shipped_list_is_read_by_code_section_and_trailing_zeros() -> None:
    assert codelists.sic_code("47110") == SIC + "47110"
    assert codelists.sic_code("47000") == SIC + "47"
    assert codelists.sic_code("47100") == SIC + "471"
    assert codelists.sic_code("71120") == SIC + "7112"
    assert codelists.sic_code("10100") == SIC + "101"
    for odd in ("99999", "4711", "ABCDE", "", "471100"):
        assert codelists.sic_code(odd) is None
    assert codelists.sic_section("Wholesale and Retail; Vehicle Repair") == SIC + "G"
    assert codelists.sic_section("real estate activities") == SIC + "L"
    assert codelists.sic_section("u") == SIC + "U"
    assert codelists.sic_section("Retail sale of bread") is None
