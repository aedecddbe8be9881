"""Preparing the stores every peer serves: the same seed plus the same generated N-Quads."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.relations.keeper import rebuild
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise


@dataclass(frozen=True)
class Prepared:
    """A store folder holding the seed and a generated network, and how it was made."""

    path: Path
    quads: int
    init_seconds: float
    bulk_load_seconds: float
    loaded_triples: int


def prepare_store(folder: Path, nquads: Path, triples: int) -> Prepared:
    """`commons-graph init` (seed, ontology, shapes) then pyoxigraph's bulk_load of `nquads`."""
    if folder.exists():
        shutil.rmtree(folder)
    store = EmbeddedStore(folder)
    try:
        started = time.perf_counter()
        initialise(store)
        init_seconds = time.perf_counter() - started
        started = time.perf_counter()
        store.native.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.native.flush()
        bulk_seconds = time.perf_counter() - started
        # The relations the service derives (relations/keeper.py), written here once: every
        # copy then holds the same statements, and no peer's keeper writes at its start (ours
        # into its store, the remote one into `oxigraph serve`'s, in the middle of the run).
        rebuild(store, Settings(store=str(folder)).related_per_organisation)
        store.native.flush()
        quads = len(store.native)
    finally:
        store.close()
    return Prepared(folder, quads, init_seconds, bulk_seconds, triples)


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed store folder, for a peer that must not share files with ours."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target
