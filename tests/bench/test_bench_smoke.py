"""Smoke test of the benchmark (bench/): a tiny network, every kind of measurement, once.

It checks that the bench still runs against the current code, never how fast anything is.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rich.console import Console

# bench/ lives beside src/ and tests/, outside the installed package.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from bench.loadgen import WINDOW_REQUESTS_VARIABLE  # noqa: E402
from bench.queries import query_mix  # noqa: E402
from bench.report import write_report  # noqa: E402
from bench.run import QUICK, run  # noqa: E402

FIXTURE_CSV = ROOT / "tests/importing/fixtures/iri-codes.csv"


def test_generator_is_deterministic_and_parses(tmp_path: Path) -> None:
    first = generate(1000, tmp_path / "a")
    second = generate(1000, tmp_path / "b")
    assert first.nquads.read_bytes() == second.nquads.read_bytes()
    store = ox.Store()
    store.bulk_load(path=str(first.nquads), format=ox.RdfFormat.N_QUADS)
    assert 700 <= first.triples <= 1300
    assert len(store) <= first.triples  # duplicates (a repeated partner) collapse
    triples = list(ox.parse(path=str(first.ntriples), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == first.triples
    graphs = {str(g) for g in store.named_graphs()}
    assert any("/graph/contribution/" in g for g in graphs)
    assert "<https://w3id.org/commons-graph/graph/provenance>" in graphs


def test_every_query_of_the_mix_parses_and_runs(tmp_path: Path) -> None:
    network = generate(1000, tmp_path)
    store = ox.Store()
    store.bulk_load(path=str(network.nquads), format=ox.RdfFormat.N_QUADS)
    for kind in query_mix(network.sizes, variants=4):
        for query in kind.variants:
            assert isinstance(
                store.query(query, use_default_graph_as_union=True), ox.QuerySolutions
            )


@pytest.mark.slow
def test_one_tiny_run_measures_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every load window ends after a few answers per client instead of a whole second of
    # saturated servers (wrk counts whole seconds): the run passes through each measurement.
    monkeypatch.setenv(WINDOW_REQUESTS_VARIABLE, "20")
    plan = replace(
        QUICK,
        sizes=(1000,),
        # One client and one kind of the mix make the fewest windows that still pass through
        # every measurement.
        seconds=0.5,
        connections=1,
        contributions=2,
        validate_pyshacl_up_to=1000,
        pyshacl_timeout=120,
        csv=True,
        csv_file=FIXTURE_CSV,
        csv_runs=1,
        max_kinds=1,
    )
    results = run(plan, tmp_path / "data", quick=True)
    size = results["sizes"]["1000"]
    assert {row["peer"] for row in size["queries"]} >= {"commons-graph", "oxigraph serve"}
    assert all(check["agree"] for check in size["answers"].values()), size["answers"]
    assert {row["page"] for row in size["pages"]} == {"resource page", "list page"}
    assert size["lists"]["csv_export"]["status"] == 200 and size["lists"]["csv_export"]["rows"] > 0
    assert size["lists"]["two_facets"]["single_client"]["requests"] > 0
    assert size["contributions_http"]["statuses"] == {"201": 5}
    assert set(size["contribution_phases"]) >= {"parse", "authorise", "validate", "commit"}
    assert size["validation"]["agreement"]["equal"]
    assert size["memory"]["commons-graph"]["process"] > 0
    assert any("triples_per_s" in row for row in size["loads"])
    assert results["csv_import"]["rows"] > 0 and results["csv_import"]["rows_per_s"] > 0
    assert size["network"]["neighbourhood_depth_2"]["samples"] > 0
    assert size["network"]["memory"]["links"] > 0
    written = write_report(results, tmp_path / "results", Console(quiet=True))
    assert json.loads(written.read_text())["mode"] == "quick"
    assert written.with_suffix(".md").read_text().startswith("Run: quick")


def test_search_bench_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench.measure_search import main as measure_search

    measure_search(
        ["--size", "1000", "--runs", "5", "--contributions", "3", "--data", str(tmp_path)]
    )
    printed = capsys.readouterr().out
    assert "index build" in printed and "suggest: p50" in printed
