"""Importing open datasets (the Digital Commons "standard" CSV layout) into the network."""

from __future__ import annotations

from commons_graph.importing.metadata import DatasetDescription, DatasetInfo, dataset_of
from commons_graph.importing.operation import ImportReport, import_standard_csv
from commons_graph.importing.terms import dataset_graph, dataset_iri, organisation_iri

__all__ = [
    "DatasetDescription",
    "DatasetInfo",
    "ImportReport",
    "dataset_graph",
    "dataset_iri",
    "dataset_of",
    "import_standard_csv",
    "organisation_iri",
]
