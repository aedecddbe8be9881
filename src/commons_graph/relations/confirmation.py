"""Confirming a derived relation as a real one: the member's organisation states a partnership
with the other (a contribution like any other), which is confirmed once the other side states
it too (the two-sided link confirmation of contributions/links.py)."""

from __future__ import annotations

from pyoxigraph import NamedNode, Triple

from commons_graph.contributions.authorise import acting_organisation
from commons_graph.contributions.errors import ContributionError
from commons_graph.contributions.service import ContributionService, Receipt
from commons_graph.i18n import translate
from commons_graph.members.accounts import Member
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH, RELATED_TO
from commons_graph.relations.view import PARTNER_OF
from commons_graph.store.base import Store


def is_derived(store: Store, a: str, b: str) -> bool:
    """Whether the service relates `a` and `b` (False for anything that is not an IRI)."""
    try:
        NamedNode(a), NamedNode(b)
    except ValueError:
        return False
    return store.ask(
        "ASK { GRAPH ?g { ?a ?p ?b } }",
        {"g": DERIVED_RELATIONS_GRAPH, "p": RELATED_TO, "a": NamedNode(a), "b": NamedNode(b)},
    )


def confirm(
    service: ContributionService, member: Member, organisation: str, other: str, lang: str
) -> Receipt:
    """State, for `organisation` (which the member must speak for), a partnership with
    `other`, which the service must relate to it; 404 when it does not (any more)."""
    organisation = acting_organisation(organisation, service.accounts.organisations(member))
    if organisation == other or not is_derived(service.store, organisation, other):
        raise ContributionError("related.not_derived", status=404, focus=other, other=other)
    triples = [Triple(NamedNode(organisation), NamedNode(PARTNER_OF), NamedNode(other))]
    comment = translate("related.confirm_comment", lang, other=other)
    return service.submit(member, triples, lang=lang, organisation=organisation, comment=comment)
