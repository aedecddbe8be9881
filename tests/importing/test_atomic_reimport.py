"""A failing import changes nothing: a re-import that fails halfway through the file leaves the
previous import as it was, and a first import that fails leaves no trace (both backends)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from commons_graph.errors import BadInputError
from commons_graph.importing import DatasetDescription, dataset_graph, import_standard_csv
from commons_graph.importing.geojson import import_geojson
from commons_graph.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
DESCRIPTION = DatasetDescription("atomic", ODC_BY, "Contains test data")


def _contents(store: Store, name: str) -> list[str]:
    return sorted(str(quad) for quad in store.quads(dataset_graph(name)))


def _failing_csv(folder: Path) -> Path:
    """2,500 good rows (more than one batch is written before the end), then a cell beyond the
    CSV reader's field limit: the file fails halfway."""
    with (FIXTURES / "iri-codes.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    path = folder / "fails-halfway.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(2500):
            writer.writerow([f"A{n}", f"Organisation {n}"] + [""] * (len(header) - 2))
        writer.writerow(["Z1", "x" * 200_000] + [""] * (len(header) - 2))
    return path


def test_a_csv_reimport_failing_halfway_leaves_the_previous_import(
    store: Store, tmp_path: Path
) -> None:
    import_standard_csv(store, FIXTURES / "iri-codes.csv", DESCRIPTION)
    before = _contents(store, "atomic")
    assert before
    with pytest.raises(BadInputError):
        import_standard_csv(store, _failing_csv(tmp_path), DESCRIPTION)
    assert _contents(store, "atomic") == before


def test_a_first_csv_import_failing_halfway_writes_nothing(store: Store, tmp_path: Path) -> None:
    with pytest.raises(BadInputError):
        import_standard_csv(store, _failing_csv(tmp_path), DESCRIPTION)
    assert _contents(store, "atomic") == []
    # The store still works: the same name imports cleanly afterwards.
    report = import_standard_csv(store, FIXTURES / "iri-codes.csv", DESCRIPTION)
    assert report.imported == 2


def test_a_geojson_reimport_of_a_broken_file_leaves_the_previous_import(
    store: Store, tmp_path: Path
) -> None:
    import_geojson(store, DATA / "transformap.geojson", DESCRIPTION)
    before = _contents(store, "atomic")
    features = json.loads((DATA / "transformap.geojson").read_text(encoding="utf-8"))["features"]
    broken = tmp_path / "broken.geojson"
    text = json.dumps({"type": "FeatureCollection", "features": features * 50})
    broken.write_text(text[: len(text) // 2], encoding="utf-8")  # cut halfway
    with pytest.raises(BadInputError):
        import_geojson(store, broken, DESCRIPTION)
    assert _contents(store, "atomic") == before
