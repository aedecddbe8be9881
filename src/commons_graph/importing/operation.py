"""Importing a standard CSV file: read, map, validate, link, then replace the dataset's graph."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from commons_graph.errors import BadInputError
from commons_graph.importing import terms as t
from commons_graph.importing.columns import (
    DROPPED,
    UNKNOWN,
    ColumnReport,
    ColumnTally,
    column_triples,
)
from commons_graph.importing.layout import (
    FIELDS,
    MAPPED,
    NOT_MAPPED,
    Columns,
    CsvRow,
    open_csv,
)
from commons_graph.importing.linking import existing_organisations
from commons_graph.importing.mapping import Issue, MappedRow, MappingOptions, RowMapper
from commons_graph.importing.metadata import DatasetDescription, dataset_triples
from commons_graph.rdf.namespaces import OWL_SAME_AS
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.text import Stream, text_quads
from commons_graph.validation import Violation
from commons_graph.validation.batches import QuadValidation

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
    columns: list[ColumnReport] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # how each kind was decided: rows

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
        raise BadInputError("import.error.bad_name", name=description.name)
    if kind is not None and kind not in t.KINDS:
        raise BadInputError("import.error.unknown_kind", kind=kind)
    clock = time.perf_counter()
    return import_rows(
        store,
        open_csv(path),
        description,
        kind=kind,
        progress=progress,
        engine=engine,
        clock=clock,
    )


class RowSource(Protocol):
    """Rows to import: a CSV file, or the features of a GeoJSON file read as rows."""

    path: Path
    columns: Columns

    def count_rows(self) -> int:
        """The number of rows, for the progress bar."""
        ...

    def rows(self) -> Iterator[CsvRow]:
        """Each row, numbered."""
        ...


Enrich = Callable[[CsvRow, MappedRow], None]
"""Adds what a source's rows say beyond the standard layout (other languages, categories)."""


def import_rows(
    store: Store,
    csv_file: RowSource,
    description: DatasetDescription,
    *,
    kind: str | None = None,
    progress: Progress | None = None,
    engine: str = "auto",
    enrich: Enrich | None = None,
    clock: float | None = None,
) -> ImportReport:
    """Import the rows of `csv_file` as dataset `description.name`, replacing its graph."""
    if not t.is_dataset_name(description.name):
        raise BadInputError("import.error.bad_name", name=description.name)
    if kind is not None and kind not in t.KINDS:
        raise BadInputError("import.error.unknown_kind", kind=kind)
    clock = time.perf_counter() if clock is None else clock
    path = csv_file.path
    started = datetime.now(UTC).replace(microsecond=0)
    graph = t.dataset_graph(description.name)
    report = ImportReport(description.name, graph.value)
    report.unknown_columns = csv_file.columns.unknown
    report.unmapped_columns = tuple(
        csv_file.columns.fields[key] for key in NOT_MAPPED if csv_file.columns.has(key)
    )
    agency = description.title or description.name
    mapper = RowMapper(MappingOptions(description.name, description.lang, kind, agency))
    existing = existing_organisations(store, graph)
    validation = QuadValidation(lang=description.lang, engine=engine)
    rows: list[MappedRow] = []
    written: dict[int, list[str]] = {}  # by row number: its statements and links, as N-Triples
    linked: set[int] = set()  # the rows linked to organisations already present

    def pieces() -> Iterator[bytes]:
        """The statements of the rows, a batch at a time as they are mapped (and validated)."""
        for batch in _mapped_batches(csv_file, mapper, report, progress, enrich):
            rows.extend(batch)
            statements: list[str] = []
            links: list[str] = []
            for row in batch:
                if row.failed:
                    continue
                assert row.subject is not None
                own = list(dict.fromkeys(row.statements))
                statements += own
                row_links = [
                    f"{row.subject} {OWL_SAME_AS} {NamedNode(match)} .\n"
                    for match in sorted(
                        existing.matches(row.homepage, row.identifiers, row.name, row.place)
                    )
                ]
                if row_links:
                    linked.add(row.row)
                links += row_links
                written[row.row] = own + row_links
            data = "".join(statements).encode()
            validation.add(data, graph=graph)  # the links are not the rows' to answer for
            yield data + "".join(links).encode()

    def check() -> ChangeSet:
        """Validate the rows; what to take back of what was written, and the metadata."""
        candidates = [row for row in rows if row.row in written]
        violations, report.engine = validation.violations()
        _reject_invalid(rows, violations, csv_file.columns.fields, report)
        kept = [row for row in candidates if not row.failed]
        report.imported = len(kept)
        report.skipped = report.rows_read - report.imported
        report.linked = sum(row.row in linked for row in kept)
        report.columns = _column_report(csv_file.columns, rows, getattr(csv_file, "describe", None))
        report.kinds = dict(sorted(mapper.kinds.items()))
        statements = sum(len(written[row.row]) for row in kept)
        metadata = dataset_triples(
            description,
            file_name=path.name,
            started=started,
            ended=datetime.now(UTC).replace(microsecond=0),
            organisations=len(kept),
            triples=statements,
        ) + column_triples(description.name, report.columns)
        report.triples = statements + len(metadata)
        failed = "".join(line for row in candidates if row.failed for line in written[row.row])
        return ChangeSet(
            delete=text_quads(failed.encode(), graph),
            insert=[Quad(tr.subject, tr.predicate, tr.object, graph) for tr in metadata],
        )

    present = {quad.triple for quad in store.quads(graph)}
    if present:
        # A re-import: only the difference with the earlier import is written (an unchanged
        # file changes only the import times, instead of rewriting ~170k statements).
        planned = [quad.triple for quad in parse(b"".join(pieces()), RdfFormat.N_TRIPLES)]
        store.commit_checked(_replacement(graph, present, planned), check)
    else:
        # Rows failing the shapes are few: each batch of rows is written (on the embedded
        # store, by the bulk loader in a second thread) while the next ones are mapped,
        # assuming they pass; once all are validated, the failing ones are taken back.
        store.commit_checked(ChangeSet(), check, stream=Stream(graph, pieces()))
    # Not from `started`, rounded down to the second for the metadata.
    report.seconds = time.perf_counter() - clock
    return report


# Rows mapped between two writes (about 48k statements): fewer, larger bulk loads cost Oxigraph
# less; more, smaller ones overlap more with the mapping. 2,000 measured best (1,000 to 4,000).
_BATCH_ROWS = 2000


def _mapped_batches(
    csv_file: RowSource,
    mapper: RowMapper,
    report: ImportReport,
    progress: Progress | None,
    enrich: Enrich | None = None,
) -> Iterator[list[MappedRow]]:
    """Every row mapped, in batches; a row repeating an earlier row's identifier is an error."""
    batch: list[MappedRow] = []
    seen: dict[str, int] = {}
    total = csv_file.count_rows() if progress is not None else 0
    for row in csv_file.rows():
        mapped = mapper.map(row)
        if enrich is not None:
            enrich(row, mapped)
        headers = row.columns.fields
        filled = tuple(headers[key] for key, value in row.values.items() if value)
        mapped.filled = tuple(dict.fromkeys(filled + row.unknown_filled))
        report.rows_read += 1
        if mapped.subject is not None:
            first = seen.setdefault(mapped.subject.value, row.number)
            if first != row.number:
                message = f"same identifier as row {first}"
                mapped.issues.append(Issue(row.number, row.column("identifier"), message, "error"))
        report.issues.extend(mapped.issues)
        batch.append(mapped)
        if progress is not None and report.rows_read % 256 == 0:
            progress(report.rows_read, total)
        if len(batch) == _BATCH_ROWS:
            yield batch
            batch = []
    yield batch
    if progress is not None:
        progress(report.rows_read, report.rows_read)


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
    violations: list[Violation],
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


def _replacement(graph: NamedNode, present: set[Triple], triples: list[Triple]) -> ChangeSet:
    """One change turning `graph`, holding `present`, into exactly `triples`."""
    wanted = set(triples)
    stale = [triple for triple in present if triple not in wanted]
    if len(stale) > len(present) // 2:
        # Mostly new content: emptying the graph costs less than deleting quad by quad.
        return ChangeSet().replace_graph(graph, triples)
    new = [triple for triple in triples if triple not in present]
    return ChangeSet(
        delete=[Quad(s.subject, s.predicate, s.object, graph) for s in stale],
        insert=[Quad(n.subject, n.predicate, n.object, graph) for n in new],
    )


def _column_report(
    columns: Columns,
    rows: list[MappedRow],
    describe: Callable[[str], tuple[str, str, str]] | None = None,
) -> list[ColumnReport]:
    """Each column of the file, what it became, and how many of its values were kept."""
    by_header = {header: key for key, header in columns.fields.items()}
    reports: list[ColumnReport] = []
    for header in columns.headers:
        key = by_header.get(header)
        if describe is not None:
            treatment, target, reason = describe(header)
            reports.append(ColumnReport(header, treatment, target, reason))
        elif key in MAPPED:
            treatment, target = MAPPED[key]
            reports.append(ColumnReport(header, treatment, target))
        elif key in NOT_MAPPED:
            reports.append(ColumnReport(header, DROPPED, reason=NOT_MAPPED[key]))
        else:
            reason = "not a column of the standard layout (or a repeated one); ignored"
            reports.append(ColumnReport(header, UNKNOWN, reason=reason))
    tally = ColumnTally(reports)
    for row in rows:
        rejected = set(row.filled) if row.failed else {issue.column for issue in row.issues}
        tally.count(row.filled, rejected)
    return tally.report()
