"""Every column of the Co-operatives UK file that carries meaning is kept: legal form, UK SIC
2007, ownership, typed identifiers, one kind per organisation, and the per-column report;
through the real command on a slice of the real file, on each backend."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.importing import organisation_iri
from commons_graph.store import Store, open_store
from tests.helpers.backends import BACKENDS, seeded_settings, store_options

ROOT = Path(__file__).parents[2]
DATASET = ROOT / "datasets" / "coops-uk" / "coops-uk-standard-2023-03-02.csv"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
PREFIXES = """
PREFIX cg: <https://w3id.org/commons-graph/ontology#>
PREFIX essglobal: <http://purl.org/essglobal/vocab/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX schema: <https://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
SIC = "https://w3id.org/commons-graph/uk-sic-2007/"
LEGAL = "https://w3id.org/commons-graph/legal-form/"
Row = dict[str, str]

# One row of each case the mapping must handle, chosen from the real file.
CASES: dict[str, Callable[[Row], bool]] = {
    "society": lambda r: r["Legal Form"] == "Society" and r["SIC Code"] == "47110",
    "company owned by workers (OS50)": lambda r: (
        r["Organisational Structure"].endswith("/OS50")
        and r["Ownership Classification"] == "Workers"
        and bool(r["Companies House Number"])
    ),
    "community interest company (OS120)": lambda r: r["Organisational Structure"].endswith(
        "/OS120"
    ),
    "scio": lambda r: r["Legal Form"] == "Scottish Charitable Incorporated Organisation",
    "unincorporated": lambda r: r["Legal Form"] == "Unincorporated",
    "llp": lambda r: r["Legal Form"] == "LLP",
    "act of parliament": lambda r: r["Legal Form"] == "Act of Parliament",
    "division-level SIC code": lambda r: r["SIC Code"] == "47000",
    "no ownership": lambda r: not r["Ownership Classification"] and bool(r["SIC Code"]),
    "no legal form": lambda r: not r["Legal Form"],
}


@pytest.fixture(scope="module")
def cuk_slice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Row]]:
    """A slice of the real file: the header and one row per case."""
    with DATASET.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        headers = list(reader.fieldnames or [])
        chosen: dict[str, Row] = {}
        for row in reader:
            for case, test in CASES.items():
                if case not in chosen and test(row):
                    chosen[case] = row
    assert set(chosen) == set(CASES)
    path = tmp_path_factory.mktemp("cuk") / "slice.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, headers)
        writer.writeheader()
        writer.writerows(_distinct(chosen))
    return path, chosen


def _distinct(rows: dict[str, Row]) -> list[Row]:
    """The rows chosen, each once (a row may serve two cases)."""
    return list({row["Identifier"]: row for row in rows.values()}.values())


def _store_options(settings: Settings) -> list[str]:
    return store_options(settings)


@pytest.fixture(scope="module", params=BACKENDS)
def imported(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    cuk_slice: tuple[Path, dict[str, Row]],
) -> Iterator[tuple[Store, dict[str, Row], dict[str, object], str]]:
    """The slice imported once per backend by the command into a seeded store (the tests only
    read it); the report file; stdout."""
    folder = tmp_path_factory.mktemp("faithful")
    settings = seeded_settings(request, request.param, folder)
    path, rows = cuk_slice
    report = folder / "report.json"
    result = CliRunner().invoke(
        main,
        [*_store_options(settings), "import", "standard-csv", str(path),
         "--dataset", "coops-uk", "--licence", ODC_BY, "--attribution",
         "Contains data from Co-operatives UK", "--title", "Co-operatives UK open data",
         "--kind", "cooperative", "--quiet", "--report", str(report)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    store = open_store(settings)
    try:
        yield store, rows, json.loads(report.read_text(encoding="utf-8")), result.stdout
    finally:
        store.close()


def _org(row: Row) -> str:
    return f"<{organisation_iri('coops-uk', row['Identifier']).value}>"


def _objects(store: Store, row: Row, path: str) -> set[str]:
    query = PREFIXES + f"SELECT ?o WHERE {{ {_org(row)} {path} ?o }}"
    return {term.value for (term,) in store.select(query).rows if term is not None}


def test_legal_forms_reuse_essglobal_and_add_what_it_lacks(imported: tuple) -> None:  # type: ignore[type-arg]
    store, rows, _, _ = imported
    expected = {
        "society": LEGAL + "society",
        "company owned by workers (OS50)": "http://purl.org/essglobal/standard/legal-form/L3",
        "scio": LEGAL + "scio",
        "unincorporated": LEGAL + "unincorporated",
        "llp": LEGAL + "llp",
        "act of parliament": LEGAL + "act-of-parliament",
    }
    for case, form in expected.items():
        assert _objects(store, rows[case], "essglobal:legalForm") == {form}, case
    assert _objects(store, rows["no legal form"], "essglobal:legalForm") == set()
    # Every legal form used is a labelled concept of the shipped scheme, in English and French.
    query = (
        PREFIXES
        + """ASK { ?c skos:inScheme <https://w3id.org/commons-graph/scheme/legal-forms> ;
        skos:prefLabel ?en , ?fr . FILTER(lang(?en) = "en" && lang(?fr) = "fr")
        FILTER(?c = <https://w3id.org/commons-graph/legal-form/society>) }"""
    )
    assert store.ask(query)


def test_sic_codes_are_concepts_of_uk_sic_2007_with_their_sections(imported: tuple) -> None:  # type: ignore[type-arg]
    store, rows, _, _ = imported
    assert _objects(store, rows["society"], "cg:industry") == {SIC + "47110"}
    assert _objects(store, rows["society"], "cg:industry/skos:broader+") >= {SIC + "G"}
    # 47000: an activity known only to its division.
    assert _objects(store, rows["division-level SIC code"], "cg:industry") == {SIC + "47"}
    labels = _objects(store, rows["society"], "cg:industry/skos:broader+/skos:prefLabel")
    assert "Commerce ; réparation d'automobiles et de motocycles" in labels
    for row in rows.values():
        if row["SIC Code"]:
            assert _objects(store, row, "cg:industry"), row["Identifier"]


def test_ownership_and_one_kind_per_organisation(imported: tuple) -> None:  # type: ignore[type-arg]
    store, rows, report, _ = imported
    workers = rows["company owned by workers (OS50)"]
    assert _objects(store, workers, "cg:ownership") == {
        "https://w3id.org/commons-graph/ownership/workers"
    }
    assert _objects(store, rows["no ownership"], "cg:ownership") == set()
    cg = "https://w3id.org/commons-graph/ontology#"
    kinds = {cg + k for k in ("Cooperative", "Company", "Collective", "Association", "Network")}
    for case, row in rows.items():
        assert _objects(store, row, "a") & kinds == {cg + "Cooperative"}, case
    # No organisation of the dataset has two kinds: counts per kind do not overlap.
    overlap = (
        PREFIXES
        + """ASK { GRAPH <https://w3id.org/commons-graph/graph/dataset/coops-uk> {
        ?o a cg:Cooperative , cg:Company } }"""
    )
    assert not store.ask(overlap)
    assert report["kinds"]["cooperative: --kind (the structure says company)"] >= 2  # type: ignore[index]


def test_identifiers_are_typed_with_their_scheme(imported: tuple) -> None:  # type: ignore[type-arg]
    store, rows, _, _ = imported
    row = rows["company owned by workers (OS50)"]
    number = row["Companies House Number"]
    query = (
        PREFIXES
        + f"""SELECT ?agency ?dt ?value WHERE {{ {_org(row)} adms:identifier ?id .
        ?id a adms:Identifier , schema:PropertyValue ; skos:notation ?n ;
            adms:schemaAgency ?agency ; schema:value ?value .
        {_org(row)} schema:identifier ?id . BIND(datatype(?n) AS ?dt) }}"""
    )
    found = {tuple(term.value for term in r) for r in store.select(query).rows}  # type: ignore[union-attr]
    assert ("Companies House", "https://w3id.org/commons-graph/ontology#CompaniesHouseNumber",
            number) in found  # fmt: skip
    assert ("Co-operatives UK open data",
            "https://w3id.org/commons-graph/id/dataset/coops-uk#identifier",
            row["Identifier"]) in found  # fmt: skip


def test_the_report_says_what_each_column_became(imported: tuple) -> None:  # type: ignore[type-arg]
    store, rows, report, stdout = imported
    columns = {c["column"]: c for c in report["columns"]}  # type: ignore[index, union-attr]
    with DATASET.open(encoding="utf-8-sig", newline="") as handle:
        assert set(columns) == set(next(csv.reader(handle)))
    assert columns["Legal Form"]["treatment"] == "mapped"
    assert "essglobal:legalForm" in columns["Legal Form"]["target"]
    filled = sum(bool(r["Legal Form"]) for r in _distinct(rows))
    assert columns["Legal Form"]["filled"] == columns["Legal Form"]["mapped"] == filled
    assert columns["SIC Code"]["treatment"] == "mapped"
    assert columns["Ownership Classification"]["treatment"] == "mapped"
    assert columns["Phone"]["treatment"] == "dropped" and columns["Phone"]["reason"]
    assert columns["Name"]["treatment"] == "text"
    assert "Columns" in stdout and "Legal Form" in stdout
    # The same report is kept in the dataset's metadata.
    query = (
        PREFIXES
        + """SELECT ?read ?kept WHERE {
        <https://w3id.org/commons-graph/id/dataset/coops-uk> cg:importedColumn ?c .
        ?c rdfs:label "Legal Form" ; cg:columnTreatment "mapped" ;
           cg:valuesRead ?read ; cg:valuesMapped ?kept }"""
    )
    ((read, kept),) = store.select(query).rows
    assert int(read.value) == int(kept.value) == filled  # type: ignore[union-attr]
