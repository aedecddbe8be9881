"""Whether the store knows an organisation, before a member is allowed to speak for it."""

from __future__ import annotations

import pyoxigraph as ox

from commons_graph.errors import BadInputError
from commons_graph.rdf.namespaces import ORG, RDFS
from commons_graph.store.base import Store

# Fixed IRIs of the model, not values from a request: a property path cannot take a variable.
IS_ORGANISATION = (
    f"ASK {{ ?organisation a ?class . ?class <{RDFS.subClassOf}>* <{ORG.Organization}> }}"
)


def is_organisation(store: Store, iri: str) -> bool:
    """Whether `iri` is typed, anywhere in the store, as an organisation (or a subclass)."""
    return store.ask(IS_ORGANISATION, {"organisation": ox.NamedNode(iri)})


def require_organisation(store: Store, iri: str) -> None:
    """Refuse (400) a claim on anything but an organisation the store knows: an approved claim
    lets a member describe the IRI, so it must never name a #CodeSocial, a value or a page."""
    if not is_organisation(store, iri):
        raise BadInputError("member.error.not_an_organisation", iri=iri)
