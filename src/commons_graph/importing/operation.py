"""Importing a standard CSV file: read, map, validate, link, then replace the dataset's graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from commons_graph.errors import BadInputError
from commons_graph.importing import terms as t
from commons_graph.importing.layout import FIELDS, NOT_MAPPED, CsvFile, open_csv
from commons_graph.importing.linking import existing_organisations
from commons_graph.importing.mapping import Issue, MappedRow, MappingOptions, RowMapper
from commons_graph.importing.metadata import DatasetDescription, dataset_triples
from commons_graph.importing.validating import ShapeViolation, validate_quads
from commons_graph.store.base import ChangeSet, Store

Progress = Callable[[int, int], None]
"""Called with (rows mapped so far, rows in the file) while rows are mapped."""


@dataclass
class ImportReport:
    """What an import did: counts, the issues row by row, where the data went."""

    dataset: str
    graph: str
    rows_read: int = 0
    imported: int = 0
    skipped: int = 0
    linked: int = 0
    triples: int = 0
    unknown_columns: tuple[str, ...] = ()
    unmapped_columns: tuple[str, ...] = ()
    issues: list[Issue] = field(default_factory=list)
    engine: str = ""
    seconds: float = 0.0

    @property
    def errors(self) -> list[Issue]:
        """The issues that kept rows out."""
        return [i for i in self.issues if i.severity == "error"]


def import_standard_csv(
    store: Store,
    path: Path,
    description: DatasetDescription,
    *,
    kind: str | None = None,
    progress: Progress | None = None,
    engine: str = "auto",
) -> ImportReport:
    """Import `path` as dataset `description.name`, replacing what an earlier import brought."""
    if not t.is_dataset_name(description.name):
        raise BadInputError(
            f"{description.name!r} cannot name a dataset: use lowercase letters, digits and hyphens"
        )
    if kind is not None and kind not in t.KINDS:
        raise BadInputError(f"unknown kind of organisation {kind!r}")
    started = datetime.now(UTC).replace(microsecond=0)
    csv_file = open_csv(path)
    graph = t.dataset_graph(description.name)
    report = ImportReport(description.name, graph.value)
    report.unknown_columns = csv_file.columns.unknown
    report.unmapped_columns = tuple(
        csv_file.columns.fields[key] for key in NOT_MAPPED if csv_file.columns.has(key)
    )
    mapper = RowMapper(MappingOptions(description.name, description.lang, kind))
    rows = _map_rows(csv_file, mapper, report, progress)
    candidates = [row for row in rows if not row.failed]
    existing = existing_organisations(store, graph)
    links = {
        row.row: [
            Quad(row.subject, t.OWL_SAME_AS, NamedNode(match), graph)
            for match in sorted(existing.matches(row.homepage, row.identifiers))
        ]
        for row in candidates
        if row.subject is not None
    }

    def statements(kept: list[MappedRow]) -> list[Quad]:
        """The graph's content when `kept` are the rows imported: theirs, links, metadata."""
        quads = list(dict.fromkeys(q for row in kept for q in (*row.quads, *links[row.row])))
        metadata = dataset_triples(
            description,
            file_name=path.name,
            started=started,
            ended=ended,
            organisations=len(kept),
            triples=len(quads),
        )
        return quads + [Quad(tr.subject, tr.predicate, tr.object, graph) for tr in metadata]

    def check() -> ChangeSet:
        """Validate the candidates; what to take back of the planned write, and the counts."""
        violations, report.engine = validate_quads(
            (quad for row in candidates for quad in row.quads),
            lang=description.lang,
            engine=engine,
        )
        _reject_invalid(rows, violations, csv_file.columns.fields, report)
        kept = [row for row in candidates if not row.failed]
        report.imported = len(kept)
        report.skipped = report.rows_read - report.imported
        report.linked = sum(bool(links[row.row]) for row in kept)
        if len(kept) == len(candidates):
            report.triples = len(planned)
            return ChangeSet()
        final = statements(kept)
        report.triples = len(final)
        wanted, written = set(final), set(planned)
        return ChangeSet(
            delete=[q for q in planned if q not in wanted],
            insert=[q for q in final if q not in written],
        )

    # Rows failing the shapes are few: the planned graph assumes every row passes and is
    # written while the rows are validated (on the embedded store), then amended.
    ended = datetime.now(UTC).replace(microsecond=0)
    planned = statements(candidates)
    store.commit_checked(_replacement(store, graph, planned), check)
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def _map_rows(
    csv_file: CsvFile, mapper: RowMapper, report: ImportReport, progress: Progress | None
) -> list[MappedRow]:
    """Map every row; a row repeating an earlier row's identifier is an error."""
    rows: list[MappedRow] = []
    seen: dict[str, int] = {}
    total = csv_file.count_rows() if progress is not None else 0
    for row in csv_file.rows():
        mapped = mapper.map(row)
        report.rows_read += 1
        if mapped.subject is not None:
            first = seen.setdefault(mapped.subject.value, row.number)
            if first != row.number:
                message = f"same identifier as row {first}"
                mapped.issues.append(Issue(row.number, row.column("identifier"), message, "error"))
        report.issues.extend(mapped.issues)
        rows.append(mapped)
        if progress is not None and report.rows_read % 256 == 0:
            progress(report.rows_read, total)
    if progress is not None:
        progress(report.rows_read, report.rows_read)
    return rows


# The column to blame when a shape rejects a property.
_COLUMN_OF_PATH = {
    "http://www.w3.org/2000/01/rdf-schema#label": "name",
    "http://purl.org/dc/terms/description": "description",
    "http://xmlns.com/foaf/0.1/homepage": "website",
    "http://www.w3.org/ns/org#identifier": "companies_house_number",
    "https://schema.org/keywords": "sector",
}


def _reject_invalid(
    rows: list[MappedRow],
    violations: list[ShapeViolation],
    fields: dict[str, str],
    report: ImportReport,
) -> None:
    """Mark the rows whose resources violate the shapes, with one error per violation."""
    by_subject = {row.subject.value: row for row in rows if row.subject is not None}
    for violation in violations:
        row = by_subject.get(violation.focus.split("#", 1)[0])
        if row is None:
            continue
        key = _COLUMN_OF_PATH.get(violation.path or "")
        column = fields.get(key, FIELDS[key][0]) if key else (violation.path or "")
        value = f" (value: {violation.value})" if violation.value is not None else ""
        issue = Issue(row.row, column, violation.message + value, "error")
        row.issues.append(issue)
        report.issues.append(issue)
    report.issues.sort(key=lambda i: (i.row, i.column, i.message))


def _replacement(store: Store, graph: NamedNode, quads: list[Quad]) -> ChangeSet:
    """One change turning `graph` into exactly `quads` (all in `graph`, without repeats).

    Same effect as dropping and refilling the graph, but a re-import of an unchanged file
    writes only the new import times instead of rewriting ~170k quads.
    """
    present = set(store.quads(graph))
    if not present:
        return ChangeSet(insert=quads)
    wanted = set(quads)
    stale = [quad for quad in present if quad not in wanted]
    if len(stale) > len(present) // 2:
        # Mostly new content: emptying the graph costs less than deleting quad by quad.
        return ChangeSet(drop_graphs=[graph], insert=quads)
    return ChangeSet(delete=stale, insert=[quad for quad in quads if quad not in present])
