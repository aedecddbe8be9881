"""A store holding the seed and a small import of the shipped Co-operatives UK file, made by the
importer itself: the data researchers see, at a size tests can afford."""

from __future__ import annotations

import csv
from pathlib import Path

from commons_graph.config import Settings
from commons_graph.importing import DatasetDescription, import_standard_csv, organisation_iri
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.coops_slice import COOPS_UK

ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
ROWS = 30


def small_import(folder: Path, rows: int = ROWS) -> Path:
    """The first `rows` co-operatives of the shipped file, as a file of their own."""
    with COOPS_UK.open(encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        kept = [row for _, row in zip(range(rows + 1), reader, strict=False)]
    path = folder / "coops-uk-sample.csv"
    with path.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(kept)
    return path


def seed_with_coops(folder: Path, rows: int = ROWS) -> Settings:
    """Settings of a store in `folder` holding the seed and `rows` imported co-operatives."""
    location = folder / "store"
    with EmbeddedStore(location) as store:
        initialise(store)
        description = DatasetDescription(
            "coops-uk", ODC_BY, "Contains data from Co-operatives UK", title="Co-operatives UK"
        )
        import_standard_csv(store, small_import(folder, rows), description, kind="cooperative")
    return Settings(store=str(location))


def coop_path(identifier: str = "R000001") -> str:
    """The path of an imported co-operative's page."""
    return organisation_iri("coops-uk", identifier).value.removeprefix(
        "https://w3id.org/commons-graph"
    )
