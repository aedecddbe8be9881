"""Dereferencing minted IRIs: the path of every IRI under BASE answers with its description.

This router holds a catch-all route: include it after every other router (create_app does).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.views.resource import describe
from commons_graph.views.resource_page import page_from_description
from commons_graph.web.deps import get_store, minted_iri, not_found, render
from commons_graph.web.errors import request_language
from commons_graph.web.representation import (
    alternates,
    choose,
    link_header,
    rdf_response,
    split_extension,
)
from commons_graph.web.response_cache import cacheable

CATCH_ALL = "/{path:path}"

router = APIRouter()


@router.api_route(CATCH_ALL, methods=["GET", "HEAD"], include_in_schema=False)
@cacheable()
def dereference(path: str, request: Request) -> Response:
    """The description of BASE + path: a page for people, RDF for tools."""
    stem, forced = split_extension(path)
    if not stem:
        raise not_found(request)
    choice = choose(request, forced)
    lang = request_language(request)
    description = describe(get_store(request), minted_iri(request, stem), lang)
    if not description.exists:
        raise not_found(request)
    document = "/" + stem
    alts = alternates(document)
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        if choice.negotiated:
            headers["Content-Location"] = document + ".html"
        page = page_from_description(description, lang)
        context = {"page": page, "max_incoming": len(description.incoming)}
        return render(request, "resource.html", context, headers=headers, alternates=alts)
    assert choice.fmt is not None
    location = f"{document}.{choice.fmt.extension}" if choice.negotiated else None
    return rdf_response(description.triples(), choice, location, headers)
