"""The network view (/network), its data (/network/data) and the paths between two resources."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from commons_graph.network.links import ALL_KINDS
from commons_graph.network.model import network_model
from commons_graph.network.neighbourhood import Neighbourhood, neighbourhood
from commons_graph.network.page import text_groups
from commons_graph.network.params import (
    MAX_ALTERNATIVES,
    MAX_DEPTH,
    MAX_PATH_LENGTH,
    read_int,
    read_iri,
    read_kinds,
)
from commons_graph.network.paths import find_paths
from commons_graph.network.serialise import (
    neighbourhood_json,
    neighbourhood_triples,
    paths_json,
)
from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.namespaces import BASE
from commons_graph.web.deps import get_settings, get_store, render
from commons_graph.web.errors import HttpError, request_language
from commons_graph.web.representation import Choice, rdf_response
from commons_graph.web.response_cache import cacheable
from commons_graph.web.templating import local_href

router = APIRouter()
_HREF = local_href(BASE)


def page_url(iri: str) -> str | None:
    """`href` of the templates, quicker for minted IRIs (most of a network's resources)."""
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else _HREF(iri)


JSON = "application/json"
_DATA_FORMATS = {"json": JSON, "ttl": "text/turtle", "jsonld": "application/ld+json"}
HTML = "text/html"


def _wanted(request: Request, offered: list[str]) -> str:
    """The media type asked for: ?format= (json, ttl, jsonld, html), else Accept."""
    requested = request.query_params.get("format")
    if requested:
        chosen = HTML if requested == "html" else _DATA_FORMATS.get(requested)
        if chosen is None or chosen not in offered:
            raise HttpError(406, "error.not_acceptable", offered=", ".join(offered))
        return chosen
    chosen = negotiate(request.headers.get("accept"), offered)
    if chosen is None:
        raise HttpError(406, "error.not_acceptable", offered=", ".join(offered))
    return chosen


def _read(request: Request) -> tuple[str, int, frozenset[str]]:
    """The resource, depth and relation kinds of a neighbourhood request."""
    params = request.query_params
    iri = read_iri(params.get("iri"), "iri")
    depth = read_int(params.get("depth"), "depth", 1, MAX_DEPTH, 1)
    return iri, depth, read_kinds(params.getlist("kinds"))


def _asked_neighbourhood(request: Request, lang: str) -> tuple[Neighbourhood, int, frozenset[str]]:
    """The neighbourhood the request's `iri`, `depth` and `kinds` ask for (bounded)."""
    iri, depth, kinds = _read(request)
    store = get_store(request)
    answer = neighbourhood(
        store,
        network_model(store),
        iri,
        lang,
        depth=depth,
        kinds=kinds,
        max_nodes=get_settings(request).network_max_nodes,
    )
    return answer, depth, kinds


@router.get("/network/data", include_in_schema=False)
@cacheable()
def network_data(request: Request) -> Response:
    """A resource's neighbourhood as JSON, or its links as Turtle/JSON-LD."""
    wanted = _wanted(request, [JSON, "text/turtle", "application/ld+json"])
    store = get_store(request)
    lang = request_language(request)
    answer, _, _ = _asked_neighbourhood(request, lang)
    headers = {"Vary": "Accept, Accept-Language, Cookie"}
    if wanted == JSON:
        body = neighbourhood_json(answer, page_url, lang)
        return JSONResponse(body, headers=headers)
    fmt = rdf_format("ttl" if wanted == "text/turtle" else "jsonld")
    return rdf_response(
        neighbourhood_triples(store, answer, lang), Choice(fmt, False), None, headers
    )


@router.get("/network", include_in_schema=False)
@cacheable()
def network_page(request: Request) -> Response:
    """Pick a resource, a depth and relation kinds: the graph and its text alternative."""
    params = request.query_params
    lang = request_language(request)
    context: dict[str, object] = {
        "all_kinds": ALL_KINDS,
        "max_depth": MAX_DEPTH,
        "iri": params.get("iri") or "",
        "depth": 1,
        "kinds": frozenset(ALL_KINDS),
        "panel": None,
    }
    if params.get("iri"):
        answer, depth, kinds = _asked_neighbourhood(request, lang)
        context.update(
            depth=depth,
            kinds=kinds,
            data=neighbourhood_json(answer, page_url, lang),
            groups=text_groups(answer, lang),
            nodes={node.iri: node for node in answer.nodes},
            truncated=answer.truncated,
            data_url="/network/data?" + str(request.url.query),
        )
    return render(request, "network.html", context)


@router.get("/paths", include_in_schema=False)
@cacheable()
def paths_page(request: Request) -> Response:
    """The shortest chains of links between two resources, as a page or JSON."""
    wanted = _wanted(request, [HTML, JSON])
    params = request.query_params
    store = get_store(request)
    lang = request_language(request)
    settings = get_settings(request)
    context: dict[str, object] = {
        "source": params.get("from") or "",
        "target": params.get("to") or "",
        "answer": None,
    }
    # A page with one end given (the link from a resource page) is the form, filled in.
    if (params.get("from") and params.get("to")) or wanted == JSON:
        source = read_iri(params.get("from"), "from")
        target = read_iri(params.get("to"), "to")
        max_length = read_int(params.get("max"), "max", 1, MAX_PATH_LENGTH, 6)
        alternatives = read_int(params.get("alternatives"), "alternatives", 1, MAX_ALTERNATIVES, 3)
        answer = find_paths(
            store,
            network_model(store),
            source,
            target,
            lang,
            max_length=max_length,
            alternatives=alternatives,
            seconds=settings.network_paths_seconds,
        )
        body = paths_json(answer, page_url, lang)
        if wanted == JSON:
            return JSONResponse(body, headers={"Vary": "Accept, Accept-Language, Cookie"})
        context.update(answer=body, max_length=max_length)
    return render(request, "paths.html", context)
