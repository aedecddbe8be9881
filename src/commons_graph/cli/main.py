"""The `commons-graph` group and its store commands: init, load, validate, query, export, stats."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from pyoxigraph import NamedNode
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from commons_graph import __version__
from commons_graph.cli import codesocial as codesocial_commands
from commons_graph.cli.context import (
    EXIT_BAD_INPUT,
    CliContext,
    fail,
    pass_context,
    reports_errors,
    say,
)
from commons_graph.cli.imports import import_group
from commons_graph.cli.members import members as members_group
from commons_graph.cli.output import (
    print_query_result,
    print_table,
    short_name,
    syntax_error_message,
    write_query_result,
)
from commons_graph.cli.relations import relations as relations_group
from commons_graph.cli.serve import serve
from commons_graph.config import DEFAULT_STORE
from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.formats import RDF_FORMATS, rdf_format, rdf_format_for_path
from commons_graph.rdf.parsing import parse_rdf
from commons_graph.sparql.updates import looks_like_update
from commons_graph.store.errors import QuerySyntaxError
from commons_graph.store.loading import load_file
from commons_graph.store.seeding import initialise
from commons_graph.store.statistics import summary

console = Console(highlight=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    with cli.store(create=True) as store:
        summary = initialise(store)
        where = store.describe_location()
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
@pass_context
@reports_errors
def load(cli: CliContext, files: tuple[Path, ...], graph: str | None) -> None:
    """Load RDF FILES (format from the extension), each all or nothing, into named graphs."""
    for path in files:
        rdf_format_for_path(path)  # refuse unknown extensions before writing anything
    target = NamedNode(graph) if graph else None
    with cli.store() as store, Progress(console=console, transient=True) as progress:
        task = progress.add_task("Loading", total=len(files))
        for index, path in enumerate(files):
            count = load_file(store, path, target, replace=index == 0 or target is None)
            progress.console.print(f"{path}: {count} triples")
            progress.advance(task)


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
@pass_context
@reports_errors
def validate_command(
    cli: CliContext, files: tuple[Path, ...], output_format: str, lang: str, engine: str
) -> None:
    """Validate FILES (or, with none, the whole store) against the shapes; exit 1 if not.

    Files are judged as a contribution would be: with the types of the resources they point
    to and the current description of those they describe, read from the store.
    """
    from commons_graph.validation.contribution import check
    from commons_graph.validation.whole_store import validate_store

    triples = []
    for path in files:
        fmt = rdf_format_for_path(path)
        triples += [q.triple for q in parse_rdf(path, fmt, base_iri=path.resolve().as_uri())]
    with cli.store() as store:
        if files:
            report = check(store, triples, lang)
        else:
            report = validate_store(store, lang=lang, engine=engine)
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
@pass_context
@reports_errors
def export(cli: CliContext, output_format: str, output: Path | None) -> None:
    """Export the whole store."""
    fmt = rdf_format(output_format)
    with cli.store() as store:
        if output is None:
            store.dump(sys.stdout.buffer, fmt)
            return
        with output.open("wb") as handle:
            store.dump(handle, fmt)
    console.print(f"Wrote {output}.")


@main.command()
@pass_context
@reports_errors
def stats(cli: CliContext) -> None:
    """Show the number of triples, named graphs and entities per class."""
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


main.add_command(import_group)
main.add_command(serve)
main.add_command(codesocial_commands.codesocial)
main.add_command(members_group)
main.add_command(relations_group)

__all__ = ["EXIT_BAD_INPUT", "main"]
