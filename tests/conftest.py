"""Fixtures shared by the whole suite: settings, stores (one per backend), served apps, Chromium.

Helpers (classes and functions the tests import) live in tests/helpers/; this file holds only
fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from commons_graph.rdf.formats import rdf_format
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.store import Store, open_store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.backends import (
    BACKENDS,
    empty_settings,
    index_seed,
    seed,
    seeded_settings,
    server_for,
)
from tests.helpers.chromium import CHROMIUM, ChromiumProcess, start_chromium
from tests.helpers.contributions import ContributionServer, contribution_settings
from tests.helpers.inprocess import in_process
from tests.helpers.live import LiveServer
from tests.helpers.scheduling import ModuleBackendScheduling, backend_of, unit_of
from tests.helpers.servers import OxigraphServer, start_oxigraph, stop_oxigraph
from tests.helpers.updates import UpdateServer
from tests.helpers.virtuoso import VirtuosoServer, start_virtuoso, stop_virtuoso


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    """Settings for a fresh embedded store in a temporary folder."""
    return Settings(store=str(tmp_path / "store"))


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty store of each backend."""
    return empty_settings(request, request.param, tmp_path)


def _backend_of(request: pytest.FixtureRequest) -> str:
    """The backend a test's `backend_settings` was made for."""
    return str(request.node.callspec.params["backend_settings"])


@pytest.fixture
def store(backend_settings: Settings) -> Iterator[Store]:
    """A fresh, empty store of each backend."""
    opened = open_store(backend_settings)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def seeded_store(request: pytest.FixtureRequest, backend_settings: Settings, store: Store) -> Store:
    """A store of each backend holding the ontology, shapes, vocabularies and seed network.

    On a folder, `initialise` writes it; on a server, the session's seeded dump is restored in
    one bulk request (tests of `initialise` itself call it on the `store` fixture).
    """
    backend = _backend_of(request)
    if isinstance(store, EmbeddedStore):
        # The folder is open already: what `initialise` writes, copied from a store it seeded
        # once for this worker (a third of its cost: it parses the shipped files each time).
        store.native.extend(request.getfixturevalue("seed_quads"))
    else:
        seed(request, backend, backend_settings)
    return store


def _module_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Settings:
    """Settings of a seeded store of the backend `request.param`, for one module."""
    return seeded_settings(request, request.param, tmp_path_factory.mktemp(name))


@pytest.fixture(scope="module", params=BACKENDS)
def read_only_seeded_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """One seeded store per backend, shared by a module whose tests only read it."""
    opened = open_store(_module_backend(request, tmp_path_factory, "seeded"))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def live_server(request: pytest.FixtureRequest, backend_settings: Settings) -> Iterator[LiveServer]:
    """The service on a fresh seeded store of each backend, over real HTTP."""
    seed(request, _backend_of(request), backend_settings)
    index_seed(request, backend_settings)
    with LiveServer(backend_settings) as server:
        yield server


@pytest.fixture(scope="module", params=BACKENDS)
def read_only_live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One served seed network per backend, shared by a module whose tests only read."""
    settings = _module_backend(request, tmp_path_factory, "served")
    index_seed(request, settings)
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromiumProcess]:
    """One headless Chromium per worker, started when a module first needs it."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/test installs it)")
    started = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def chromium(chromium_process: ChromiumProcess) -> Iterator[Any]:
    """The worker's Chromium, driven by Playwright for one test module; browser tests skip
    without it.

    A Playwright per module, not per session: its sync API keeps its asyncio loop marked as
    running in the thread while it is open, so a later module of the same worker that runs an
    event loop (in-process ASGI clients) would fail with "Cannot run the event loop while another
    loop is running" (seen when test_form_browser and test_adv_write_authority shared an xdist
    worker). The browser process is the session's (tests/helpers/chromium.py).
    """
    from playwright.sync_api import sync_playwright

    assert chromium_process.alive(), "the worker's Chromium has stopped"
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(chromium_process.endpoint)
        try:
            yield browser
        finally:
            # Closes this module's contexts and disconnects; the browser goes on.
            browser.close()


# The remote backend: one real `oxigraph serve` process for the session.


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One `oxigraph serve` (in memory) for the whole session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db", in_memory=True)
    try:
        yield server
    finally:
        stop_oxigraph(server)


@pytest.fixture(scope="session")
def seed_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store as N-Quads, made once per session by `initialise` on a folder."""
    folder = tmp_path_factory.mktemp("seed")
    store = open_store(Settings(store=str(folder / "store")))
    try:
        initialise(store)
        path = folder / "seed.nq"
        with path.open("wb") as output:
            store.dump(output, rdf_format("nq"))
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso per session (per xdist worker), set up as docs/remote.md says."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        stop_virtuoso(server)


@pytest.fixture
def virtuoso_settings(virtuoso_server: VirtuosoServer) -> Settings:
    """Settings for a fresh, empty store on the session's Virtuoso (Digest-authenticated writes)."""
    virtuoso_server.clear()
    return virtuoso_server.settings()


@pytest.fixture
def remote_server(oxigraph_server: OxigraphServer) -> OxigraphServer:
    """The session's Oxigraph server, emptied for this test."""
    oxigraph_server.clear()
    return oxigraph_server


@pytest.fixture
def remote_settings(remote_server: OxigraphServer) -> Settings:
    """Settings for a fresh, empty remote store (query, update and graph store URLs)."""
    return remote_server.settings()


@pytest.fixture(scope="module", params=BACKENDS)
def updates(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[UpdateServer]:
    """One served seed network per backend for the module, with accounts in a temporary folder."""
    folder: Path = tmp_path_factory.mktemp("updates")
    settings = seeded_settings(request, request.param, folder)
    settings = settings.model_copy(update={"accounts": str(folder / "accounts.sqlite")})
    index_seed(request, settings)
    accounts = Accounts.from_settings(settings)
    sql = server_for(request, request.param)
    rows = sql.rows if isinstance(sql, VirtuosoServer) else None
    with LiveServer(settings) as server:
        yield UpdateServer(server, accounts, rows)


@pytest.fixture
def contrib(
    request: pytest.FixtureRequest, backend_settings: Settings, tmp_path: Path
) -> Iterator[ContributionServer]:
    """The service in process on a fresh seeded store of each backend, with members and tokens."""
    seed(request, _backend_of(request), backend_settings)
    settings = contribution_settings(backend_settings, tmp_path)
    index_seed(request, settings)
    accounts = Accounts.from_settings(settings)
    with in_process(settings) as server:
        served = ContributionServer(server, accounts)
        with served.http:
            yield served


# Fixtures that make seeded and imported stores once (tests/helpers/prepared.py).


@pytest.fixture(scope="session")
def seed_quads(tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    """Every quad `initialise` writes into an empty store (with its bootstrap record)."""
    with EmbeddedStore(tmp_path_factory.mktemp("seed-quads") / "store") as seeded:
        initialise(seeded)
        return list(seeded.native)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, seed_quads: list[ox.Quad]) -> Path:
    """The search index of the seeded store, built once per session (`index_seed` copies it)."""
    folder = tmp_path_factory.mktemp("seed-index")
    with EmbeddedStore(folder / "store") as seeded:
        seeded.native.extend(seed_quads)
        index = SearchIndex(folder / "seed.search.sqlite")
        try:
            IndexKeeper(seeded, index).rebuild()
        finally:
            index.close()
    return folder / "seed.search.sqlite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Units of work holding a slow test first (the Virtuoso half runs too: `-m virtuoso`
    runs it alone, `-m "not virtuoso"` leaves it out)."""
    _slow_units_first(items)


def _slow_units_first(items: list[pytest.Item]) -> None:
    """Units of work holding a slow test first, then the server backends' units; each unit's
    tests kept in order.

    scripts/test hands whole units (a module's tests on one backend, tests/helpers/scheduling.py)
    to the two workers in this order, so that the long ones start first and the two workers
    finish together on short ones.
    """
    slow = {unit_of(item.nodeid) for item in items if item.get_closest_marker("slow")}
    rank = {"virtuoso": 0, "remote": 1, None: 2}
    items.sort(key=lambda item: (unit_of(item.nodeid) not in slow, rank[backend_of(item.nodeid)]))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadscope` hands out a module's tests on each server backend as their own unit."""
    if config.getoption("dist") == "loadscope":
        return ModuleBackendScheduling(config, log)
    return None
