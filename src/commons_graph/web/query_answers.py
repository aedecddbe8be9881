"""Answering SPARQL queries from tools before the framework: the endpoint's hot path.

A query costs Oxigraph from ~0.1 ms (a lookup) to a few milliseconds; the framework's layers
around a route (sessions, routing, request and response objects, dependency handling) cost
~0.7 ms of the server's CPU per request on top, about half of what the server spends on a small
query (docs/benchmarks.md). So this ASGI layer answers `/sparql` requests that carry a query
for data itself, with the same protocol functions as the route (`web/sparql_protocol.py`) and
the same error rendering. What it does not answer (no query: the service description or the
editor; a browser, which gets the editor showing the results) goes on to the route, with the
body it read replayed.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from commons_graph.web.errors import error_answer
from commons_graph.web.services import Services
from commons_graph.web.sparql_protocol import (
    BodyReader,
    ProtocolError,
    answer_headers,
    answer_query,
    read_protocol,
    requested_accept,
    wants_editor,
)


class QueryAnswers:
    """ASGI middleware: answers data queries to /sparql, passes everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services: Services | None = None
        if scope["type"] == "http" and scope["path"] == "/sparql":
            services = getattr(scope["app"].state, "services", None)
        if services is None or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        # The first of repeated headers wins, as with Starlette's `Headers.get` in the route.
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(scope["headers"])}
        max_bytes = services.settings.max_query_bytes
        body = BodyReader(receive, max_bytes, headers.get("content-length"))
        try:
            read = await read_protocol(
                scope["method"], scope["query_string"].decode("latin-1"), headers, body, max_bytes
            )
            accept = requested_accept(read, headers.get("accept"))
            if read.query is None or wants_editor(read, accept):
                await self.app(scope, body.replay(), send)
                return
            client = scope["client"][0] if scope.get("client") else "unknown"
            answer = await answer_query(services, read, accept, client)
        except ProtocolError as error:
            await _send_error(scope, receive, send, error)
            return
        response_headers = [(k.encode(), v.encode("latin-1")) for k, v in answer_headers(answer)]
        response_headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": answer.body})


async def _send_error(scope: Scope, receive: Receive, send: Send, error: ProtocolError) -> None:
    """Send `error` as every other error is sent: the JSON shape, or a page for browsers."""
    request = Request(scope, receive)
    await error_answer(request, error)(scope, receive, send)
