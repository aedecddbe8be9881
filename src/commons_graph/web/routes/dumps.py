"""Whole-store dumps (/dump.ttl, .nt, .nq, .trig, .jsonld and each .gz), streamed, versioned."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from commons_graph.rdf.formats import rdf_format
from commons_graph.views.dumps import check_version, measured, stream_dump
from commons_graph.views.void import DUMP_EXTENSIONS, GZIP
from commons_graph.web.deps import get_store, not_found
from commons_graph.web.public import public_url
from commons_graph.web.representation import accepts_gzip

router = APIRouter()


@router.get("/dump.{extension}", include_in_schema=False)
def dump(extension: str, request: Request, version: str | None = None) -> Response:
    """The whole store in one file, streamed as it is written, named by its content version
    (`?version=` asks for one: 410 once the store has changed since)."""
    name = extension
    extension = name.removesuffix(GZIP)
    gzip_file = name != extension
    if extension not in DUMP_EXTENSIONS:
        raise not_found(request)
    store = get_store(request)
    current = check_version(store, version)
    fmt = rdf_format(extension)
    tag = f'"{current}"'
    cited = public_url(request, f"/dump.{name}?version={current}")
    headers = {
        "Content-Disposition": f'inline; filename="commons-graph-{current[:12]}.{name}"',
        "Vary": "Accept-Encoding",
        "ETag": tag,
        "Content-Location": cited,
        "Link": f'<{cited}>; rel="canonical", </.well-known/void>; rel="describedby"',
    }
    if tag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    if gzip_file:
        media_type = "application/gzip"
        compress = True
    else:
        compress = accepts_gzip(request.headers.get("accept-encoding"))
        if compress:
            headers["Content-Encoding"] = "gzip"
        media_type = fmt.media_type
        if fmt.name != "jsonld":
            media_type += "; charset=utf-8"
    body = stream_dump(store, fmt, compress=compress, version=current)
    if gzip_file or not compress:
        body = measured(store, current, f"dump.{name}", body)
    return StreamingResponse(body, media_type=media_type, headers=headers)
