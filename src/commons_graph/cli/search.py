"""`commons-graph search`: rebuild the full-text search index, or say whether it is in step."""

from __future__ import annotations

import time

import click
from rich.console import Console

from commons_graph.cli.context import CliContext, pass_context, reports_errors, say

# The index and the store are imported by the commands that use them.

console = Console(highlight=False)


@click.group()
def search() -> None:
    """The full-text search index (a file beside the store, made from it)."""


@search.command("rebuild")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
@reports_errors
def rebuild(cli: CliContext, quiet: bool) -> None:
    """Make the search index again from the whole store (the service rebuilds a stale index
    by itself when it starts; run this after writing to a remote store by other means)."""
    from commons_graph.cli.progress import progress_bar
    from commons_graph.search.index import SearchIndex
    from commons_graph.search.keeping import IndexKeeper
    from commons_graph.search.location import index_path

    settings = cli.require_store()
    path = index_path(settings)
    with cli.store() as store:
        index = SearchIndex(path)
        try:
            keeper = IndexKeeper(store, index)
            started = time.perf_counter()
            with progress_bar("Indexing resources", unit="resources", quiet=quiet) as bar:
                count = keeper.rebuild(progress=bar)
            seconds = f"{time.perf_counter() - started:.1f}"
        finally:
            index.close()
    console.print(
        say("search.rebuilt", count=count, seconds=seconds, path=str(path)), soft_wrap=True
    )


@search.command("status")
@pass_context
@reports_errors
def status(cli: CliContext) -> None:
    """Say how many resources the index holds and whether it matches the store (exit 1 when
    it may not)."""
    from commons_graph.search.index import SearchIndex
    from commons_graph.search.keeping import IndexKeeper
    from commons_graph.search.location import index_path

    settings = cli.require_store()
    path = index_path(settings)
    with cli.store() as store:
        index = SearchIndex(path)
        try:
            stale = IndexKeeper(store, index).is_stale()
            count = index.size()
        finally:
            index.close()
    state = say("search.status.stale" if stale else "search.status.current")
    console.print(say("search.status", path=str(path), count=count, state=state), soft_wrap=True)
    if stale:
        raise SystemExit(1)
