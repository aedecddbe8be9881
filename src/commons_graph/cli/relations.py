"""`commons-graph relations rebuild`: derive the relations between organisations again."""

from __future__ import annotations

import click
from rich.console import Console

from commons_graph.cli.context import CliContext, pass_context, reports_errors, say

# The relations' derivation and the store are imported by the command that uses them.

console = Console(highlight=False)


@click.group()
def relations() -> None:
    """Relations between organisations derived from the facts they share."""


@relations.command("rebuild")
@pass_context
@reports_errors
def rebuild(cli: CliContext) -> None:
    """Derive every relation again and write the difference into their graph."""
    from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH
    from commons_graph.relations.keeper import RelationKeeper
    from commons_graph.relations.pending import PendingDerivation

    settings = cli.settings
    with cli.store(derive_owed=False) as store:
        keeper = RelationKeeper(store, settings.related_per_organisation, background=False)
        keeper.owed = PendingDerivation.of(settings)  # this run reads every fact: settles it
        summary = keeper.run()
    console.print(
        say(
            "relations.rebuilt",
            relations=summary.relations,
            organisations=summary.organisations,
            added=summary.added,
            removed=summary.removed,
            kept=summary.kept,
            graph=DERIVED_RELATIONS_GRAPH.value,
            seconds=f"{summary.seconds:.1f}",
        )
    )
