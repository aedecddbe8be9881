"""The app factory and the one composition root: `create_app(settings)` includes every router,
installs every layer and, when the app starts, builds the `Services` the routes call.

Nothing is created at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from commons_graph import __version__
from commons_graph.config import Settings
from commons_graph.contributions.journal import recover
from commons_graph.geo.tiles import map_image_sources
from commons_graph.members.accounts import Accounts
from commons_graph.rdf.namespaces import BASE
from commons_graph.search.service import watch_for_others
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from commons_graph.web.answer_store import AnswerStore
from commons_graph.web.deps import SESSION_COOKIE
from commons_graph.web.errors import install_error_handlers
from commons_graph.web.head import HeadAsGet
from commons_graph.web.response_cache import ResponseCache
from commons_graph.web.routes import (
    cache_status,
    codesocial,
    contributions,
    dumps,
    history,
    lists,
    maps,
    members,
    network,
    pages,
    relations,
    resources,
    search,
    sparql,
    update,
    vocabulary,
    void,
)
from commons_graph.web.security_headers import encoded_security_headers
from commons_graph.web.services import open_services, rate_rules
from commons_graph.web.sparql_front import query_layers, sparql_front
from commons_graph.web.templating import STATIC_DIR, make_templates, render_error

# In the order they are tried; `resources` (the dereferencing catch-all) is always last.
ROUTERS = (
    pages,
    search,
    lists,
    maps,
    vocabulary,
    dumps,
    void,
    sparql,
    update,
    members,
    contributions,
    history,
    codesocial,
    network,
    relations,
    cache_status,
    resources,
)


class CommonsGraphApp(FastAPI):
    """The FastAPI app behind a front of its own: HEAD and the response cache answer before the
    framework is entered, so a kept answer or a 304 costs no routing, middleware or request
    parsing (docs/benchmarks.md "Where a light query's time goes")."""

    front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.front is not None:
            # What the framework sets first; the front's layers read the app's state from it.
            scope["app"] = self
            await self.front(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The FastAPI app as it would be called without the front."""
        await super().__call__(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    """Build the web service for `settings`; the store opens when the app starts."""
    accounts = Accounts.from_settings(settings)
    templates = make_templates(BASE)
    rules = rate_rules(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        # Idempotent and cheap when nothing changed: a fresh store gets the seed network, and a
        # store served by a newer checkout gets its updated seed files. A read-only server
        # (no update URL) is served as it is.
        if not settings.is_remote or settings.store_update:
            initialise(store)
        # A write the previous process was killed in is settled before any request is served.
        recover(accounts, store)
        services = open_services(settings, store, accounts, templates, render_error, rules)
        app.state.services = services
        keep_catch_all_last(app)
        services.index_warmer.start()
        if services.map_warmer is not None:
            services.map_warmer.start()
        # An index that may not match the store is rebuilt in the background.
        services.search.keeper.check_at_start()
        watch_for_others(services.search, settings, store)
        try:
            yield
        finally:
            services.close()

    app = CommonsGraphApp(
        title="commons-graph",
        version=__version__,
        lifespan=lifespan,
        # No Swagger UI: it loads its scripts from a CDN, which the pages' CSP (own assets
        # only) forbids; the OpenAPI description stays for tools.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    # Read by the error layer, which may answer before the services exist.
    app.state.settings = settings
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    keep_catch_all_last(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key or accounts.secret("session"),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.session_cookie_secure,
    )
    # Added after the routes, so in front of them: the query answers, update dispatch,
    # cross-origin and security headers, the client's address (web/sparql_front.py: the
    # `/sparql` short stack is made of the same list).
    layers = query_layers(settings, map_image_sources(settings))
    for layer, options in layers:
        app.add_middleware(layer, **options)
    security = encoded_security_headers(map_image_sources(settings))
    # In front of the framework: answers reused until the data changes, with the headers the
    # layers above gave them the first time (docs/web.md "Caching"), and HEAD answered by
    # whichever answers GET (the cache included).
    app.state.answers = AnswerStore(settings.cache_bytes, settings.cache_max_entry_bytes)
    front = sparql_front(app, layers)
    cache = ResponseCache(
        app.framework, answers=app.state.answers, not_modified_headers=security, sparql=front
    )
    app.front = HeadAsGet(cache)
    return app


def keep_catch_all_last(app: FastAPI) -> None:
    """Move the dereferencing catch-all behind every other route (a stable sort keeps the rest).

    Called again when the app starts, so a route added after `create_app` still gets its
    requests.
    """
    app.router.routes.sort(key=lambda route: getattr(route, "path", "") == resources.CATCH_ALL)
