"""The store backends every store-level test runs on: embedded, and remote when `oxigraph` is
installed (a real `oxigraph serve` process, started by the fixtures in tests/conftest.py)."""

from __future__ import annotations

from tests.helpers.servers import oxigraph_executable

BACKENDS = ["embedded"]
if oxigraph_executable():
    BACKENDS.append("remote")
