"""Importing open datasets (the Digital Commons "standard" CSV layout) into the network."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from commons_graph.i18n.registry import register
from commons_graph.importing.messages import MESSAGES as _MESSAGES

if TYPE_CHECKING:
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

# Where each name of the package is defined: imported on first use (PEP 562), so that a module
# of the package (the CLI's `terms`) is imported without the whole import pipeline.
_HOMES = {
    "DatasetDescription": "metadata",
    "DatasetInfo": "metadata",
    "dataset_of": "metadata",
    "ImportReport": "operation",
    "import_standard_csv": "operation",
    "dataset_graph": "terms",
    "dataset_iri": "terms",
    "organisation_iri": "terms",
}


def __getattr__(name: str) -> Any:
    """The package's name `name`, from the module that defines it."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
