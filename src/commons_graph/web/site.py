"""Installing the read side of the site: templates, error pages, static files, routers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from commons_graph.rdf.namespaces import BASE
from commons_graph.web.routes import dumps, lists, pages, resources, vocabulary, void
from commons_graph.web.templating import STATIC_DIR, make_templates, render_error


def install_site(app: FastAPI) -> None:
    """Add the pages, lists, vocabulary, dumps and VoID routes, and HTML error pages."""
    app.state.templates = make_templates(BASE)
    app.state.render_error = render_error
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (pages, lists, vocabulary, dumps, void):
        app.include_router(module.router)


def install_dereferencing(app: FastAPI) -> None:
    """Add the catch-all that dereferences minted IRIs: it must come after every other route."""
    app.include_router(resources.router)
    keep_catch_all_last(app)


def keep_catch_all_last(app: FastAPI) -> None:
    """Move the dereferencing catch-all behind every other route (a stable sort keeps the rest).

    Called again when the app starts, so a router included after it still gets its requests.
    """
    app.router.routes.sort(key=lambda route: getattr(route, "path", "") == resources.CATCH_ALL)
