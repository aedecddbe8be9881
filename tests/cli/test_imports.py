"""`commons-graph import standard-csv`, through click's runner, on real stores."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.importing import dataset_graph
from commons_graph.store import open_store
from tests.helpers.backends import store_options

FIXTURES = Path(__file__).parents[1] / "importing" / "fixtures"
DATASET = Path(__file__).parents[2] / "datasets" / "coops-uk" / "coops-uk-standard-2023-03-02.csv"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
ORG = "<http://www.w3.org/ns/org#Organization>"


def _store_options(settings: Settings) -> list[str]:
    return store_options(settings)


def _run(settings: Settings, path: Path, *extra: str) -> tuple[int, str, str]:
    open_store(settings).close()  # only `init` creates a store: the test starts from an empty one
    result = CliRunner().invoke(
        main,
        [*_store_options(settings), "import", "standard-csv", str(path), "--dataset", "coops-uk",
         "--licence", ODC_BY, "--attribution", "Contains data from Co-operatives UK", *extra],
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def test_the_command_reports_each_problem_and_a_summary(backend_settings: Settings) -> None:
    code, out, err = _run(backend_settings, FIXTURES / "bare-codes-reordered.csv")
    assert code == 0, err
    assert "row 4, Identifier: same identifier as row 2 [skipped]" in err
    assert "row 2, Latitude:" in err
    for expected in ("Rows read", "Imported", "Skipped", "Linked", "Favourite Colour"):
        assert expected in out


def test_a_bad_dataset_name_is_refused_before_anything_is_written(
    backend_settings: Settings,
) -> None:
    open_store(backend_settings).close()
    result = CliRunner().invoke(
        main,
        [*_store_options(backend_settings), "import", "standard-csv",
         str(FIXTURES / "iri-codes.csv"), "--dataset", "Not A Name", "--licence", ODC_BY,
         "--attribution", "x"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "cannot name a dataset" in result.stderr


@pytest.mark.slow
def test_the_whole_shipped_file_imports_with_counts_matching_the_csv(
    backend_settings: Settings,
) -> None:
    with DATASET.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    code, out, err = _run(backend_settings, DATASET, "--kind", "cooperative")
    assert code == 0, err
    with open_store(backend_settings) as store:
        graph = dataset_graph("coops-uk")
        counts = store.select(
            "SELECT (COUNT(DISTINCT ?o) AS ?orgs) (COUNT(DISTINCT ?h) AS ?sites) WHERE { GRAPH ?g {"
            f" ?o a {ORG} . OPTIONAL {{ ?o <http://xmlns.com/foaf/0.1/homepage> ?h }} }} }}",
            {"g": graph},
        ).rows[0]
    assert int(counts[0].value) == len(records) == 7272  # type: ignore[union-attr]
    sites = {r["Website"] for r in records if r["Website"]}
    assert int(counts[1].value) == len(sites)  # type: ignore[union-attr]
    assert "7272" in out
    # Every column that carries meaning is kept, per organisation, and kinds never overlap.
    with open_store(backend_settings) as store:
        kept = store.select(
            "PREFIX cg: <https://w3id.org/commons-graph/ontology#> "
            "PREFIX essglobal: <http://purl.org/essglobal/vocab/> "
            "SELECT (COUNT(DISTINCT ?f) AS ?forms) (COUNT(DISTINCT ?i) AS ?sic) "
            "(COUNT(DISTINCT ?w) AS ?owned) (COUNT(DISTINCT ?both) AS ?overlap) "
            "WHERE { GRAPH ?g { { ?f essglobal:legalForm [] } UNION { ?i cg:industry [] } "
            "UNION { ?w cg:ownership [] } UNION { ?both a cg:Cooperative , cg:Company } } }",
            {"g": graph},
        ).rows[0]
    legal = sum(bool(r["Legal Form"]) for r in records)
    sic = sum(bool(r["SIC Code"] or r["SIC Section"]) for r in records)
    owned = sum(bool(r["Ownership Classification"]) for r in records)
    assert [int(term.value) for term in kept] == [legal, sic, owned, 0]  # type: ignore[union-attr]
    assert (legal, sum(bool(r["SIC Code"]) for r in records)) == (7226, 7253)
