"""Answering single-pattern SPARQL lookups before the framework: the endpoint's hot path.

"Every statement about this resource" is the query linked-data tools send most. Its evaluation
costs ~0.1 ms, the framework's layers around it (sessions, routing, request and response objects)
several times that, so this ASGI layer answers those queries itself: the same executor call
(`answer_at_once`), the same body and headers as the `/sparql` route. Anything else (another
query, another parameter, an Accept header a browser sends, any error) is passed on untouched,
with the body it read replayed, and `/sparql` answers it as usual.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commons_graph.conneg import negotiate
from commons_graph.errors import CommonsGraphError
from commons_graph.sparql.executor import QueryExecutor, QueryRequest
from commons_graph.sparql.negotiation import ALL_MEDIA_TYPES, SOLUTION_MEDIA_TYPES

_FORM = b"application/x-www-form-urlencoded"
_QUERY = b"application/sparql-query"
_HTML = "text/html"


class DirectLookups:
    """ASGI middleware: answers single-pattern SELECTs to /sparql, passes everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql":
            await self.app(scope, receive, send)
            return
        services = getattr(scope["app"].state, "services", None)
        executor: QueryExecutor | None = services.extras.get("executor") if services else None
        if executor is None or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        settings = services.settings  # type: ignore[union-attr]
        headers = dict(scope["headers"])
        body, complete = b"", True
        if scope["method"] == "POST":
            body, complete = await _read_body(receive, settings.max_query_bytes)
            receive = _replaying(body, complete, receive)
            if not complete:
                await self.app(scope, receive, send)
                return
        query = _lookup_query(scope, headers, body, settings.max_query_bytes)
        accept = headers.get(b"accept", b"*/*").decode("latin-1")
        answer = None
        if query is not None and _wants_results(accept):
            try:
                answer = executor.answer_at_once(
                    QueryRequest(query, accept), settings.max_result_rows
                )
            except CommonsGraphError:
                answer = None  # the route reports it, with the usual error shape
        if answer is None:
            await self.app(scope, receive, send)
            return
        response_headers = [
            (b"content-type", _content_type(answer.media_type).encode("latin-1")),
            (b"content-length", str(len(answer.body)).encode()),
            (b"vary", b"Accept"),
        ]
        if answer.truncated:
            response_headers.append((b"x-result-truncated", b"true"))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": answer.body})


def _lookup_query(
    scope: Scope, headers: dict[bytes, bytes], body: bytes, max_bytes: int
) -> str | None:
    """The query if the request sends nothing else (a lookup candidate), else None."""
    url_params = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    if scope["method"] == "GET":
        params = url_params
    else:
        media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if media_type == _QUERY and not url_params:
            params = [("query", text)]
        elif media_type == _FORM:
            params = url_params + parse_qsl(text, keep_blank_values=True)
        else:
            return None
    if len(params) != 1 or params[0][0] != "query":
        return None
    query: str = params[0][1]
    if len(query.encode()) > max_bytes:
        return None
    # Whether it is a lookup, `answer_at_once` decides (matching the lookup grammar once).
    return query


def _content_type(media_type: str) -> str:
    """The Content-Type the route's Response would send: text types get their charset."""
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        return media_type + "; charset=utf-8"
    return media_type


def _wants_results(accept: str) -> bool:
    """Whether the client gets SPARQL results, not the editor page (browsers) nor a 406."""
    return negotiate(accept, (*ALL_MEDIA_TYPES, _HTML)) in SOLUTION_MEDIA_TYPES


async def _read_body(receive: Receive, max_bytes: int) -> tuple[bytes, bool]:
    """The body, and whether it was read whole (not when it passes `max_bytes`)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            return b"".join(chunks), False
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replaying(body: bytes, complete: bool, receive: Receive) -> Receive:
    """A `receive` that gives back what was read of the body first, then reads on."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": not complete}
        return await receive()

    return replay
