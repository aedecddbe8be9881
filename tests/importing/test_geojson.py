"""`commons-graph import geojson`: each shipped layout (synthetic files in data/, written for
these tests in the TransforMap, GoGoCarto and Mykomap layouts), mapping files, hostile files,
atomic re-import and linking, through the real command and real stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.errors import BadInputError
from commons_graph.importing import DatasetDescription, dataset_graph, organisation_iri
from commons_graph.importing.geojson import import_geojson, representative_point
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from tests.helpers.backends import store_options

DATA = Path(__file__).parent / "data"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
PREFIXES = """
PREFIX cg: <https://w3id.org/commons-graph/ontology#>
PREFIX essglobal: <http://purl.org/essglobal/vocab/>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX cc: <http://creativecommons.org/ns#>
PREFIX void: <http://rdfs.org/ns/void#>
"""


def _options(settings: Settings) -> list[str]:
    return store_options(settings)


def _run(settings: Settings, path: Path, dataset: str, *extra: str) -> Any:
    return CliRunner().invoke(
        main,
        [*_options(settings), "import", "geojson", str(path), "--dataset", dataset,
         "--licence", CC_BY, "--attribution", "Contains test data", *extra],
    )  # fmt: skip


@pytest.fixture
def seeded(backend_settings: Settings) -> Settings:
    """Settings of a seeded store of each backend, closed for the command to open."""
    store = open_store(backend_settings)
    initialise(store)
    store.close()
    return backend_settings


def _ask(settings: Settings, body: str, **bindings: Any) -> bool:
    store = open_store(settings)
    try:
        return store.ask(PREFIXES + "ASK { " + body + " }", bindings)
    finally:
        store.close()


def test_each_shipped_layout_imports_with_licence_languages_categories_and_links(
    seeded: Settings, tmp_path: Path
) -> None:
    for layout in ("transformap", "gogocarto", "mykomap"):
        report = tmp_path / f"{layout}.json"
        result = _run(seeded, DATA / f"{layout}.geojson", layout, "--mapping", layout,
                      "--report", str(report))  # fmt: skip
        assert result.exit_code == 0, result.stderr
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["imported"] >= 2
        assert {c["column"] for c in data["columns"]} >= {"name", "geometry"}
        if layout == "gogocarto":  # "address" as a text where an object is expected
            assert {"row": 4, "column": "address", "severity": "warning",
                    "message": "not an object, so address.streetAddress cannot be read; "
                    "left out"} in data["issues"]  # fmt: skip
        assert _ask(seeded, f"GRAPH <{dataset_graph(layout).value}> {{ ?d cc:attributionName "
                    f"'Contains test data' ; dcterms:license <{CC_BY}> }}")  # fmt: skip
    seed_library = organisation_iri("transformap", "node/1001")
    # Other languages, HTML removed, categories as keywords, a category naming a kind.
    assert _ask(
        seeded,
        "?o rdfs:label 'Seed Library Paris'@en , 'Grainothèque de Paris'@fr ; "
        "dcterms:description 'Seeds shared by neighbours & gardeners.'@en , ?fr ; "
        "schema:keywords 'Food'@en ; a cg:Cooperative ; "
        "essglobal:economicSector <http://purl.org/essglobal/standard/activities-ica/ICA10> "
        "FILTER(lang(?fr) = 'fr')",
        o=seed_library,
    )
    assert not _ask(seeded, "?o rdfs:label ?l FILTER(lang(?l) = 'de')", o=seed_library)
    # A polygon is located at the centre of its outer ring's bounding box.
    energy = organisation_iri("transformap", "way/2002")
    assert _ask(seeded, "?o wgs:lat 53.81 ; wgs:long -1.55 ; a cg:Association", o=energy)
    # osmtogeojson's nested "tags" object, and coordinates written as text.
    assert _ask(
        seeded,
        "?o rdfs:label 'Bike Kitchen Bristol'@en ; wgs:lat 51.4545 ; "
        "schema:address/schema:addressLocality 'Bristol' ; "
        "<http://xmlns.com/foaf/0.1/homepage> <http://bikekitchen.example.org>",
        o=organisation_iri("transformap", "node/6006"),
    )
    # A null geometry: imported, without a location; a feature without a name: skipped.
    assert not _ask(seeded, "?o rdfs:label 'Repair Café without a place'@en ; wgs:lat ?lat")
    assert _ask(seeded, "?o rdfs:label 'Repair Café without a place'@en")
    assert not _ask(seeded, "?o ?p ?v", o=organisation_iri("transformap", "node/4004"))
    # GoGoCarto: French by default, the nested address, categories given as objects.
    miette = organisation_iri("gogocarto", "aB3x")
    assert _ask(seeded, "?o rdfs:label 'La Miette Coopérative'@fr ; a cg:Cooperative ; "
                "schema:address/schema:postalCode '69001'", o=miette)  # fmt: skip
    assert _ask(seeded, "?o schema:keywords 'Habitat'@fr ; rdfs:label ?en FILTER(lang(?en)='en')",
                o=organisation_iri("gogocarto", "7731"))  # fmt: skip
    # Ouishare, at Paris, is the seed's Ouishare (founded in Paris): linked, not merged.
    assert _ask(
        seeded,
        "?o owl:sameAs <https://w3id.org/commons-graph/id/organisation/ouishare>",
        o=organisation_iri("gogocarto", "zz9"),
    )
    assert not _ask(seeded, "?o owl:sameAs ?x", o=miette)
    # Mykomap: ESSGlobal codes and a typed Companies House number (leading zero restored).
    northern = organisation_iri("mykomap", "M-001")
    assert _ask(
        seeded,
        "?o a cg:Cooperative ; essglobal:primarySector ?a ; essglobal:legalForm "
        "<https://w3id.org/commons-graph/legal-form/society> ; "
        "<http://www.w3.org/ns/org#identifier> '01234567'",
        o=northern,
    )


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('{"type": "FeatureCollection", "features": [', "import.geojson.not_json"),
        ("[" * 100_000 + "]" * 100_000, "import.geojson.too_deep"),
        ('{"type": "Feature", "properties": {}}', "import.geojson.not_collection"),
        ('{"type": "FeatureCollection", "features": {}}', "import.geojson.not_collection"),
        (b"\xff\xfe{".decode("latin-1"), "import.geojson.not_json"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_writes_nothing_and_keeps_the_last_import(
    embedded_settings: Settings, tmp_path: Path, content: str, key: str
) -> None:
    store = open_store(embedded_settings)
    description = DatasetDescription("tm", CC_BY, "Contains test data")
    import_geojson(store, DATA / "transformap.geojson", description)
    before = sorted(str(q) for q in store.quads(dataset_graph("tm")))
    bad = tmp_path / "bad.geojson"
    bad.write_text(content, encoding="latin-1")
    with pytest.raises(BadInputError) as raised:
        import_geojson(store, bad, description)
    assert raised.value.key in (key, "import.error.not_utf8")
    assert raised.value.message("fr") != raised.value.message("en")
    assert sorted(str(q) for q in store.quads(dataset_graph("tm"))) == before
    store.close()


def test_the_command_explains_a_bad_file_in_french(
    embedded_settings: Settings, tmp_path: Path
) -> None:
    open_store(embedded_settings).close()
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [}', encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--store", embedded_settings.store, "import", "geojson", str(bad),
         "--dataset", "x", "--licence", CC_BY, "--attribution", "x"],
        env={"LC_ALL": "fr_FR.UTF-8"},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "n'est pas du JSON valide" in result.stderr and "ligne 1" in result.stderr


@pytest.mark.parametrize(
    ("toml", "detail"),
    [
        ('[properties]\nnom = ["name"]\n', "unknown target"),
        ("[properties\n", "Expected"),
        ('lang = "de"\n', "lang must be"),
        ('[kinds]\n"coop" = "guild"\n', "guild"),
        ('[activities]\n"food" = "ICA9999"\n', "ICA9999"),
        ("[properties]\nname = [1, 2]\n", "property name"),
    ],
)
def test_mapping_file_errors_are_clear(
    embedded_settings: Settings, tmp_path: Path, toml: str, detail: str
) -> None:
    open_store(embedded_settings).close()
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(toml, encoding="utf-8")
    result = _run(embedded_settings, DATA / "transformap.geojson", "x", "--mapping", str(mapping))
    assert result.exit_code == 2
    assert "mapping.toml" in result.stderr and detail in result.stderr
    missing = _run(embedded_settings, DATA / "transformap.geojson", "x", "--mapping", "nowhere")
    assert missing.exit_code == 2 and "gogocarto" in missing.stderr


def test_a_custom_mapping_file(embedded_settings: Settings, tmp_path: Path) -> None:
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        'lang = "fr"\n[properties]\nidentifier = "ref"\nname = "titre"\ncategories = "genre"\n'
        '[kinds]\n"scic" = "cooperative"\n',
        encoding="utf-8",
    )
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.44, 43.6]},
         "properties": {"ref": "a1", "titre": "Cantine", "genre": "SCIC|Cantine"}},
    ]  # fmt: skip
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    store = open_store(embedded_settings)
    report = import_geojson(store, path, DatasetDescription("mine", CC_BY, "x"), mapping=mapping)
    assert report.imported == 1
    assert store.ask(
        PREFIXES + "ASK { ?o rdfs:label 'Cantine'@fr ; a cg:Cooperative ; "
        "schema:keywords 'SCIC'@fr , 'Cantine'@fr }",
        {"o": organisation_iri("mine", "a1")},
    )
    store.close()


def test_representative_points() -> None:
    assert representative_point({"type": "Point", "coordinates": [2.0, 48.0, 35.0]}) == (48.0, 2.0)
    ring = [[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]
    hole = [[1, 1], [2, 1], [2, 1.5], [1, 1]]
    assert representative_point({"type": "Polygon", "coordinates": [ring, hole]}) == (1.0, 2.0)
    multi = {"type": "MultiPolygon", "coordinates": [[ring], [[[10, 10], [12, 10], [10, 12]]]]}
    assert representative_point(multi) == (6.0, 6.0)
    collection = {"type": "GeometryCollection", "geometries": [None, {"type": "Point",
                  "coordinates": [5, 6]}]}  # fmt: skip
    assert representative_point(collection) == (6.0, 5.0)
    odd_ones: list[Any] = [None, {}, {"type": "Point"}, {"type": "Circle"}, [1, 2]]
    odd_ones += [{"type": "Point", "coordinates": c} for c in (["a", "b"], [200, 100])]
    for odd in odd_ones:
        assert representative_point(odd) is None


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_geometries = st.one_of(
    st.none(),
    st.builds(lambda x, y: {"type": "Point", "coordinates": [x, y]}, st.floats(), st.floats()),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["Polygon", "LineString", "Nope"]), "coordinates": _values}
    ),  # fmt: skip
    _values,
)
_properties = st.dictionaries(
    st.sampled_from(["name", "name:fr", "description_en", "id", "website", "tags", "categories",
                     "type_of_initiative", "addr:city", "addr:postcode"]) | st.text(max_size=8),
    _values,
    max_size=8,
)  # fmt: skip
_features = st.lists(
    st.fixed_dictionaries(
        {"type": st.just("Feature"), "properties": _properties | _values, "geometry": _geometries}
    )
    | _values,
    max_size=6,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(features=_features)
def test_odd_features_are_imported_or_reported_never_a_crash(
    embedded_settings: Settings, tmp_path: Path, features: list[Any]
) -> None:
    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    store = open_store(embedded_settings)
    try:
        report = import_geojson(store, path, DatasetDescription("odd", CC_BY, "x"))
        assert report.rows_read == len(features)
        assert report.imported + report.skipped == report.rows_read
        organisations = store.select(
            "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o <http://rdfs.org/ns/void#inDataset> ?d } "
            "FILTER(isIRI(?o) && CONTAINS(STR(?o), '/organisation/')) }",
        ).rows
        assert len(organisations) == report.imported
    finally:
        store.close()


def test_files_and_features_beyond_the_limits(
    embedded_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commons_graph.importing import geojson_reader

    deep: Any = "bottom"
    for _ in range(geojson_reader.MAX_DEPTH + 2):
        deep = {"inner": deep}
    features = [
        {"type": "Feature", "id": "ok", "geometry": None, "properties": {"name": "Fine"}},
        {"type": "Feature", "id": "deep", "geometry": None,
         "properties": {"name": "Deep", "extra": deep}},
        {"type": "Feature", "id": "wide", "geometry": None,
         "properties": {"name": "Wide", **{f"p{n}": n for n in range(600)}}},
        {"type": "Feature", "id": "long", "geometry": None, "properties": {"name": "L" * 50_000}},
    ]  # fmt: skip
    path = tmp_path / "limits.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    store = open_store(embedded_settings)
    try:
        report = import_geojson(store, path, DatasetDescription("limits", CC_BY, "x"))
        assert (report.rows_read, report.imported) == (4, 2)
        skipped = {(i.row, i.column) for i in report.errors}
        assert skipped == {(2, "properties"), (3, "properties")}
        names = store.select(
            "SELECT ?n WHERE { ?o <http://www.w3.org/2000/01/rdf-schema#label> ?n }"
            " ORDER BY STRLEN(?n)",
        ).rows
        assert [len(n.value) for (n,) in names if n is not None][-1] == geojson_reader.MAX_TEXT
        # Whole files: over the size or feature limits, refused before anything is read.
        monkeypatch.setattr(geojson_reader, "MAX_FEATURES", 3)
        with pytest.raises(BadInputError) as raised:
            import_geojson(store, path, DatasetDescription("limits", CC_BY, "x"))
        assert raised.value.key == "import.geojson.too_many"
        monkeypatch.setattr(geojson_reader, "MAX_BYTES", 1000)
        with pytest.raises(BadInputError) as raised:
            import_geojson(store, path, DatasetDescription("limits", CC_BY, "x"))
        assert raised.value.key == "import.geojson.too_large"
        assert report.imported == len(
            store.select(
                "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o <http://rdfs.org/ns/void#inDataset> ?d } "
                "FILTER(CONTAINS(STR(?o), '/organisation/')) }",
                {"g": dataset_graph("limits")},
            ).rows
        )
    finally:
        store.close()


def test_a_bad_dataset_name_is_refused_before_the_file_is_read(
    embedded_settings: Settings, tmp_path: Path
) -> None:
    open_store(embedded_settings).close()
    not_even_json = tmp_path / "x.geojson"
    not_even_json.write_text("{", encoding="utf-8")
    result = _run(embedded_settings, not_even_json, "Not A Name")
    assert result.exit_code == 2 and "Not A Name" in result.stderr
