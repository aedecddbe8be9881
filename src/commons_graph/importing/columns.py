"""The per-column report of an import: each column mapped to what, kept as text, or dropped
and why, with counts; printed by the command, written as JSON and kept in the metadata."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from pyoxigraph import Literal, NamedNode, Triple

from commons_graph.importing import terms as t
from commons_graph.rdf.namespaces import CG, RDF_TYPE, RDFS_COMMENT, RDFS_LABEL, XSD_INTEGER

MAPPED = "mapped"
TEXT = "text"
DROPPED = "dropped"
UNKNOWN = "unknown"

_IMPORTED_COLUMN = NamedNode(CG + "importedColumn")
_IMPORTED_COLUMN_CLASS = NamedNode(CG + "ImportedColumn")
_TREATMENT = NamedNode(CG + "columnTreatment")
_TARGET = NamedNode(CG + "columnTarget")
_VALUES_READ = NamedNode(CG + "valuesRead")
_VALUES_MAPPED = NamedNode(CG + "valuesMapped")


@dataclass
class ColumnReport:
    """One column (or property) of the source and what became of its values."""

    column: str
    treatment: str
    target: str = ""
    reason: str = ""
    filled: int = 0  # rows (features) with a value in this column
    mapped: int = 0  # of those, the rows whose value was kept (mapped or as text)

    @property
    def left_out(self) -> int:
        """Rows whose value was not kept (dropped columns, or values that were not valid)."""
        return self.filled - self.mapped

    def as_dict(self) -> dict[str, object]:
        """The column as JSON writes it."""
        return {**asdict(self), "left_out": self.left_out}


class ColumnTally:
    """Counts, row by row, the values of each column and those kept."""

    def __init__(self, columns: Iterable[ColumnReport]) -> None:
        self.columns = {column.column: column for column in columns}

    def count(self, filled: Iterable[str], rejected: Iterable[str]) -> None:
        """One row: the columns with a value, and those whose value was left out."""
        bad = set(rejected)
        for name in filled:
            column = self.columns.get(name)
            if column is None:
                continue
            column.filled += 1
            if column.treatment in (MAPPED, TEXT) and name not in bad:
                column.mapped += 1

    def report(self) -> list[ColumnReport]:
        """The columns in the order they were given."""
        return list(self.columns.values())


def column_triples(dataset: str, columns: list[ColumnReport]) -> list[Triple]:
    """The report as statements about the dataset (kept with its metadata)."""
    iri = t.dataset_iri(dataset)
    found: list[Triple] = []
    for column in columns:
        node = NamedNode(f"{iri.value}#column-{t.slug(column.column) or 'unnamed'}")
        found += [
            Triple(iri, _IMPORTED_COLUMN, node),
            Triple(node, RDF_TYPE, _IMPORTED_COLUMN_CLASS),
            Triple(node, RDFS_LABEL, Literal(column.column)),
            Triple(node, _TREATMENT, Literal(column.treatment)),
            Triple(node, _VALUES_READ, Literal(str(column.filled), datatype=XSD_INTEGER)),
            Triple(node, _VALUES_MAPPED, Literal(str(column.mapped), datatype=XSD_INTEGER)),
        ]
        if column.target:
            found.append(Triple(node, _TARGET, Literal(column.target)))
        if column.reason:
            found.append(Triple(node, RDFS_COMMENT, Literal(column.reason, language="en")))
    # Two columns may share a slug ("Name" and "name"): keep each statement once.
    return list(dict.fromkeys(found))
