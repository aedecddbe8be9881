"""The `commons-graph` group and its store commands: init, load, validate, query, export, stats."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from pyoxigraph import NamedNode
from rich.console import Console

from commons_graph import __version__
from commons_graph.cli.context import (
    EXIT_BAD_INPUT,
    CliContext,
    fail,
    pass_context,
    reports_errors,
    say,
)
from commons_graph.cli.lazy import LazyGroup
from commons_graph.defaults import DEFAULT_STORE
from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.formats import RDF_FORMATS, rdf_format, rdf_format_for_path

# Each command imports what it needs when it runs (the store, the shapes, the web service):
# `commons-graph --help`, `query` or `stats` do not pay for the parts they do not use.
SUBCOMMANDS = {
    "codesocial": "commons_graph.cli.codesocial:codesocial",
    "import": "commons_graph.cli.imports:import_group",
    "members": "commons_graph.cli.members:members",
    "relations": "commons_graph.cli.relations:relations",
    "search": "commons_graph.cli.search:search",
    "serve": "commons_graph.cli.serve:serve",
}

console = Console(highlight=False)


@click.group(
    cls=LazyGroup,
    lazy_subcommands=SUBCOMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="commons-graph")
@click.option(
    "--store",
    envvar="COMMONS_GRAPH_STORE",
    help=f"Store folder (embedded) or SPARQL query URL (remote). Default: {DEFAULT_STORE}.",
)
@click.option(
    "--store-update",
    envvar="COMMONS_GRAPH_STORE_UPDATE",
    help="SPARQL Update URL of the remote store.",
)
@click.option(
    "--store-gsp",
    envvar="COMMONS_GRAPH_STORE_GSP",
    help="Graph Store Protocol URL of the remote store (optional).",
)
@click.option(
    "--store-user",
    envvar="COMMONS_GRAPH_STORE_USER",
    help="User name for HTTP authentication (Basic or Digest) to the remote store.",
)
@click.option(
    "--store-password",
    envvar="COMMONS_GRAPH_STORE_PASSWORD",
    help="Password for HTTP authentication to the remote store (prefer the variable).",
)
@click.pass_context
def main(
    ctx: click.Context,
    store: str | None,
    store_update: str | None,
    store_gsp: str | None,
    store_user: str | None = None,
    store_password: str | None = None,
) -> None:
    """commons-graph: a linked-data knowledge graph of commons and the actors around them."""
    ctx.obj = CliContext(
        {
            "store": store,
            "store_update": store_update,
            "store_gsp": store_gsp,
            "store_user": store_user,
            "store_password": store_password,
        }
    )


@main.command()
@pass_context
@reports_errors
def init(cli: CliContext) -> None:
    """Create the store if needed and load the ontology, shapes, vocabularies and seed
    network (idempotent)."""
    from commons_graph.importing.metadata import drop_written_counts
    from commons_graph.members.location import accounts_path
    from commons_graph.store.seeding import initialise

    with cli.store(create=True) as store:
        summary = initialise(store)
        # Imports before VoID counted their graphs wrote a count that missed their metadata.
        drop_written_counts(store)
        where = store.describe_location()
        if accounts_path(cli.settings).exists():
            # A store with contributions: settle interrupted writes, upgrade the history.
            from commons_graph.contributions.journal import recover
            from commons_graph.members.accounts import Accounts

            recover(Accounts.from_settings(cli.settings), store)
    if summary.changed:
        console.print(
            f"Initialised {where}: loaded {summary.triples} triples into "
            f"{summary.changed} of {summary.graphs} graphs."
        )
    else:
        console.print(f"{where} is up to date: its {summary.graphs} shipped graphs are unchanged.")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Load every file into this named graph (IRI) instead of one each.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (none is drawn when piped).")
@pass_context
@reports_errors
def load(cli: CliContext, files: tuple[Path, ...], graph: str | None, quiet: bool) -> None:
    """Load RDF FILES (format from the extension), each all or nothing, into named graphs."""
    from commons_graph.cli.progress import progress_bar
    from commons_graph.store.loading import load_file

    for path in files:
        rdf_format_for_path(path)  # refuse unknown extensions before writing anything
    target = NamedNode(graph) if graph else None
    with (
        cli.store(derive_later=True) as store,
        progress_bar("Loading", total=len(files), unit="files", quiet=quiet) as bar,
    ):
        for index, path in enumerate(files):
            bar.describe(f"Loading {path.name}")
            count = load_file(store, path, target, replace=index == 0 or target is None)
            line = f"{path}: {count} triples"
            if bar.visible:
                bar.note(line)
            else:
                console.print(line, markup=False, soft_wrap=True)
            bar.advance()


@main.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="How to print the report.",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the messages.",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "sparql", "pyshacl"]),
    default="auto",
    show_default=True,
    help="Whole store: the shapes compiled to SPARQL (seconds for a million triples), "
    "pyshacl (the reference, minutes), or auto (compiled unless a shape does not compile).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (none is drawn when piped).")
@pass_context
@reports_errors
def validate_command(
    cli: CliContext,
    files: tuple[Path, ...],
    output_format: str,
    lang: str,
    engine: str,
    quiet: bool,
) -> None:
    """Validate FILES (or, with none, the whole store) against the shapes; exit 1 if not.

    Files are judged as a contribution would be: with the types of the resources they point
    to and the current description of those they describe, read from the store.
    """
    from commons_graph.cli.progress import progress_bar
    from commons_graph.rdf.parsing import parse_rdf
    from commons_graph.validation.contribution import check
    from commons_graph.validation.whole_store import validate_store

    triples = []
    with progress_bar("Reading", total=len(files), unit="files", quiet=quiet) as bar:
        for path in files:
            bar.describe(f"Reading {path.name}")
            fmt = rdf_format_for_path(path)
            triples += [q.triple for q in parse_rdf(path, fmt, base_iri=path.resolve().as_uri())]
            bar.advance()
        # Validation leaves the derived relations out: relations a load left owed stay owed.
        with cli.store(derive_owed=False) as store:
            # One step whose length is not known in advance: the bar shows the time it takes.
            bar.describe("Validating" if files else "Validating the whole store")
            bar(0, None)
            if files:
                report = check(store, triples, lang)
            else:
                bar.describe("Checking the whole store")
                report = validate_store(store, lang=lang, engine=engine, progress=bar)
    if output_format == "json":
        click.echo(report.to_json())
    elif output_format == "turtle":
        click.echo(report.to_turtle())
    else:
        _print_report_text(report.conforms, report.violations, lang)
    sys.exit(0 if report.conforms else 1)


def _print_report_text(conforms: bool, violations: list, lang: str) -> None:  # type: ignore[type-arg]
    if conforms and not violations:
        console.print("Conforms." if lang == "en" else "Conforme.")
        return
    for v in violations:
        where = f"{v.focus} {v.path or ''}".strip()
        value = f" (value: {v.value})" if v.value else ""
        console.print(f"[{v.severity}] {where}{value}: {v.message}", markup=False)
    total = len(violations)
    if lang == "fr":
        console.print(f"{total} résultat(s); {'conforme' if conforms else 'non conforme'}.")
    else:
        console.print(f"{total} result(s); {'conforms' if conforms else 'does not conform'}.")


@main.command()
@click.argument("query_or_file")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "nt", "jsonld"]),
    default="table",
    show_default=True,
    help="Output format (table for people; the others for tools).",
)
@pass_context
@reports_errors
def query(cli: CliContext, query_or_file: str, output_format: str) -> None:
    """Run a SPARQL query given as text or as the path of a .rq file."""
    from commons_graph.cli.output import (
        print_query_result,
        syntax_error_message,
        write_query_result,
    )
    from commons_graph.sparql.updates import looks_like_update
    from commons_graph.store.errors import QuerySyntaxError

    path = Path(query_or_file)
    text = path.read_text(encoding="utf-8") if path.suffix in (".rq", ".sparql") else query_or_file
    with cli.store() as store:
        try:
            result = store.query(text)
        except QuerySyntaxError as error:
            if looks_like_update(text):
                fail(
                    say("cli.error.update_in_query"),
                    EXIT_BAD_INPUT,
                )
            fail(syntax_error_message(str(error)), EXIT_BAD_INPUT)
    if output_format == "table":
        print_query_result(console, result)
    else:
        sys.stdout.buffer.write(write_query_result(result, output_format))


@main.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice([f.extension for f in RDF_FORMATS if f.name != "rdfxml"]),
    default="nq",
    show_default=True,
    help="Serialisation; nq and trig keep the named graphs.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (none is drawn when piped).")
@pass_context
@reports_errors
def export(cli: CliContext, output_format: str, output: Path | None, quiet: bool) -> None:
    """Export the whole store."""
    from commons_graph.cli.progress import CountingWriter, progress_bar

    fmt = rdf_format(output_format)
    # N-Triples and N-Quads write one line per statement: the bar counts them against the
    # store's count; other formats are counted in KiB written, with no end known.
    by_line = fmt.name in ("ntriples", "nquads")
    with cli.store() as store:
        total = store.count() if by_line else None
        unit = "statements" if by_line else "KiB"
        with progress_bar("Exporting", total=total, unit=unit, quiet=quiet) as bar:
            if output is None:
                store.dump(CountingWriter(sys.stdout.buffer, bar, by_line), fmt)  # type: ignore[arg-type]
                return
            with output.open("wb") as handle:
                store.dump(CountingWriter(handle, bar, by_line), fmt)  # type: ignore[arg-type]
    console.print(f"Wrote {output}.")


@main.command()
@pass_context
@reports_errors
def stats(cli: CliContext) -> None:
    """Show the number of triples, named graphs and entities per class."""
    from rich.table import Table

    from commons_graph.cli.output import print_table, short_name
    from commons_graph.store.statistics import summary

    with cli.store() as store:
        figures = summary(store)
        where = store.describe_location()
    # A long path or URL stays on one line, whatever the console's width (tools read it).
    console.print(f"Store: {where}", soft_wrap=True)
    console.print(f"Triples: {figures.triples}")
    console.print(f"Named graphs: {figures.graphs}")
    table = Table("Class", "Entities", title="Entities per class")
    for cls, count in figures.entities_per_class:
        table.add_row(short_name(NamedNode(cls)), str(count))
    print_table(console, table)


__all__ = ["EXIT_BAD_INPUT", "main"]
