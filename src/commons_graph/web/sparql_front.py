"""The layers a `/sparql` data query needs, without the rest of the framework around them.

A query for data sent to `/sparql` is answered by `QueryAnswers` (web/query_answers.py), a layer in
front of the routes; the framework's other layers around it (FastAPI's and Starlette's entry, the
telemetry check, the body limit already enforced by the cache's read) do nothing for such a request,
and with the ones it needs cost a tenth of a cold lookup (docs/benchmarks.md). The response cache
(web/response_cache.py) sends every `/sparql` request it does not hold here: the same layers in the
same order as in the framework, both made from one list (`query_layers`: the client's address from
trusted proxies, the security headers, cross-origin headers, updates passed on to `/update`, the
query answered). What `QueryAnswers` or `UpdateDispatch` would pass on (the editor, the service
description, an update) reaches nothing behind them: the request is marked `Passed`, nothing has
been sent, and the cache gives it to the whole framework, body replayed. An unexpected error gets
the framework's own 500 answer (`tests/web/test_sparql_front.py` compares both paths).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

# A layer: its class and the options it is made with.
Layer = tuple[Callable[..., Any], dict[str, Any]]


class Passed:
    """Set when the short stack left a request to the framework, having sent nothing."""

    def __init__(self) -> None:
        self.value = False


class _LeaveToFramework:
    """The short stack's innermost app: says the request is the framework's, sends nothing."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[PASSED].value = True


def query_layers(settings: Settings, img_sources: tuple[str, ...]) -> list[Layer]:
    """The framework's layers from the query answers outwards, innermost first: the framework
    adds them in this order and the short stack wraps them in it, so the two cannot differ."""
    layers: list[Layer] = [
        # Tools' queries skip the framework's routing (docs/sparql.md).
        (QueryAnswers, {}),
        # Updates sent to /sparql go to /update, whatever their spelling.
        (UpdateDispatch, {}),
    ]
    options = cors_options(settings)
    if options is not None:
        # Cross-origin headers wrap every answer, the ones above included.
        layers.append((CORSMiddleware, options))
    # Every answer gets the security headers.
    layers.append((SecurityHeaders, {"img_sources": img_sources}))
    proxies = trusted_proxies(settings)
    if proxies:
        # Outermost: every layer inside sees the client's address, not a proxy's.
        layers.append((ProxyHeadersMiddleware, {"trusted_hosts": proxies}))
    return layers


def sparql_front(app: FastAPI, layers: list[Layer]) -> ASGIApp:
    """The short stack for `/sparql` requests, of `layers` (`query_layers`): what it leaves
    (an update, the editor, the service description) it marks `Passed` without sending
    anything, for the caller to give the whole framework."""
    stack: ASGIApp = _LeaveToFramework()
    for layer, options in layers:
        stack = layer(stack, **options)
    handler = app.exception_handlers.get(500) or app.exception_handlers.get(Exception)
    return ServerErrorMiddleware(stack, handler=handler, debug=app.debug)
