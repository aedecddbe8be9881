"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.views.home import kind_counts
from commons_graph.views.vocabulary import schemes
from commons_graph.web.deps import get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.representation import alternates
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
