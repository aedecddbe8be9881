"""The store backends every store-level test runs on: embedded, `oxigraph serve` ("remote") when
`oxigraph` is installed, and Virtuoso ("virtuoso", marker `virtuoso`) when `virtuoso-t` is.

The servers are real processes, one per xdist worker for the session (fixtures in
tests/conftest.py); a test gets its server emptied, or restored to the seeded state from one
N-Quads dump made once per session (one bulk request instead of `initialise` per test).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Protocol

import pytest

from commons_graph.config import Settings
from commons_graph.search.location import index_path
from commons_graph.store import open_store
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.servers import oxigraph_executable
from tests.helpers.virtuoso import virtuoso_executable

BACKENDS: list[object] = ["embedded"]
if oxigraph_executable():
    BACKENDS.append("remote")
if virtuoso_executable():
    BACKENDS.append(pytest.param("virtuoso", marks=pytest.mark.virtuoso))

# The session fixture that runs each remote backend's server.
SERVER_FIXTURES = {"remote": "oxigraph_server", "virtuoso": "virtuoso_server"}


class SeedableServer(Protocol):
    """What the fixtures need of a SPARQL server they started."""

    def settings(self, **overrides: object) -> Settings: ...
    def clear(self) -> None: ...
    def restore(self, nquads: Path) -> None: ...


def server_for(request: pytest.FixtureRequest, backend: str) -> SeedableServer | None:
    """The session's server of `backend` (None for the embedded store)."""
    if backend == "embedded":
        return None
    server: SeedableServer = request.getfixturevalue(SERVER_FIXTURES[backend])
    return server


def empty_settings(request: pytest.FixtureRequest, backend: str, folder: Path) -> Settings:
    """Settings of an empty store of `backend` (a new folder, or the server emptied)."""
    server = server_for(request, backend)
    if server is None:
        return Settings(store=str(folder / "store"))
    server.clear()
    return server.settings()


def seed(request: pytest.FixtureRequest, backend: str, settings: Settings) -> None:
    """Give the store of `settings` the seed network, as `initialise` writes it: on a folder, the
    quads of a store it seeded once for this worker; on a server, the session's seeded dump
    restored in one bulk request."""
    server = server_for(request, backend)
    if server is None:
        store = open_store(settings)
        try:
            assert isinstance(store, EmbeddedStore)
            store.native.extend(request.getfixturevalue("seed_quads"))
        finally:
            store.close()
        return
    server.restore(request.getfixturevalue("seed_dump"))


def index_seed(request: pytest.FixtureRequest, settings: Settings) -> None:
    """Put the seed's search index where the service of `settings` looks for it (a copy of
    `seed_index`, built once per session), as a previous run would have left it: the service
    finds it up to date at start instead of rebuilding it in the background (half a second of
    CPU per start). A store written since the seed is found stale and rebuilt, as it would be."""
    target = index_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in ("-wal", "-shm", "-journal"):
        target.with_name(target.name + leftover).unlink(missing_ok=True)
    shutil.copyfile(request.getfixturevalue("seed_index"), target)


def seeded_settings(request: pytest.FixtureRequest, backend: str, folder: Path) -> Settings:
    """Settings of a seeded store of `backend`."""
    settings = empty_settings(request, backend, folder)
    seed(request, backend, settings)
    return settings


def store_options(settings: Settings) -> list[str]:
    """The command's options selecting the store of `settings` (credentials included)."""
    options = ["--store", settings.store]
    for option, value in (
        ("--store-update", settings.store_update),
        ("--store-gsp", settings.store_gsp),
        ("--store-user", settings.store_user),
        ("--store-password", settings.store_password),
    ):
        if value:
            options += [option, value]
    return options
