"""The app in this process: httpx's ASGITransport, with the app's lifespan run around it.

For tests where the socket does not matter (pages, RDF, SPARQL answers, headers, status codes,
fuzzing): no server, no port, no thread to start, a request costs what the app spends on it.
`InProcess.http` is an ordinary synchronous `httpx.Client` (cookies, redirects as asked) on
the same app, so a test written against a live server's client needs only its fixture changed.
Tests whose behaviour is the socket's (time limits, kill -9, slow clients, CORS from a browser,
Chromium) use `tests.helpers.live.LiveServer` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import Any

import httpx
from anyio.from_thread import start_blocking_portal
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from commons_graph.config import Settings
from commons_graph.web.app import create_app
from tests.helpers import http as fetch

ORIGIN = "http://testserver"


class _PortalTransport(httpx.BaseTransport):
    """httpx's ASGITransport driven from synchronous code through the app's anyio portal."""

    def __init__(self, transport: httpx.ASGITransport, call: Any) -> None:
        self._transport = transport
        self._call = call

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            response = await self._transport.handle_async_request(request)
            # The raw bytes: the synchronous client decodes any Content-Encoding itself.
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            await response.aclose()
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=httpx.ByteStream(body),
                extensions=response.extensions,
            )

        response: httpx.Response = self._call(send)
        return response


class FreshRequests:
    """Each request from a new client (no cookies kept), as httpx's module functions send."""

    def __init__(self, transport: httpx.BaseTransport) -> None:
        self._transport = transport

    def client(self, **kwargs: Any) -> httpx.Client:
        """A new client of its own (its own cookies), e.g. one per thread."""
        return fetch.client(transport=self._transport, base_url=ORIGIN, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        with self.client() as client:
            return client.request(method, url, **kwargs)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


class InProcess:
    """Send requests to a started app and get httpx responses back, synchronously.

    `http` keeps cookies between requests (an `httpx.Client`); `fresh` sends each request
    from a new client, as httpx's module functions do; `url` is the origin both use.
    """

    def __init__(self, app: FastAPI, call: Any) -> None:
        self.app = app
        self.url = ORIGIN
        self._call = call
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url=ORIGIN)
        sync = _PortalTransport(transport, call)
        self.http = fetch.client(transport=sync, base_url=ORIGIN)
        self.fresh = FreshRequests(sync)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request; keyword arguments as for `httpx.AsyncClient.request`."""
        response: httpx.Response = self._call(partial(self.client.request, method, url, **kwargs))
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def head(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("HEAD", url, **kwargs)


@contextmanager
def in_process(settings: Settings, app: FastAPI | None = None) -> Iterator[InProcess]:
    """The app for `settings` (or `app`, made for them), started (store open, query workers
    running) until exit."""
    app = app or create_app(settings)
    with ExitStack() as stack:
        portal = stack.enter_context(start_blocking_portal())
        stack.enter_context(portal.wrap_async_context_manager(app.router.lifespan_context(app)))
        inproc = InProcess(app, portal.call)
        stack.callback(portal.call, inproc.client.aclose)
        stack.callback(inproc.http.close)
        yield inproc


def get_routes(app: FastAPI) -> list[str]:
    """The path template of every route of the app's table that answers GET (mounts aside)."""
    paths = []
    for context in iter_route_contexts(app.routes):
        methods = getattr(context.route, "methods", None) or set()
        if "GET" in methods and context.path and context.path not in paths:
            paths.append(context.path)
    return paths
