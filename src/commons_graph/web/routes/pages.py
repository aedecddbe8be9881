"""The home page and the search page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode, Triple

from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.views.home import kind_counts
from commons_graph.views.labels import fetch_labels
from commons_graph.views.search import MAX_RESULTS, search
from commons_graph.views.vocabulary import schemes
from commons_graph.web.deps import get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.representation import alternates, choose, rdf_response
from commons_graph.web.response_cache import cacheable

router = APIRouter()


@router.get("/", include_in_schema=False)
@cacheable()
def home(request: Request) -> Response:
    """What this is, how much it holds, where to go next."""
    store = get_store(request)
    lang = request_language(request)
    context = {"counts": kind_counts(store), "schemes": schemes(store, lang)}
    # The home page's data is the dataset itself: its RDF forms are the VoID description.
    alts = alternates("/.well-known/void", query="format")
    return render(request, "home.html", context, alternates=alts)


@router.get("/search", include_in_schema=False)
@cacheable()
def search_page(request: Request, q: str = "", offset: int = 0) -> Response:
    """Resources whose label contains the text; RDF forms list the hits with their labels."""
    store = get_store(request)
    lang = request_language(request)
    choice = choose(request, None if request.query_params.get("format") else "text/html")
    results = search(store, q, lang, offset=max(0, offset))
    if not choice.is_html:
        iris = [hit.iri for hit in results.hits]
        triples = [
            Triple(NamedNode(hit.iri), RDF_TYPE, NamedNode(cls))
            for hit in results.hits
            for cls in hit.types
        ]
        triples += fetch_labels(store, iris, lang).triples
        return rdf_response(triples, choice)
    alts = alternates(request.url.path + "?" + str(request.url.query), query="format")
    context = {"results": results, "q": q, "offset": offset, "per_page": MAX_RESULTS}
    return render(request, "search.html", context, alternates=alts)
