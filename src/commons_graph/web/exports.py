"""The web side of exports: choosing an export format, and the streamed response with its
licence headers. Lists and search pages use it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import RDF_FORMATS
from commons_graph.views.exports import (
    EXPORT_FORMATS,
    EXPORT_MEDIA_TYPES,
    Export,
    licence_json,
    metadata,
)
from commons_graph.views.kinds import Kind
from commons_graph.views.listing import Filters
from commons_graph.web.representation import HTML
from commons_graph.web.templating import current_path

# Shown on list pages as links and <link rel="alternate">: (name, ?format=, media type).
EXPORT_LINKS: tuple[tuple[str, str, str], ...] = (
    ("CSV", "csv", "text/csv"),
    ("JSON", "json", "application/json"),
    ("Turtle", "ttl", "text/turtle"),
    ("JSON-LD", "jsonld", "application/ld+json"),
    ("GeoJSON", "geojson", "application/geo+json"),
)


def export_format(request: Request) -> str | None:
    """The export format a request asks for by ?format= or Accept, or None for the page (or
    another RDF format, which the caller handles)."""
    requested = request.query_params.get("format")
    if requested:
        if requested in EXPORT_FORMATS or requested == "geojson":
            return requested
        return None
    offered = [HTML, *EXPORT_MEDIA_TYPES, "application/geo+json"]
    offered += [m for f in RDF_FORMATS for m in f.media_types if m not in offered]
    chosen = negotiate(request.headers.get("accept"), offered)
    if chosen == "application/geo+json":
        return "geojson"
    return EXPORT_MEDIA_TYPES.get(chosen or "")


def export_links(request: Request) -> list[tuple[str, str, str]]:
    """(name, media type, URL) of each export of the current page, with its filters."""
    skipped = ("format", "page", "offset")
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in skipped]
    path = current_path(request)
    links = []
    for name, fmt, media in EXPORT_LINKS:
        links.append((name, media, path + "?" + urlencode([*items, ("format", fmt)])))
    return links


def _header_text(text: str) -> str:
    """A header value: printable ASCII kept, anything else percent-encoded (RFC 3986)."""
    if text.isascii():
        return text.replace('"', "'")
    return quote(text, safe=" !#$&'()*+,/:;=?@[]~-._")


def attribution_header(attributions: Sequence[str]) -> str:
    """The `Attribution` header of an answer: each attribution quoted, non-ASCII %-encoded."""
    return ", ".join('"' + _header_text(text) + '"' for text in dict.fromkeys(attributions))


def export_headers(request: Request, export: Export, negotiated: bool) -> dict[str, str]:
    """The licence, attribution and metadata headers of an export."""
    links = [f'<{info.license}>; rel="license"' for info in dict.fromkeys(export.licences)]
    items = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "meta")]
    meta = current_path(request) + "?" + urlencode([*items, ("format", "json"), ("meta", "1")])
    links.append(f'<{meta}>; rel="describedby"; type="application/json"')
    attributions = [info.attribution for info in export.licences if info.attribution]
    headers = {
        "Link": ", ".join(links),
        "Content-Disposition": f'inline; filename="{export.filename}"',
    }
    if attributions:
        headers["Attribution"] = attribution_header(attributions)
    if negotiated:
        headers["Vary"] = "Accept"
    return headers


def export_response(request: Request, export: Export) -> Response:
    """The streamed response of `export`, with its licences in the headers."""
    negotiated = not request.query_params.get("format")
    # HEAD is answered by web/head.py, which stops the stream at its first chunk.
    return StreamingResponse(
        export.body,
        media_type=export.media_type,
        headers=export_headers(request, export, negotiated),
    )


def metadata_response(
    kind: Kind,
    lang: str,
    total: int,
    export: Export,
    filters: Filters,
    about: Mapping[str, object] | None = None,
) -> Response:
    """The side channel of an export (`?meta=1`): its list, filters, size, columns, licences
    (and `about`: a search's query and cap)."""
    body = metadata(kind, lang, total, export.licences, filters) | dict(about or {})
    body["attributions"] = [licence_json(i)["attribution"] for i in export.licences]
    return JSONResponse(body)


def offered_formats() -> Sequence[str]:
    """The ?format= names a list accepts besides html and the RDF description formats."""
    return [*EXPORT_FORMATS, "geojson"]
