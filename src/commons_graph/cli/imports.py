"""The `import` group: bringing open datasets into the store (`standard-csv`, `geojson`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from commons_graph.cli.context import CliContext, pass_context, reports_errors
from commons_graph.i18n import LANGUAGES
from commons_graph.importing.kinds import KIND_CLASSES

if TYPE_CHECKING:
    from commons_graph.importing import ImportReport

# The import pipeline (parsing, validation, writing) is imported by the command that runs it.

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


F = TypeVar("F", bound=Callable[..., Any])


def import_options(unit: str, parts: str) -> Callable[[F], F]:
    """The options every import command takes: the dataset, its licence and credits, the one
    kind of its organisations, the SHACL engine, --quiet and --report; `unit` names what the
    file holds (row, feature) and `parts` what the report lists (columns, properties)."""
    options = [
        click.option(
            "--dataset",
            required=True,
            help="Short name of the dataset (lowercase, digits, hyphens); importing it again "
            "replaces it.",
        ),
        click.option("--licence", required=True, help="IRI of the data's licence."),
        click.option(
            "--attribution",
            required=True,
            help='Attribution the licence asks for, e.g. "Contains ...".',
        ),
        click.option("--source", help="Where the file was published (IRI)."),
        click.option("--title", help="Title of the dataset (default: its name)."),
        click.option(
            "--kind",
            type=click.Choice(sorted(KIND_CLASSES)),
            help=f"Kind of organisation every {unit} is, when the publisher lists only one kind.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["auto", "sparql", "pyshacl"]),
            default="auto",
            show_default=True,
            help="SHACL engine: shapes compiled to SPARQL (fast) or pyshacl (reference, slow).",
        ),
        click.option(
            "--quiet",
            is_flag=True,
            help="Print only the summary, not each problem; no progress bar.",
        ),
        click.option(
            "--report",
            "report_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"Also write the report (counts, {parts}, problems) to this file, as JSON.",
        ),
    ]

    def apply(command: F) -> F:
        # click lists options in the order their decorators are written: apply from the last.
        for option in reversed(options):
            command = option(command)
        return command

    return apply


@click.group(name="import")
def import_group() -> None:
    """Import open datasets (each into its own named graph, with its licence)."""


@import_group.command(name="standard-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@import_options("row", "columns")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of names, descriptions and sectors in the file.",
)
@pass_context
@reports_errors
def standard_csv(
    cli: CliContext,
    file: Path,
    dataset: str,
    licence: str,
    attribution: str,
    source: str | None,
    title: str | None,
    lang: str,
    kind: str | None,
    engine: str,
    quiet: bool,
    report_file: Path | None,
) -> None:
    """Import FILE, a CSV in the Digital Commons "standard" layout (ESSGlobal codes)."""
    from commons_graph.importing import DatasetDescription, import_standard_csv
    from commons_graph.importing.report import write_report

    description = DatasetDescription(dataset, licence, attribution, source, title, lang)
    with cli.store() as store, _reading("rows", quiet) as advance:
        report = import_standard_csv(
            store, file, description, kind=kind, progress=advance, engine=engine
        )
    if not quiet:
        _print_issues(report)
    _print_summary(report)
    _print_columns(report)
    if report_file is not None:
        write_report(report, report_file)
    sys.exit(0)


@contextmanager
def _reading(unit: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress bar over the file's `unit` (rows, features), then over validating and
    writing; nothing when quiet or not on a terminal."""
    from commons_graph.cli.progress import progress_bar

    with progress_bar(f"Reading {unit}", unit=unit, quiet=quiet, console=err_console) as bar:

        def advance(done: int, total: int) -> None:
            if done >= total:
                bar.describe("Validating and writing")
            bar(done, total or None)

        yield advance


def _print_issues(report: ImportReport, unit: str = "row") -> None:
    for issue in report.issues:
        label = "skipped" if issue.severity == "error" else "warning"
        line = f"{unit} {issue.row}, {issue.column}: {issue.message} [{label}]"
        err_console.print(line, markup=False, soft_wrap=True)


def _print_summary(report: ImportReport) -> None:
    from rich.table import Table

    from commons_graph.cli.output import print_table

    table = Table(title=f"Import of {report.dataset}", show_header=False)
    table.add_row("Rows read", str(report.rows_read))
    table.add_row("Imported", str(report.imported))
    table.add_row("Skipped", str(report.skipped))
    table.add_row("Linked to existing organisations", str(report.linked))
    table.add_row("Warnings", str(len(report.issues) - len(report.errors)))
    table.add_row("Unknown columns", ", ".join(report.unknown_columns) or "none")
    table.add_row("Known columns not imported", ", ".join(report.unmapped_columns) or "none")
    for decision, count in report.kinds.items():
        table.add_row(f"Kind {decision}", str(count))
    table.add_row("Triples written", str(report.triples))
    table.add_row("Named graph", report.graph)
    table.add_row("Validation", report.engine)
    rate = report.rows_read / report.seconds if report.seconds else 0
    table.add_row("Time", f"{report.seconds:.1f} s ({rate:,.0f} rows/s)")
    print_table(console, table)


def _print_columns(report: ImportReport, heading: str = "Column") -> None:
    from rich.table import Table

    from commons_graph.cli.output import print_table

    table = Table(heading, "Treatment", "Mapped to / why", "Values", "Kept", "Left out")
    table.title = f"{heading.capitalize()}s" if heading != "Property" else "Properties"
    for column in report.columns:
        table.add_row(
            column.column,
            column.treatment,
            column.target or column.reason,
            str(column.filled),
            str(column.mapped),
            str(column.left_out),
        )
    print_table(console, table)


@import_group.command(name="geojson")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@import_options("feature", "properties")
@click.option(
    "--mapping",
    default="transformap",
    show_default=True,
    help="Mapping file (TOML) saying which property becomes what, or a shipped one: "
    "transformap, gogocarto, mykomap.",
)
@pass_context
@reports_errors
def geojson(
    cli: CliContext,
    file: Path,
    dataset: str,
    licence: str,
    attribution: str,
    mapping: str,
    source: str | None,
    title: str | None,
    kind: str | None,
    engine: str,
    quiet: bool,
    report_file: Path | None,
) -> None:
    """Import FILE, a GeoJSON FeatureCollection of initiatives (TransforMap, GoGoCarto, Mykomap)."""
    from commons_graph.importing import DatasetDescription
    from commons_graph.importing.geojson import import_geojson
    from commons_graph.importing.report import write_report

    description = DatasetDescription(dataset, licence, attribution, source, title)
    with cli.store() as store, _reading("features", quiet) as advance:
        report = import_geojson(
            store, file, description, mapping=mapping, kind=kind, progress=advance, engine=engine
        )
    if not quiet:
        _print_issues(report, "feature")
    _print_summary(report)
    _print_columns(report, "Property")
    if report_file is not None:
        write_report(report, report_file)
    sys.exit(0)
