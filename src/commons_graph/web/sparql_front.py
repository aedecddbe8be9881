"""The layers a `/sparql` data query needs, without the rest of the framework around them.

A query for data sent to `/sparql` is answered by `QueryAnswers` (web/query_answers.py), a
layer in front of the routes; the framework's other layers around it (FastAPI's and Starlette's
entry, the telemetry check, the body limit already enforced by the cache's read) do nothing for
such a request, and with the ones it needs cost a tenth of a cold lookup (docs/benchmarks.md).
The response cache (web/response_cache.py) sends every `/sparql` request it does not hold here:
the same layer classes in the same order as in the framework (the client's address from trusted
proxies, the security headers, cross-origin headers, updates passed on to `/update`, the query
answered). What `QueryAnswers` or `UpdateDispatch` would pass on (the editor, the service
description, an update) reaches nothing behind them: the request is marked `Passed`, nothing
has been sent, and the cache gives it to the whole framework, body replayed. An unexpected error
gets the framework's own 500 answer (`tests/web/test_sparql_front.py` compares both paths).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from commons_graph.config import Settings
from commons_graph.web.client import trusted_proxies
from commons_graph.web.cors import cors_options
from commons_graph.web.query_answers import QueryAnswers
from commons_graph.web.security_headers import SecurityHeaders
from commons_graph.web.update_dispatch import UpdateDispatch

# Where the scope carries the request's `Passed` (copies of the scope share it).
PASSED = "commons_graph.passed"


class Passed:
    """Set when the short stack left a request to the framework, having sent nothing."""

    def __init__(self) -> None:
        self.value = False


class _LeaveToFramework:
    """The short stack's innermost app: says the request is the framework's, sends nothing."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[PASSED].value = True


def sparql_front(app: FastAPI, settings: Settings, img_sources: tuple[str, ...]) -> ASGIApp:
    """The short stack for `/sparql` requests: what it leaves (an update, the editor, the
    service description) it marks `Passed` without sending anything, for the caller to give
    the whole framework."""
    layers: ASGIApp = UpdateDispatch(QueryAnswers(_LeaveToFramework()))
    options = cors_options(settings)
    if options is not None:
        layers = CORSMiddleware(layers, **options)
    layers = SecurityHeaders(layers, img_sources=img_sources)
    proxies = trusted_proxies(settings)
    if proxies:
        # uvicorn's types are stricter than Starlette's for the same ASGI callables.
        layers = ProxyHeadersMiddleware(layers, trusted_hosts=proxies)  # type: ignore[arg-type,assignment]
    handler = app.exception_handlers.get(500) or app.exception_handlers.get(Exception)
    return ServerErrorMiddleware(layers, handler=handler, debug=app.debug)
