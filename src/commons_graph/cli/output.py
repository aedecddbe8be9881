"""Printing query results on the terminal or in a format for tools."""

from __future__ import annotations

import io
import re

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from commons_graph.cli.context import say
from commons_graph.errors import BadInputError
from commons_graph.rdf.formats import rdf_format, result_format
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.sparql.results import write_boolean, write_select
from commons_graph.store.results import QueryResult, SelectResult, Term

# How Oxigraph reports where a query stops parsing: "error at LINE:COLUMN: what it expected".
_POSITION = re.compile(r"^\s*error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
# The parser lists every token it would have accepted: a few are enough to see the mistake.
_MAX_DETAIL = 160


def syntax_error_message(detail: str) -> str:
    """One line saying that a query is not valid SPARQL, where, and what was expected."""
    found = _POSITION.match(detail)
    line = column = None
    if found:
        line, column, detail = found.groups()
    detail = " ".join(detail.split())
    if len(detail) > _MAX_DETAIL:
        detail = detail[:_MAX_DETAIL].rstrip() + " …"
    if found:
        return say("cli.error.syntax_at", line=line, column=column, detail=detail)
    return say("cli.error.syntax", detail=detail)


def short_name(term: Term | None) -> str:
    """A term as people read it: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace) :]}"
        return term.value
    if isinstance(term, ox.Literal):
        return f"{term.value} @{term.language}" if term.language else term.value
    return str(term)


# Wider than any row of a table: the width it is measured at when printed for tools.
_UNBOUNDED = 1_000_000


def print_table(console: Console, table: Table) -> None:
    """Print `table`; to a terminal at its width, otherwise (a pipe, a file) as wide as the
    cells need, so that tools and `grep` get whole IRIs rather than ones cut with "…"."""
    if console.is_terminal:
        console.print(table)
        return
    unbounded = console.options.update_width(_UNBOUNDED)
    width = max(console.width, console.measure(table, options=unbounded).maximum)
    # `print(width=)` cannot go past the console's width: a console as wide as the table can.
    Console(file=console.file, width=width, highlight=False).print(table)


def print_query_result(console: Console, result: QueryResult) -> None:
    """Show a query result as a table (SELECT), a word (ASK) or Turtle (CONSTRUCT)."""
    if isinstance(result, bool):
        console.print("yes" if result else "no")
    elif isinstance(result, SelectResult):
        table = Table(*result.variables)
        for row in result.rows:
            table.add_row(*(short_name(t) for t in row))
        print_table(console, table)
        console.print(f"{len(result.rows)} row(s)")
    else:
        console.print(_triples(result, "ttl").decode("utf-8"), markup=False, highlight=False)


def write_query_result(result: QueryResult, format_name: str) -> bytes:
    """Serialise a query result in the named format."""
    if isinstance(result, list):
        if format_name in ("json", "xml", "csv", "tsv"):
            raise BadInputError("cli.error.graph_as", format=format_name)
        return _triples(result, format_name)
    if format_name in ("turtle", "nt", "jsonld"):
        raise BadInputError("cli.error.rows_as", format=format_name)
    fmt = result_format(format_name)
    if isinstance(result, bool):
        return write_boolean(result, fmt)
    return write_select(result.variables, result.rows, fmt)


def _triples(triples: list[ox.Triple], format_name: str) -> bytes:
    buffer = io.BytesIO()
    fmt = rdf_format(format_name)
    prefixes = None if fmt.name == "ntriples" else PREFIXES
    ox.serialize(triples, buffer, fmt.oxigraph, prefixes=prefixes)
    return buffer.getvalue()
