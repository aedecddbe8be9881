"""Importing open datasets (the Digital Commons "standard" CSV layout) into the network."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.importing.messages import MESSAGES as _MESSAGES
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

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
