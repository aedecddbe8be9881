"""The data of a resource page's "related" block: the core's connections, plus what the
signed-in member (if any) may confirm. Called by the resource page's route by one line."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from commons_graph.relations.view import connections
from commons_graph.web.deps import csrf_token, get_services, get_store, session_member


def related_block(request: Request, iri: str, lang: str) -> dict[str, Any]:
    """The block's context: `connections`, and `confirm` (related IRI -> the organisation the
    member may confirm it for) with the form's CSRF token when a member of either side is
    signed in."""
    found = connections(get_store(request), iri, lang)
    confirm: dict[str, str] = {}
    token = ""
    if found.related and "session" in request.session:
        member = session_member(request)
        if member is not None:
            mine = set(get_services(request).accounts.organisations(member))
            for related in found.related:
                if iri in mine and not related.stated_by_self:
                    confirm[related.iri] = iri
                elif related.iri in mine and not related.stated_by_other:
                    confirm[related.iri] = related.iri
            if confirm:
                token = csrf_token(request)
    return {"connections": found, "confirm": confirm, "csrf_token": token}
