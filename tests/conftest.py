"""Fixtures shared by the whole suite: settings, stores (one per backend), the seed network."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from commons_graph.config import Settings
from commons_graph.store import Store, open_store
from commons_graph.store.seeding import initialise

REPO_ROOT = Path(__file__).resolve().parents[1]

# Every store-level test runs on each backend listed here (the remote one is added by
# tests/remote_server.py when `oxigraph` is installed).
BACKENDS = ["embedded"]

# The remote backend: a real `oxigraph serve` process (fixtures in tests/remote_server.py).
pytest_plugins = ["remote_server"]
if (Path(sys.executable).parent / "oxigraph").is_file() or shutil.which("oxigraph"):
    BACKENDS.append("remote")


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    """Settings for a fresh embedded store in a temporary folder."""
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store of each backend."""
    if request.param == "embedded":
        return Settings(store=str(tmp_path / "store"))
    return request.getfixturevalue(f"{request.param}_settings")  # type: ignore[no-any-return]


@pytest.fixture
def store(backend_settings: Settings) -> Iterator[Store]:
    """A fresh, empty store of each backend."""
    opened = open_store(backend_settings)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """A store of each backend holding the ontology, shapes, vocabularies and seed network."""
    initialise(store)
    return store


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a background thread, over real HTTP."""

    def __init__(self, settings: Settings) -> None:
        import threading

        import uvicorn

        from commons_graph.web.app import create_app

        self.settings = settings
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        """Start serving and wait until the socket listens."""
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture
def live_server(backend_settings: Settings) -> Iterator[LiveServer]:
    """The service on a fresh seeded store of each backend, over real HTTP."""
    with LiveServer(backend_settings) as server:
        yield server


@pytest.fixture(scope="module", params=BACKENDS)
def read_only_live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One served seed network per backend, shared by a module whose tests only read."""
    if request.param == "embedded":
        settings = Settings(store=str(tmp_path_factory.mktemp("served") / "store"))
    else:
        oxigraph = request.getfixturevalue("oxigraph_server")
        oxigraph.clear()
        settings = oxigraph.settings()
    with LiveServer(settings) as server:
        yield server


@contextmanager
def local_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small HTTP server on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, never a downloaded build; no background traffic on this closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium (Playwright) for the whole run; browser tests skip without it."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
