"""`commons-graph members`: add, list and revoke members; list, approve and reject claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from commons_graph.cli.context import CliContext, cli_language, pass_context, reports_errors
from commons_graph.errors import BadInputError

if TYPE_CHECKING:
    from commons_graph.members.accounts import Accounts, Member
    from commons_graph.store.base import Store

# The accounts, the store and the contributions are imported by the commands that use them.

console = Console(highlight=False)


def _accounts(cli: CliContext) -> Accounts:
    from commons_graph.members.accounts import Accounts

    return Accounts.from_settings(cli.settings)


@click.group()
def members() -> None:
    """Member accounts (kept in the accounts file, never in the RDF store)."""


@members.command("add")
@click.option(
    "--organisation", required=True, help="IRI of the organisation the member speaks for."
)
@click.option("--name", required=True, help="The member's name, shown in the history.")
@click.option("--email", help="E-mail address (for password sign-in; never published).")
@click.option("--admin", is_flag=True, help="Let the member approve claims and revert any change.")
@click.option(
    "--create-organisation",
    "organisation_name",
    metavar="NAME",
    help=(
        "The organisation is new: create it in the store, named NAME (English), as the "
        "member's first contribution. Without it, an organisation the store does not know "
        "is refused."
    ),
)
@pass_context
@reports_errors
def add(
    cli: CliContext,
    organisation: str,
    name: str,
    email: str | None,
    admin: bool,
    organisation_name: str | None,
) -> None:
    """Create a member and print their token on the last line (it is shown only once)."""
    from commons_graph.contributions.journal import recover
    from commons_graph.members.accounts import organisation_iri
    from commons_graph.store.embedded import StoreInUseError, organisation_known_read_only

    organisation = organisation_iri(organisation)
    accounts = _accounts(cli)
    try:
        with cli.store() as store:
            recover(accounts, store)
            member, token = _add(
                accounts, store, organisation, name, email, admin, organisation_name
            )
    except StoreInUseError:
        # The README's flow: `serve` runs and holds the store; an admin adds a member beside it.
        if organisation_name is not None:
            raise BadInputError("cli.error.organisation_needs_free_store") from None
        if not organisation_known_read_only(cli.settings.store_path, organisation):
            raise BadInputError("cli.error.no_organisation", iri=organisation) from None
        member, token = accounts.add_member(name, organisation, email=email, admin=admin)
    role = "admin" if member.is_admin else "member"
    console.print(f"Added {role} {member.id} ({member.name}) for {member.organisation}.")
    console.print("Their token (keep it secret; it is not stored in clear):")
    click.echo(token)


def _add(
    accounts: Accounts,
    store: Store,
    organisation: str,
    name: str,
    email: str | None,
    admin: bool,
    organisation_name: str | None,
) -> tuple[Member, str]:
    """Add the member and their token, checking (or creating) the organisation in the store."""
    from commons_graph.members.organisations import is_organisation

    known = is_organisation(store, organisation)
    if not known and organisation_name is None:
        raise BadInputError("cli.error.no_organisation", iri=organisation)
    member, token = accounts.add_member(name, organisation, email=email, admin=admin)
    if not known and organisation_name is not None:
        _create_organisation(store, accounts, member, organisation_name)
        console.print(f"Created the organisation {organisation} ({organisation_name}).")
    return member, token


def _create_organisation(store: Store, accounts: Accounts, member: Member, name: str) -> None:
    """Describe a new organisation (its type and name) as its first member's contribution."""
    import pyoxigraph as ox

    from commons_graph.contributions.errors import ContributionError
    from commons_graph.contributions.service import ContributionService
    from commons_graph.rdf.namespaces import ORG, RDF, RDFS

    organisation = ox.NamedNode(member.organisation)
    triples = [
        ox.Triple(organisation, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(ORG.Organization))),
        ox.Triple(organisation, ox.NamedNode(str(RDFS.label)), ox.Literal(name, language="en")),
    ]
    try:
        ContributionService(store, accounts).submit(
            member, triples, comment="organisation created with its first member"
        )
    except ContributionError as error:
        accounts.remove_unused(member.id)  # no half-made member for an organisation refused
        detail = "; ".join(detail.message for detail in error.details(cli_language()))
        raise BadInputError("cli.error.refused", detail=detail) from None


@members.command("list")
@pass_context
@reports_errors
def list_members(cli: CliContext) -> None:
    """List members (never their tokens)."""
    table = Table("Id", "Name", "Organisation", "Admin", "Created", "Revoked")
    for m in _accounts(cli).members():
        table.add_row(
            str(m.id),
            m.name,
            m.organisation,
            "yes" if m.is_admin else "",
            m.created,
            m.revoked or "",
        )
    console.print(table)


@members.command("revoke")
@click.argument("member_id", type=int)
@pass_context
@reports_errors
def revoke(cli: CliContext, member_id: int) -> None:
    """Revoke MEMBER_ID: their token and sessions stop working; their contributions stay."""
    member = _accounts(cli).revoke(member_id)
    console.print(f"Revoked member {member.id} ({member.name}).")


@members.command("claims")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected"]),
    help="Only claims with this status.",
)
@pass_context
@reports_errors
def claims(cli: CliContext, status: str | None) -> None:
    """List claims of (imported) organisations."""
    table = Table("Id", "Member", "Organisation", "Status", "Note", "Created")
    for c in _accounts(cli).claims(status=status):
        table.add_row(str(c.id), c.member_name, c.organisation, c.status, c.note or "", c.created)
    console.print(table)


def _require_organisation(cli: CliContext, iri: str) -> None:
    """Only an organisation the store knows can be claimed (read-only beside a running serve)."""
    from commons_graph.members.organisations import require_organisation
    from commons_graph.store.embedded import StoreInUseError, organisation_known_read_only

    try:
        with cli.store() as store:
            require_organisation(store, iri)
    except StoreInUseError:
        if not organisation_known_read_only(cli.settings.store_path, iri):
            raise BadInputError("member.error.not_an_organisation", iri=iri) from None


@members.command("claim")
@click.argument("member_id", type=int)
@click.argument("organisation")
@click.option("--note", help="Why the member speaks for it.")
@pass_context
@reports_errors
def claim(cli: CliContext, member_id: int, organisation: str, note: str | None) -> None:
    """Record a claim by MEMBER_ID on ORGANISATION (an IRI), to be approved."""
    accounts = _accounts(cli)
    _require_organisation(cli, organisation)
    made = accounts.add_claim(accounts.member(member_id), organisation, note)
    console.print(f"Claim {made.id} recorded (pending).")


@members.command("approve-claim")
@click.argument("claim_id", type=int)
@pass_context
@reports_errors
def approve_claim(cli: CliContext, claim_id: int) -> None:
    """Approve claim CLAIM_ID: the member may then describe that organisation."""
    accounts = _accounts(cli)
    _require_organisation(cli, accounts.claim(claim_id).organisation)
    decided = accounts.decide_claim(claim_id, approve=True)
    console.print(f"Claim {decided.id} approved: {decided.member_name} → {decided.organisation}.")


@members.command("reject-claim")
@click.argument("claim_id", type=int)
@pass_context
@reports_errors
def reject_claim(cli: CliContext, claim_id: int) -> None:
    """Reject claim CLAIM_ID."""
    decided = _accounts(cli).decide_claim(claim_id, approve=False)
    console.print(f"Claim {decided.id} rejected.")
