"""`commons-graph codesocial publish|verify|compare|list`: #CodeSocial versions from the shell."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
import pyoxigraph as ox
from rich.console import Console

from commons_graph.cli.context import CliContext, pass_context, reports_errors
from commons_graph.i18n import LANGUAGES, translate

if TYPE_CHECKING:
    from commons_graph.codesocial.comparison import Comparison
    from commons_graph.codesocial.verification import Verification

# The #CodeSocial modules (and the store) are imported by the commands that use them.

console = Console(highlight=False)

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the messages.",
)


@click.group(name="codesocial")
def codesocial() -> None:
    """Publish, verify, compare and list #CodeSocial versions."""


@codesocial.command(name="publish")
@click.argument("iri")
@click.option(
    "--publisher",
    required=True,
    help="IRI of the organisation or person publishing (dcterms:publisher).",
)
@click.option(
    "--agent",
    "agents",
    multiple=True,
    help="IRI of a person or agent acting for the publisher (repeatable).",
)
@LANG_OPTION
@pass_context
@reports_errors
def publish_command(
    cli: CliContext, iri: str, publisher: str, agents: tuple[str, ...], lang: str
) -> None:
    """Freeze the draft #CodeSocial IRI (or slug) as its next version."""
    from commons_graph.codesocial.publishing import publish

    with cli.store() as store:
        done = publish(store, iri, publisher, agents=list(agents))
    message = translate(
        "codesocial.publish.done",
        lang,
        version=done.ref.iri.value,
        number=done.ref.number,
        issued=done.issued,
        hash=done.content_hash,
    )
    console.print(message, markup=False, soft_wrap=True)


def _verification_line(result: Verification, lang: str) -> str:
    from commons_graph.codesocial.canonical import citation_hash

    if result.ok:
        return translate(
            "codesocial.verify.ok",
            lang,
            version=result.ref.iri.value,
            hash=result.computed,
            count=result.triples,
        )
    recorded = ", ".join(citation_hash(h) for h in result.recorded) or translate(
        "codesocial.none", lang
    )
    return translate(
        "codesocial.verify.mismatch",
        lang,
        version=result.ref.iri.value,
        hash=result.computed,
        recorded=recorded,
    )


@codesocial.command(name="verify")
@click.argument("iri")
@LANG_OPTION
@pass_context
@reports_errors
def verify_command(cli: CliContext, iri: str, lang: str) -> None:
    """Recompute a version's hash from the store; exit 0 if it matches, 1 if not.

    IRI is a version (…/v2), …/latest, or a draft (then every version is checked).
    """
    from commons_graph.codesocial.reading import version_refs
    from commons_graph.codesocial.verification import verify

    with cli.store() as store:
        results = [verify(store, ref) for ref in version_refs(store, iri)]
    for result in results:
        click.echo(_verification_line(result, lang))
    sys.exit(0 if all(r.ok for r in results) else 1)


def _print_comparison(comparison: Comparison, lang: str) -> None:
    from commons_graph.cli.output import short_name

    removed, added = comparison.counts()
    if comparison.unchanged:
        console.print(translate("codesocial.compare.same", lang))
        return
    for group in comparison.groups:
        title = translate(f"codesocial.section.{group.section}", lang)
        if group.plane:
            title += f" · {short_name(ox.NamedNode(group.plane))}"
        console.print(f"[bold]{title}[/bold]")
        for sign, triples in (("-", group.removed), ("+", group.added)):
            for t in triples:
                line = f"  {sign} {short_name(t.subject)} {short_name(t.predicate)} "
                line += short_name(t.object)
                console.print(line, markup=False, style="red" if sign == "-" else "green")
    console.print(translate("codesocial.compare.summary", lang, removed=removed, added=added))


@codesocial.command(name="compare")
@click.argument("old")
@click.argument("new")
@LANG_OPTION
@pass_context
@reports_errors
def compare_command(cli: CliContext, old: str, new: str, lang: str) -> None:
    """Show what changed from OLD to NEW (version IRIs, …/latest, or the draft's IRI)."""
    from commons_graph.codesocial.reading import compare_states

    with cli.store() as store:
        comparison = compare_states(store, old, new)
    _print_comparison(comparison, lang)


@codesocial.command(name="list")
@click.argument("iri", required=False)
@pass_context
@reports_errors
def list_command(cli: CliContext, iri: str | None) -> None:
    """List the #CodeSocial documents and their published versions (or those of IRI)."""
    from rich.table import Table

    from commons_graph.cli.output import print_table, short_name
    from commons_graph.codesocial.canonical import citation_hash
    from commons_graph.codesocial.draft import list_drafts
    from commons_graph.codesocial.iris import draft_iri, slug_of
    from commons_graph.codesocial.publishing import slug_for
    from commons_graph.codesocial.versions import list_versions

    with cli.store() as store:
        if iri:
            slugs = [slug_for(iri)]
        else:
            slugs = [slug for cs, _ in list_drafts(store) if (slug := slug_of(cs.value))]
        table = Table("#CodeSocial", "Version", "Published", "Publisher", "Hash")
        for slug in slugs:
            versions = list_versions(store, slug)
            if not versions:
                table.add_row(draft_iri(slug).value, "draft", "", "", "")
            for info in versions:
                table.add_row(
                    info.ref.iri.value,
                    str(info.ref.number),
                    info.issued,
                    short_name(ox.NamedNode(info.publisher)),
                    citation_hash(info.content_hash)[:19] + "…",
                )
    print_table(console, table)


__all__ = ["codesocial"]
