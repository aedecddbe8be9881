"""The service's app for granian (`granian --interface asgi --factory bench.granian_app:make`):
built from the environment's settings, as `commons-graph serve` builds it."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from commons_graph.config import Settings
from commons_graph.web.app import create_app


def make() -> FastAPI:
    """The app, what is loaded by now frozen out of garbage collection (as `serve` does)."""
    app = create_app(Settings())
    gc.collect()
    gc.freeze()
    return app
