"""Dereferencing minted IRIs: the path of every IRI under BASE answers with its description.

`/resource?iri=…` describes any other IRI the store holds statements about (an ESSGlobal
concept, a W3C class), so that links to them can stay on the site. This router holds a
catch-all route: include it after every other router (create_app does).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pyoxigraph import NamedNode

from commons_graph.geo.minimap import minimap
from commons_graph.network.page import network_panel
from commons_graph.rdf.namespaces import BASE
from commons_graph.views.datasets import datasets_of_graphs
from commons_graph.views.inbound import MAX_PARAMETER, inbound, page_number
from commons_graph.views.resource import describe
from commons_graph.views.resource_page import page_from_description
from commons_graph.web.deps import get_settings, get_store, minted_iri, not_found, render
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.related import related_block
from commons_graph.web.representation import (
    Choice,
    alternates,
    choose,
    link_header,
    rdf_response,
    split_extension,
)
from commons_graph.web.response_cache import cacheable
from commons_graph.web.templating import local_href

CATCH_ALL = "/{path:path}"
# The page of an IRI that is not minted here.
ELSEWHERE = "/resource"

router = APIRouter()


def local_page(iri: str) -> str:
    """The site's page of an IRI minted elsewhere."""
    return f"{ELSEWHERE}?iri={quote(iri, safe='')}"


@router.api_route(ELSEWHERE, methods=["GET", "HEAD"], include_in_schema=False)
def elsewhere(request: Request, iri: str = "") -> Response:
    """What the store says about an IRI minted elsewhere: a page for people, RDF for tools."""
    try:
        if not iri or len(iri) > MAX_PARAMETER or not iri.startswith(("http://", "https://")):
            raise ValueError(iri)
        NamedNode(iri)
    except ValueError:
        raise HttpError(400, "resource.error.bad_iri") from None
    if iri.startswith(BASE):
        path = "/" + iri[len(BASE) :]
        return RedirectResponse(path, status_code=303)
    document = local_page(iri)
    return _respond(request, iri, choose(request), document, alternates(document, "iri"), None)


@router.api_route(CATCH_ALL, methods=["GET", "HEAD"], include_in_schema=False)
@cacheable()
def dereference(path: str, request: Request) -> Response:
    """The description of BASE + path: a page for people, RDF for tools."""
    stem, forced = split_extension(path)
    if not stem:
        raise not_found(request)
    choice = choose(request, forced)
    document = "/" + stem
    iri = minted_iri(request, stem)
    return _respond(request, iri, choice, document, alternates(document), document)


def _respond(
    request: Request,
    iri: str,
    choice: Choice,
    document: str,
    alts: list[tuple[str, str, str]],
    extension_base: str | None,
) -> Response:
    """The page or RDF description of `iri`; 404 when the store knows nothing of it."""
    store = get_store(request)
    lang = request_language(request)
    headers = {"Link": link_header(alts)}
    if choice.is_html:
        # The page lists links to the resource by relation, counted and paged (views.inbound),
        # so its description reads none of them.
        description = describe(store, iri, lang, max_incoming=0)
        params = request.query_params
        links = inbound(store, iri, lang, params.get("inbound"), page_number(params.get("page")))
        if not description.exists and not links.groups:
            raise not_found(request)
        if choice.negotiated and extension_base:
            headers["Content-Location"] = extension_base + ".html"
        page = page_from_description(description, lang)
        known = {g for found in description.graphs.values() for g in found}
        if links.graphs - known:
            page.datasets = datasets_of_graphs(store, known | links.graphs, lang)
        context = {"page": page, "inbound": links, "max_incoming": 0}
        context["minimap"] = minimap(store, page.iri, page.label, get_settings(request))
        context["network"] = network_panel(store, page.iri, lang, local_href(BASE))
        context["related"] = related_block(request, description.iri, lang)
        return render(request, "resource.html", context, headers=headers, alternates=alts)
    description = describe(store, iri, lang)
    if not description.exists:
        raise not_found(request)
    assert choice.fmt is not None
    location = None
    if choice.negotiated and extension_base:
        location = f"{extension_base}.{choice.fmt.extension}"
    return rdf_response(description.triples(), choice, location, headers)
