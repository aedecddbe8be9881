"""The app in this process: httpx's ASGITransport, with the app's lifespan run around it.

For tests where the socket does not matter (headers, status codes, fuzzing): no server, no
port, a request costs what the app spends on it.
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

ORIGIN = "http://testserver"


class InProcess:
    """Send requests to a started app and get httpx responses back, synchronously."""

    def __init__(self, app: FastAPI, call: Any) -> None:
        self.app = app
        self._call = call
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.client = httpx.AsyncClient(transport=transport, base_url=ORIGIN)

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
        yield inproc


def get_routes(app: FastAPI) -> list[str]:
    """The path template of every route of the app's table that answers GET (mounts aside)."""
    paths = []
    for context in iter_route_contexts(app.routes):
        methods = getattr(context.route, "methods", None) or set()
        if "GET" in methods and context.path and context.path not in paths:
            paths.append(context.path)
    return paths
