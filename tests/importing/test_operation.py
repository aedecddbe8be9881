"""Importing standard CSV files into a real store: mapping, metadata, validation, linking."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.importing import (
    DatasetDescription,
    dataset_graph,
    dataset_of,
    import_standard_csv,
    organisation_iri,
)
from commons_graph.store import Store
from commons_graph.store.http import ServerStatusError

FIXTURES = Path(__file__).parent / "fixtures"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX essglobal: <http://purl.org/essglobal/vocab/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX cc: <http://creativecommons.org/ns#>
PREFIX cg: <https://w3id.org/commons-graph/ontology#>
PREFIX os: <http://purl.org/essglobal/standard/organisational-structure/>
PREFIX ica: <http://purl.org/essglobal/standard/activities-ica/>
"""


def _import(store: Store, name: str, fixture: str, **kwargs: object):  # type: ignore[no-untyped-def]
    description = DatasetDescription(name, ODC_BY, "Contains test data", "https://example.org/src")
    return import_standard_csv(store, FIXTURES / fixture, description, **kwargs)  # type: ignore[arg-type]


def _ask(store: Store, body: str, org: ox.NamedNode) -> bool:
    return store.ask(PREFIXES + "ASK { " + body + " }", {"org": org})


def test_every_column_is_mapped_to_the_ontology(
    store: Store, request: pytest.FixtureRequest
) -> None:
    report = _import(store, "fixture", "iri-codes.csv")
    assert (report.rows_read, report.imported, report.skipped) == (3, 2, 1)
    org = organisation_iri("fixture", "T001")
    assert org.value == "https://w3id.org/commons-graph/id/organisation/fixture-t001"
    graph = dataset_graph("fixture")
    assert store.ask(
        PREFIXES + "ASK { GRAPH ?g { ?org a org:Organization, essglobal:SSEInitiative, "
        "cg:Cooperative ; rdfs:label 'Riverside Bakery Co-op'@en } }",
        {"org": org, "g": graph},
    )
    for body in [
        "?org essglobal:organisationalStructure os:OS60",
        "?org essglobal:primarySector ica:ICA140 ; essglobal:economicSector ica:ICA140",
        "?org essglobal:additionalSectors ica:ICA260",
        "?org essglobal:baseMembershipType "
        "<http://purl.org/essglobal/standard/base-membership-type/BMT30>",
        "?org essglobal:qualifier <http://purl.org/essglobal/standard/qualifiers/Organic>",
        "?org essglobal:legalForm <http://purl.org/essglobal/standard/legal-form/L2>",
        "?org schema:address ?a . ?a a schema:PostalAddress ; "
        "schema:streetAddress '1 Mill Lane\\nRiverside' ; schema:addressLocality 'Leeds' ; "
        "schema:addressRegion 'West Yorkshire' ; schema:postalCode 'LS1 1AA' ; "
        "schema:addressCountry 'GB'",
        "?org wgs:lat 53.8 ; wgs:long -1.55",
        "?org geo:sfWithin <http://data.ordnancesurvey.co.uk/id/postcodeunit/LS11AA>",
        "?org foaf:homepage <http://www.riverside-bakery.coop>",
        "?org org:identifier '01234567' ; dcterms:identifier 'T001'",
        "?org schema:keywords 'Food'@en",
        "?org void:inDataset <https://w3id.org/commons-graph/id/dataset/fixture>",
    ]:
        assert _ask(store, body, org), body
    point = "?org geo:hasGeometry/geo:asWKT 'POINT(-1.55 53.8)'^^geo:wktLiteral"
    if request.node.callspec.params.get("backend_settings") == "virtuoso":
        # Virtuoso refuses any query naming a wktLiteral constant (docs/remote.md).
        with pytest.raises(ServerStatusError, match="Bad datatype code"):
            _ask(store, point, org)
    else:
        assert _ask(store, point, org)
    description = store.select(
        PREFIXES + "SELECT ?d WHERE { ?org dcterms:description ?d }", {"org": org}
    ).rows[0][0]
    assert isinstance(description, ox.Literal)
    assert (
        description.value == "Bread & cakes made by its workers." and description.language == "en"
    )


def test_geo_container_coordinates_are_used_when_the_row_has_none(store: Store) -> None:
    _import(store, "fixture", "iri-codes.csv")
    org = organisation_iri("fixture", "T002")
    assert _ask(store, "?org wgs:lat 53.96 ; geo:hasGeometry/geo:asWKT ?wkt", org)
    # OS130 says "Community Benefit Society": no kind of the ontology is claimed from it.
    assert not _ask(store, "?org a cg:Cooperative", org)
    # "Society" is a legal form of the shipped list (data/schemes/legal-forms.ttl).
    assert _ask(
        store, "?org essglobal:legalForm <https://w3id.org/commons-graph/legal-form/society>", org
    )


def test_a_row_failing_the_shapes_is_reported_and_skipped(store: Store) -> None:
    report = _import(store, "fixture", "iri-codes.csv")
    assert [(i.row, i.column, i.severity) for i in report.errors] == [(4, "Name", "error")]
    assert "rdfs:label" in report.errors[0].message
    assert not _ask(store, "?org ?p ?o", organisation_iri("fixture", "T003"))


def test_bare_codes_other_orders_missing_and_extra_columns(store: Store) -> None:
    report = _import(store, "bare", "bare-codes-reordered.csv", kind="network")
    assert report.unknown_columns == ("Favourite Colour",)
    assert (report.rows_read, report.imported, report.skipped) == (3, 2, 1)
    issues = {(i.row, i.column, i.severity) for i in report.issues}
    assert issues == {
        (2, "Activities", "warning"),  # ICA999
        (2, "Latitude", "warning"),  # not-a-number
        (3, "Organisational Structure", "warning"),  # OS9999
        (4, "Identifier", "error"),  # B-1 again
    }
    first = organisation_iri("bare", "B-1")
    assert _ask(store, "?org essglobal:organisationalStructure os:OS115 ; a cg:Network", first)
    assert _ask(store, "?org essglobal:additionalSectors ica:ICA10", first)
    assert not _ask(store, "?org wgs:lat ?lat", first)
    assert not _ask(store, "?org geo:hasGeometry ?g", first)
    assert _ask(store, "?org rdfs:label 'Ouishare UK'@en", first)
    second = organisation_iri("bare", "B-2")
    assert not _ask(store, "?org essglobal:organisationalStructure ?s", second)
    assert _ask(store, "?org schema:address/schema:postalCode 'AB1 2CD'", second)


def test_the_dataset_is_described_with_licence_attribution_and_provenance(store: Store) -> None:
    _import(store, "fixture", "iri-codes.csv")
    dataset = ox.NamedNode("https://w3id.org/commons-graph/id/dataset/fixture")
    assert store.ask(
        PREFIXES + "ASK { GRAPH ?g { ?org a <http://www.w3.org/ns/dcat#Dataset>, void:Dataset ; "
        "dcterms:license <" + ODC_BY + "> ; cc:attributionName 'Contains test data' ; "
        "dcterms:rights 'Contains test data' ; dcterms:source <https://example.org/src> ; "
        "dcterms:modified ?m ; prov:generatedAtTime ?m ; void:entities 2 ; "
        "prov:wasGeneratedBy ?a . ?a a prov:Activity ; prov:startedAtTime ?s ; "
        "prov:endedAtTime ?e ; prov:used <https://example.org/src> ; "
        "prov:wasAssociatedWith [ a prov:SoftwareAgent ] } }",
        {"org": dataset, "g": dataset_graph("fixture")},
    )
    info = dataset_of(store, organisation_iri("fixture", "T001").value)
    assert info is not None
    assert (info.iri, info.licence, info.attribution) == (
        dataset.value,
        ODC_BY,
        "Contains test data",
    )
    assert info.graph == dataset_graph("fixture").value
    assert dataset_of(store, "https://w3id.org/commons-graph/id/organisation/nobody") is None


def _organisation_quads(store: Store) -> set[ox.Quad]:
    dataset = "https://w3id.org/commons-graph/id/dataset/fixture"
    graph = dataset_graph("fixture")
    return {q for q in store.quads(graph) if not q.subject.value.startswith((dataset, graph.value))}


def test_importing_twice_changes_only_the_import_times(store: Store) -> None:
    _import(store, "fixture", "iri-codes.csv")
    first, count = _organisation_quads(store), store.count()
    second_report = _import(store, "fixture", "iri-codes.csv")
    assert _organisation_quads(store) == first
    assert store.count() == count
    assert second_report.imported == 2


def test_reimporting_a_smaller_file_removes_what_left_it(store: Store) -> None:
    _import(store, "fixture", "iri-codes.csv")
    _import(store, "fixture", "bare-codes-reordered.csv")
    assert not _ask(store, "?org ?p ?o", organisation_iri("fixture", "T001"))
    assert _ask(store, "?org ?p ?o", organisation_iri("fixture", "B-1"))


def test_organisations_already_known_are_linked_not_duplicated(seeded_store: Store) -> None:
    report = _import(seeded_store, "bare", "bare-codes-reordered.csv")
    assert report.linked == 1
    imported = organisation_iri("bare", "B-1")
    seed = ox.NamedNode("https://w3id.org/commons-graph/id/organisation/ouishare")
    assert seeded_store.ask(
        PREFIXES + "ASK { GRAPH ?g { ?org owl:sameAs ?seed } }",
        {"org": imported, "seed": seed, "g": dataset_graph("bare")},
    )
    # Linked, not merged: the dataset's graph says nothing about the seed organisation itself.
    assert not seeded_store.ask(
        "ASK { GRAPH ?g { ?seed ?p ?o } }", {"seed": seed, "g": dataset_graph("bare")}
    )


def test_imported_codes_resolve_to_labelled_concepts(seeded_store: Store) -> None:
    _import(seeded_store, "fixture", "iri-codes.csv")
    label = seeded_store.select(
        PREFIXES + "SELECT ?label WHERE { ?org essglobal:organisationalStructure ?s . "
        "?s skos:prefLabel ?label FILTER(lang(?label) = 'fr') }",
        {"org": organisation_iri("fixture", "T001")},
    ).rows
    assert label and isinstance(label[0][0], ox.Literal) and label[0][0].value


def _repeated(fixture: str, copies: int, folder: Path) -> Path:
    """`fixture`'s rows `copies` times, each copy with its own identifiers and homepages."""
    with (FIXTURES / fixture).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    identifier, website = header.index("Identifier"), header.index("Website")
    path = folder / f"{copies}-{fixture}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for copy in range(copies):
            for row in rows:
                row = list(row)
                row[identifier] = f"{row[identifier]}-{copy}"
                row[website] = row[website] and f"https://{copy}.example.org/"
                writer.writerow(row)
    return path


@pytest.mark.parametrize("batch_rows", [2000, 70])
def test_a_large_import_skips_failing_rows_and_counts_what_it_kept(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """Thousands of rows: written while validated (embedded store), then the failures removed;
    validated and written in one batch, or in many (the same rows fail)."""
    monkeypatch.setattr("commons_graph.importing.operation._BATCH_ROWS", batch_rows)
    path = _repeated("iri-codes.csv", 400, tmp_path)
    description = DatasetDescription("large", ODC_BY, "Contains test data")
    report = import_standard_csv(store, path, description)
    assert (report.rows_read, report.imported, report.skipped) == (1200, 800, 400)
    assert {(i.column, i.severity) for i in report.errors} == {("Name", "error")}
    assert report.triples > 20_000  # the embedded store's bulk path
    assert not _ask(store, "?org ?p ?o", organisation_iri("large", "T003-7"))
    assert _ask(store, "?org ?p ?o", organisation_iri("large", "T001-7"))
    graph = dataset_graph("large")
    assert store.count(graph) == report.triples
    dataset = ox.NamedNode("https://w3id.org/commons-graph/id/dataset/large")
    counted = store.select(
        PREFIXES + "SELECT ?entities WHERE { GRAPH ?g { ?d void:entities ?entities } }",
        {"d": dataset, "g": graph},
    ).rows
    assert [int(e.value) for (e,) in counted] == [800]  # type: ignore[union-attr]
    # No count is written inside the graph it would count: VoID states the store's count.
    assert not _ask(store, "?org <http://rdfs.org/ns/void#triples> ?n", dataset)
