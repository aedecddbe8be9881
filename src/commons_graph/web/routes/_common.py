"""What the read-side routes share: the store, the page language, a not-found error."""

from __future__ import annotations

from fastapi import Request
from pyoxigraph import NamedNode

from commons_graph.rdf.namespaces import BASE
from commons_graph.store.base import Store
from commons_graph.web.errors import HttpError


def store_of(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.services.store
    return store


def not_found(request: Request) -> HttpError:
    """A 404 in the caller's language."""
    return HttpError(404, "error.not_found")


def minted_iri(request: Request, path: str) -> str:
    """The minted IRI BASE + `path`; a 404 when that is no IRI (a space, a control character, a
    character that came from invalid UTF-8): no resource can have it."""
    iri = BASE + path
    try:
        NamedNode(iri)
    except ValueError:
        raise not_found(request) from None
    return iri
