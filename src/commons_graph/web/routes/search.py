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
    SEARCH_EXPORT,
    export_search,
    find,
    parse_search_filters,
    search,
    search_about,
    suggest,
)
from commons_graph.web import exports as web_exports
from commons_graph.web.deps import get_search, get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.facet_links import cleared_url, toggled_url
from commons_graph.web.geojson_answers import located_response
from commons_graph.web.representation import alternates, choose, rdf_response
from commons_graph.web.response_cache import cacheable
from commons_graph.web.templating import local_href, translator, url_with

router = APIRouter()

# How long a request waits for an index that was never built, while it is being built.
FIRST_BUILD_WAIT_SECONDS = 10.0
# A query longer than this is cut, not refused: the search box bounds it already.
MAX_Q_PARAM = 10_000


@router.get("/search", include_in_schema=False)
@cacheable()
def search_page(
    request: Request,
    q: str = Query("", max_length=MAX_Q_PARAM),
    offset: int = 0,
) -> Response:
    """Resources matching the words, best first, with snippets and the list pages' facets;
    exported whole as a list is (CSV, JSON, Turtle, N-Triples, JSON-LD, GeoJSON); other RDF
    forms list the page's hits with their classes and labels."""
    store = get_store(request)
    found = get_search(request)
    found.wait_for_first_build(FIRST_BUILD_WAIT_SECONDS)
    lang = request_language(request)
    filters = parse_search_filters(request.query_params)
    # Every hit (up to the cap on matches), in rank order, by ?format= or Accept, as a list's.
    fmt = web_exports.export_format(request)
    if fmt == "geojson":
        hits = find(store, found.index, q, filters)
        return located_response(request, [iri for _, iri, _, _ in hits.ranked], "search")
    if fmt is not None:
        document = str(request.url)
        matched, export = export_search(
            store, found.index, q, lang, filters, fmt, document=document
        )
        if request.query_params.get("meta"):
            total = len(matched.ranked)
            about = search_about(matched)
            return web_exports.metadata_response(SEARCH_EXPORT, lang, total, export, filters, about)
        return web_exports.export_response(request, export)
    choice = choose(request, None if request.query_params.get("format") else "text/html")
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
    exports = web_exports.export_links(request) if results.text else []
    alts = [
        *exports,
        *alternates(url_with(request, format=None, lang=None), query="format")[2:],
    ]
    context = {
        "results": results,
        "q": q[: MAX_RESULTS * 4],
        "offset": max(0, offset),
        "per_page": MAX_RESULTS,
        "rebuilding": found.rebuilding,
        "list_facet": LIST_FACET,
        "max_matches": MAX_MATCHES,
        "exports": exports,
        "facet_url": lambda name, value: toggled_url(request, name, value),
        "cleared_url": cleared_url(request),
    }
    return render(request, "search.html", context, alternates=alts, headers={"Vary": "Accept"})


@router.get("/search/suggest")
@cacheable()
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
