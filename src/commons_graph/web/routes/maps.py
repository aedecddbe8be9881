"""The map (/map), the GeoJSON of every list (/organisations.geojson, ...) with the list's
filters, streamed and gzip-compressed when accepted."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commons_graph.geo.geojson import (
    MEDIA_TYPE,
    collect,
)
from commons_graph.geo.points import located_index
from commons_graph.geo.tiles import tile_layer, tile_source
from commons_graph.rdf.namespaces import BASE
from commons_graph.views.kinds import KINDS, Kind
from commons_graph.views.listing import list_index, list_page
from commons_graph.web.deps import get_settings, get_store, render
from commons_graph.web.errors import request_language
from commons_graph.web.geojson_answers import (
    MAP_PROPERTIES,
    filter_pairs,
    geojson_response,
    list_filters,
)
from commons_graph.web.response_cache import cacheable

router = APIRouter()


def _geojson_view(kind: Kind) -> Callable[..., Response]:
    """The handler of `/<kind>.geojson`."""

    def view(request: Request) -> Response:
        return geojson_response(kind, request)

    view.__name__ = f"geojson_{kind.key}"
    view.__doc__ = f"The located {kind.key} as GeoJSON, with the list's filters."
    return cacheable()(view)


for _kind in KINDS.values():
    router.add_api_route(
        f"/{_kind.key}.geojson",
        _geojson_view(_kind),
        methods=["GET", "HEAD"],
        include_in_schema=False,
    )


@router.get("/map", include_in_schema=False)
@cacheable()
def map_page(request: Request) -> Response:
    """Every located organisation on one map, with the list's filters."""
    kind = KINDS["organisations"]
    store = get_store(request)
    lang = request_language(request)
    filters = list_filters(kind, request)
    members = list_index(store, kind).select(kind, lang, filters).members
    collection = collect(store, located_index(store), members, kind.key, lang)
    # One item: the page needs the facets (labelled) and the filters, not the list itself.
    listed = list_page(store, kind, lang, page=1, per_page=1, filters=filters)
    query = urlencode(filter_pairs(filters))
    geojson = f"/{kind.key}.geojson" + ("?" + query if query else "")
    tiles = tile_layer(get_settings(request))
    data_query = urlencode([*filter_pairs(filters), ("lang", lang), ("properties", MAP_PROPERTIES)])
    context = {
        "listed": listed,
        "located": len(collection),
        "total": len(members),
        "datasets": collection.datasets,
        "geojson_url": f"/{kind.key}.geojson?{data_query}",
        "geojson_link": geojson,
        "list_url": f"/{kind.key}" + ("?" + query if query else ""),
        "iri_base": BASE,
        "tiles": tiles,
        "tile_host": tile_source(tiles.url),
    }
    alternates = [("GeoJSON", MEDIA_TYPE, geojson)]
    return render(request, "map.html", context, alternates=alternates)
