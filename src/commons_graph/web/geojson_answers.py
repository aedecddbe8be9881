"""GeoJSON answers of lists and searches: the located members, streamed, credited in the
headers, gzip-compressed when accepted (for `/<list>.geojson`, `?format=geojson` on a list or a
search, and the map)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.datastructures import QueryParams

from commons_graph.geo.cache import Kept, answer_cache
from commons_graph.geo.compress import gzip_stream
from commons_graph.geo.geojson import (
    MEDIA_TYPE,
    Collection,
    collect,
    parse_properties,
    write_geojson,
)
from commons_graph.geo.points import located_index
from commons_graph.views.kinds import KINDS, Kind
from commons_graph.views.listing import list_index, parse_filters
from commons_graph.web.deps import get_services, get_store
from commons_graph.web.errors import request_language
from commons_graph.web.exports import attribution_header
from commons_graph.web.public import public_base
from commons_graph.web.representation import accepts_gzip

# The licence of what members and the seed state (the footer of every page says it too).
PROJECT_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
# What the map asks for: labels for its popups, which link to the IRI's page (as `href` does).
MAP_PROPERTIES = "label"
# The map's own answer (web/map_warming.py writes it ahead): all organisations, labels.
MAP_KIND = KINDS["organisations"]
MAP_FIELDS = parse_properties(MAP_PROPERTIES)
# The parameters of these routes that are not the list's filters.
OWN_PARAMETERS = frozenset({"properties"})
# What an IRI keeps as it is in a Link header: RFC 3986's characters but `,` and `'`.
_IRI_SAFE = ":/?#[]@!$&()*+;=%-._~"


def list_filters(kind: Kind, request: Request) -> dict[str, Any]:
    """The list's filters of the request, read by the list's own parser, without this route's
    own parameters (a parser that refuses unknown names must not see them)."""
    params = QueryParams(
        [(k, v) for k, v in request.query_params.multi_items() if k not in OWN_PARAMETERS]
    )
    return dict(parse_filters(kind, params))


def filter_pairs(filters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The filters as query parameters (a facet may hold one value or a tuple of them)."""
    pairs: list[tuple[str, str]] = []
    for name, chosen in filters.items():
        for value in chosen if isinstance(chosen, tuple | list) else (chosen,):
            pairs.append((name, str(value)))
    return pairs


def credit_headers(collection: Collection) -> dict[str, str]:
    """`Link: <licence>; rel="license"` for each licence of the data, and `Attribution`:
    the attributions the licences ask for, written as the list exports write them."""
    licences = sorted({d.license for d in collection.datasets})
    credited = {d.iri for d in collection.datasets}
    # Features from no licensed dataset are the network's own data, under the project's licence.
    if any(not credited & set(located.sources) for _, located in collection.features):
        licences.append(PROJECT_LICENCE)
    headers: dict[str, str] = {}
    if licences:
        # A comma or a quote in an IRI would split or end a Link value: written escaped.
        headers["Link"] = ", ".join(
            f'<{quote(licence, safe=_IRI_SAFE)}>; rel="license"' for licence in licences
        )
    attributions = sorted({d.attribution for d in collection.datasets if d.attribution})
    if attributions:
        headers["Attribution"] = attribution_header(attributions)
    return headers


def answer_key(
    kind: Kind, lang: str, filters: Mapping[str, Any], properties: tuple[str, ...], base: str
) -> tuple[object, ...]:
    """What a kept answer is kept under: the server's address only matters to `url`."""
    where = base if "url" in properties else None
    return (kind.key, lang, tuple(sorted(filter_pairs(filters))), properties, where)


def geojson_response(kind: Kind, request: Request) -> Response:
    """The located members of `kind` passing the request's list filters, as GeoJSON: for
    `/<kind>.geojson` and for `?format=geojson` (or `Accept: application/geo+json`) on a list."""
    store = get_store(request)
    lang = request_language(request)
    filters = list_filters(kind, request)
    properties = parse_properties(request.query_params.get("properties"))
    base = public_base(request)
    compress = accepts_gzip(request.headers.get("accept-encoding"))
    lists, places = list_index(store, kind), located_index(store)
    common = {
        "Content-Disposition": f'inline; filename="{kind.key}.geojson"',
        "Vary": "Accept, Accept-Encoding, Accept-Language",
    }
    cache = answer_cache(store)
    key = answer_key(kind, lang, filters, properties, base)
    warmer = get_services(request).map_warmer
    if warmer is not None and key == answer_key(MAP_KIND, lang, {}, MAP_FIELDS, base):
        warmer.asked()
    if compress and (kept := cache.get(key, (lists, places))) is not None:
        headers = {**kept.headers, **common, "Content-Encoding": "gzip"}
        return Response(kept.body, media_type=MEDIA_TYPE, headers=headers)
    members = lists.select(kind, lang, filters).members

    def keep(packed: bytes, credits: dict[str, str]) -> None:
        cache.put(key, Kept(packed, credits, (lists, places)))

    return located_response(request, members, kind.key, keep)


def located_response(
    request: Request,
    members: Sequence[str],
    name: str,
    keep: Callable[[bytes, dict[str, str]], None] | None = None,
) -> Response:
    """The located ones among `members` (in their order) as GeoJSON, streamed, credited in
    its headers, gzip-compressed when accepted (and the packed answer given to `keep`): for a
    list's or a search's `?format=geojson`."""
    store = get_store(request)
    lang = request_language(request)
    properties = parse_properties(request.query_params.get("properties"))
    base = public_base(request)
    collection = collect(store, located_index(store), members, name, lang)
    credits = credit_headers(collection)
    common = {
        "Content-Disposition": f'inline; filename="{name}.geojson"',
        "Vary": "Accept, Accept-Encoding, Accept-Language",
    }
    body = (chunk.encode() for chunk in write_geojson(collection, base, properties))
    if not accepts_gzip(request.headers.get("accept-encoding")):
        return StreamingResponse(body, media_type=MEDIA_TYPE, headers={**credits, **common})

    def packed(data: bytes) -> None:
        if keep is not None:
            keep(data, credits)

    headers = {**credits, **common, "Content-Encoding": "gzip"}
    return StreamingResponse(gzip_stream(body, packed), media_type=MEDIA_TYPE, headers=headers)
