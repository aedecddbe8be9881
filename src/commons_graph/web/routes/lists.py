"""One list page per kind (/organisations, /commons, ...): paged, with facets, and exported
whole (with its filters) as CSV, JSON, Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pyoxigraph import NamedNode, Triple

from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.views.exports import export_list
from commons_graph.views.kinds import KINDS, Kind
from commons_graph.views.labels import fetch_labels
from commons_graph.views.listing import PER_PAGE, list_index, list_page, parse_filters
from commons_graph.web import exports as web_exports
from commons_graph.web.deps import get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.facet_links import cleared_url, toggled_url
from commons_graph.web.geojson_answers import geojson_response
from commons_graph.web.representation import alternates, choose, rdf_response
from commons_graph.web.response_cache import cacheable
from commons_graph.web.templating import url_with

router = APIRouter()


def _list_view(kind: Kind) -> Callable[..., Response]:
    """The handler of `kind`'s list page."""

    @cacheable()
    def view(
        request: Request,
        page: int = Query(1, ge=1, le=1_000_000),
        per_page: int = Query(PER_PAGE, ge=1, le=200),
    ) -> Response:
        store = get_store(request)
        lang = request_language(request)
        filters = parse_filters(kind, request.query_params)
        # An export (the whole filtered list) by ?format= or Accept; GeoJSON is the map's.
        fmt = web_exports.export_format(request)
        if fmt == "geojson":
            return geojson_response(kind, request)
        if fmt is not None:
            document = str(request.url)
            export = export_list(store, kind, lang, filters, fmt, document=document)
            if request.query_params.get("meta"):
                total = len(list_index(store, kind).select(kind, lang, filters).members)
                return web_exports.metadata_response(kind, lang, total, export, filters)
            return web_exports.export_response(request, export)
        # Otherwise HTML, or the page's resources in another RDF format (RDF/XML, TriG, ...).
        choice = choose(request)
        listed = list_page(store, kind, lang, page=page, per_page=per_page, filters=filters)
        if not choice.is_html:
            iris = [item.iri for item in listed.items]
            triples = [Triple(NamedNode(iri), RDF_TYPE, NamedNode(kind.roots[0])) for iri in iris]
            triples += fetch_labels(store, iris, lang).triples
            return rdf_response(triples, choice)
        exports = web_exports.export_links(request)
        alts = [
            *exports,
            *alternates(url_with(request, format=None, lang=None), query="format")[2:],
        ]
        context = {
            "listed": listed,
            "exports": exports,
            "facet_url": lambda name, value: toggled_url(request, name, value),
            "cleared_url": cleared_url(request),
        }
        return render(request, "list.html", context, alternates=alts, headers={"Vary": "Accept"})

    view.__name__ = f"list_{kind.key}"
    view.__doc__ = f"The list of {kind.key}."
    return view


for _kind in KINDS.values():
    router.add_api_route(
        f"/{_kind.key}", _list_view(_kind), methods=["GET", "HEAD"], include_in_schema=False
    )
