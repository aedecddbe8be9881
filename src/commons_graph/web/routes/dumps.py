"""Whole-store dumps (/dump.ttl, .nt, .nq, .trig, .jsonld), streamed, gzip when accepted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from commons_graph.rdf.formats import rdf_format
from commons_graph.views.dumps import stream_dump
from commons_graph.views.void import DUMP_EXTENSIONS
from commons_graph.web.deps import get_store, not_found
from commons_graph.web.representation import accepts_gzip

router = APIRouter()


@router.get("/dump.{extension}", include_in_schema=False)
def dump(extension: str, request: Request) -> Response:
    """The whole store in one file, streamed as it is written."""
    if extension not in DUMP_EXTENSIONS:
        raise not_found(request)
    fmt = rdf_format(extension)
    compress = accepts_gzip(request.headers.get("accept-encoding"))
    headers = {
        "Content-Disposition": f'inline; filename="commons-graph.{extension}"',
        "Vary": "Accept-Encoding",
    }
    if compress:
        headers["Content-Encoding"] = "gzip"
    media_type = fmt.media_type
    if fmt.name != "jsonld":
        media_type += "; charset=utf-8"
    body = stream_dump(get_store(request), fmt, compress=compress)
    return StreamingResponse(body, media_type=media_type, headers=headers)
