"""Full-text search: the search page (/search) and type-ahead suggestions (/search/suggest)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import NamedNode, Triple

from commons_graph.rdf.namespaces import BASE, RDF_TYPE
from commons_graph.search.index import MAX_MATCHES
from commons_graph.views.labels import fetch_labels
from commons_graph.views.search import (
    LIST_FACET,
    MAX_RESULTS,
    MAX_SUGGESTIONS,
    parse_search_filters,
    search,
    suggest,
)
from commons_graph.web.deps import get_search, get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.representation import alternates, choose, rdf_response
from commons_graph.web.templating import local_href, translator, url_with

router = APIRouter()

# How long a request waits for an index that was never built, while it is being built.
FIRST_BUILD_WAIT_SECONDS = 10.0
# A query longer than this is cut, not refused: the search box bounds it already.
MAX_Q_PARAM = 10_000


@router.get("/search", include_in_schema=False)
def search_page(
    request: Request,
    q: str = Query("", max_length=MAX_Q_PARAM),
    offset: int = 0,
) -> Response:
    """Resources matching the words, best first, with snippets and facets; RDF forms list
    the hits with their classes and labels."""
    store = get_store(request)
    found = get_search(request)
    found.wait_for_first_build(FIRST_BUILD_WAIT_SECONDS)
    lang = request_language(request)
    choice = choose(request, None if request.query_params.get("format") else "text/html")
    filters = parse_search_filters(request.query_params)
    results = search(store, found.index, q, lang, offset=max(0, offset), filters=filters)
    if not choice.is_html:
        iris = [hit.iri for hit in results.hits]
        triples = [
            Triple(NamedNode(hit.iri), RDF_TYPE, NamedNode(cls))
            for hit in results.hits
            for cls in hit.types
        ]
        triples += fetch_labels(store, iris, lang).triples
        return rdf_response(triples, choice)
    alts = alternates(url_with(request, format=None, lang=None), query="format")
    context = {
        "results": results,
        "q": q[: MAX_RESULTS * 4],
        "offset": max(0, offset),
        "per_page": MAX_RESULTS,
        "rebuilding": found.rebuilding,
        "list_facet": LIST_FACET,
        "max_matches": MAX_MATCHES,
    }
    return render(request, "search.html", context, alternates=alts)


@router.get("/search/suggest")
def search_suggest(
    request: Request,
    q: str = Query("", max_length=MAX_Q_PARAM),
    limit: int = Query(8, ge=1, le=MAX_SUGGESTIONS),
) -> Response:
    """Type-ahead: a few resources whose names begin with the text, as JSON."""
    found = get_search(request)
    found.wait_for_first_build(FIRST_BUILD_WAIT_SECONDS)
    lang = request_language(request)
    t = translator(lang)
    href = local_href(BASE)
    suggestions = suggest(get_store(request), found.index, q, lang, limit)
    body = {
        "query": q[:200],
        "results": [
            {
                "iri": s.iri,
                "label": s.label,
                "kind": s.kind,
                "kind_label": t(f"kind.{s.kind}") if s.kind else None,
                "url": href(s.iri),
            }
            for s in suggestions
        ],
        "rebuilding": found.rebuilding,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"})
