"""The first rows of the Co-operatives UK file, brought into a store by the real importer."""

from __future__ import annotations

import csv
from pathlib import Path

from commons_graph.importing import DatasetDescription, import_standard_csv
from commons_graph.store.base import Store

ROOT = Path(__file__).resolve().parents[2]
COOPS_UK = ROOT / "datasets/coops-uk/coops-uk-standard-2023-03-02.csv"
ODC_BY = "https://opendatacommons.org/licenses/by/1-0/"
ATTRIBUTION = "Contains data from Co-operatives UK"


def import_slice(store: Store, folder: Path, count: int) -> list[list[str]]:
    """Import the file's header and first `count` rows (written to `folder`) into `store`, as
    the dataset `coops-uk`; the rows read."""
    with COOPS_UK.open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))[: count + 1]
    part = folder / "coops-uk-slice.csv"
    with part.open("w", newline="", encoding="utf-8") as target:
        csv.writer(target).writerows(rows)
    description = DatasetDescription("coops-uk", ODC_BY, ATTRIBUTION, title="Co-operatives UK")
    import_standard_csv(store, part, description, kind="cooperative")
    return rows
