"""Stores that cost seconds to fill (seeded, a whole file imported), filled once per test session
and copied into each test or module that uses one.

The filled folder is made by whichever xdist worker asks first, under a file lock in the folder
the workers' temporary folders share; every other user copies it. A copy of a closed embedded
store's folder is the same store (RocksDB's files), so each test still gets one of its own to
write to, exactly as if it had filled it itself.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from commons_graph.config import Settings
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.search.location import index_path
from commons_graph.store.base import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise

# What the store's folder `NAME` may have beside it (`NAME.search.sqlite`, ...): copied too.
_BESIDE = ".*"


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder all workers of this session share (pytest-xdist gives each a child of it)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if base.name.startswith("popen-gw") else base
    folder = root / "prepared"
    folder.mkdir(exist_ok=True)
    return folder


def prepared(
    tmp_path_factory: pytest.TempPathFactory, name: str, fill: Callable[[Path], None]
) -> Path:
    """The folder `<shared>/<name>/store` filled by `fill(folder)` once for the session."""
    folder = _shared_root(tmp_path_factory) / name
    with (_shared_root(tmp_path_factory) / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (folder / "done").exists():
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir()
                fill(folder)
                (folder / "done").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder / "store"


def copy_store(source: Path, target: Path) -> Path:
    """Copy the closed store folder `source` (and its `source.*` siblings) to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)
    for sibling in source.parent.glob(source.name + _BESIDE):
        if sibling.is_file():
            shutil.copy2(sibling, target.parent / (target.name + sibling.name[len(source.name) :]))
    return target


def index_beside(store: Store, location: Path) -> None:
    """Build the search index of `store` where the app looks for it (beside `location`), so that
    a served copy starts with its index ready instead of rebuilding it in the background."""
    index = SearchIndex(index_path(Settings(store=str(location))))
    try:
        IndexKeeper(store, index).rebuild()
    finally:
        index.close()


def _seed(folder: Path) -> None:
    with EmbeddedStore(folder / "store") as store:
        initialise(store)


def seeded_copy(tmp_path_factory: pytest.TempPathFactory, target: Path) -> Path:
    """A seeded embedded store (ontology, shapes, vocabularies, seed network) at `target`."""
    return copy_store(prepared(tmp_path_factory, "seeded", _seed), target)


def _seed_indexed(folder: Path) -> None:
    with EmbeddedStore(folder / "store") as store:
        initialise(store)
        index_beside(store, folder / "store")


def seeded_indexed_copy(tmp_path_factory: pytest.TempPathFactory, target: Path) -> Path:
    """A seeded embedded store at `target` with its search index beside it: an app started on
    it finds the seed and the index in step (as on a store it served before) and builds
    neither."""
    return copy_store(prepared(tmp_path_factory, "seeded-indexed", _seed_indexed), target)


def settings_of_copy(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    fill: Callable[[Path], None],
    target: Path,
    **settings: object,
) -> Settings:
    """Settings of a copy at `target/store` of the prepared store `name`."""
    store = copy_store(prepared(tmp_path_factory, name, fill), target / "store")
    return Settings(store=str(store), **settings)  # type: ignore[arg-type]


def _init_by_the_command(folder: Path) -> None:
    command = Path(sys.executable).with_name("commons-graph")
    subprocess.run(
        [str(command), "--store", str(folder / "store"), "init"],
        check=True,
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )


def initialised_copy(tmp_path_factory: pytest.TempPathFactory, target: Path) -> Path:
    """A store at `target` as `commons-graph init` leaves it (run once per session, in its own
    process as a user runs it: the seed and its derived relations), for the command-line tests
    whose subject is not `init` itself (a second of CPU per `init` saved)."""
    return copy_store(
        prepared(tmp_path_factory, "initialised-by-the-command", _init_by_the_command), target
    )
