"""The app factory: `create_app(settings)`; nothing is created at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from commons_graph import __version__
from commons_graph.config import Settings
from commons_graph.contributions.journal import recover
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from commons_graph.views.warming import IndexWarmer
from commons_graph.web.client import install_client_address
from commons_graph.web.cors import install_cors
from commons_graph.web.errors import install_error_handlers
from commons_graph.web.head import HeadAsGet
from commons_graph.web.query_answers import QueryAnswers
from commons_graph.web.routes import sparql as sparql_routes
from commons_graph.web.routes import update as update_routes
from commons_graph.web.routes.codesocial import install_codesocial
from commons_graph.web.routes.members import install_members
from commons_graph.web.security_headers import SecurityHeaders
from commons_graph.web.services import Services
from commons_graph.web.site import install_dereferencing, install_site, keep_catch_all_last


def create_app(settings: Settings) -> FastAPI:
    """Build the web service for `settings`; the store opens when the app starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        # Idempotent and cheap when nothing changed: a fresh store gets the seed network, and a
        # store served by a newer checkout gets its updated seed files. A read-only server
        # (no update URL) is served as it is.
        if not settings.is_remote or settings.store_update:
            initialise(store)
        # A write the previous process was killed in is settled before any request is served.
        recover(app.state.accounts, store)
        app.state.services = Services(settings=settings, store=store)
        sparql_routes.open_sparql(app.state.services)
        keep_catch_all_last(app)
        warmer = app.state.index_warmer = IndexWarmer(store).start()
        try:
            yield
        finally:
            warmer.stop()
            sparql_routes.close_sparql(app.state.services)
            store.close()

    app = FastAPI(
        title="commons-graph",
        version=__version__,
        lifespan=lifespan,
        # No Swagger UI: it loads its scripts from a CDN, which the pages' CSP (own assets
        # only) forbids; the OpenAPI description stays for tools.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    install_error_handlers(app)
    install_site(app)
    app.include_router(sparql_routes.router)
    app.include_router(update_routes.router)
    install_members(app, settings)
    install_codesocial(app)
    # Keep this the last router: it dereferences every other path under BASE.
    install_dereferencing(app)
    # Added after the routes, so in front of them: tools' queries skip the framework's layers
    # (docs/sparql.md), and cross-origin headers wrap every answer, these included.
    app.add_middleware(QueryAnswers)
    # In front of it: updates sent to /sparql go to /update, whatever their spelling.
    app.add_middleware(update_routes.UpdateDispatch)
    install_cors(app, settings)
    # Then every answer, the ones above included, gets the security headers, and HEAD
    # is answered by whichever layer answers GET.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    # Outermost: every layer inside sees the client's address, not a proxy's.
    install_client_address(app, settings)
    return app
