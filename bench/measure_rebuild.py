"""Rebuilding the full-text index from scratch: the embedded store's reading and the SELECT one.

    .venv/bin/python -m bench.measure_rebuild [--size 100k] [--runs 2]

On the seed alone (`commons-graph init`) and on a generated network loaded like the main
bench's store (bench/stores.py): the wall and CPU time of `IndexKeeper.rebuild` (what a server
starting on a store without an index does, and `commons-graph search rebuild`), and of the
reading alone both ways: the embedded store's (`every_document`: each searched graph's
statements straight from Oxigraph) and the one every store gets (`read_documents` of every
subject, 400 at a time by SELECT), which must give the same documents (checked here too).
Figures are indicative on a shared machine (check `uptime`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import generate
from bench.run import parse_size
from bench.stores import prepare_store
from commons_graph.search.documents import all_subjects, read_documents
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper, every_document
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise

NETWORKS = Path(__file__).parent / ".data" / "networks"


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """The fastest wall and CPU seconds of `runs` runs of `work`, and its last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu, result


def measure(store: EmbeddedStore, folder: Path, label: str, runs: int) -> None:
    """Print the rebuild's and the two readings' times on `store`."""
    counter = iter(range(1_000_000))

    def rebuild() -> int:
        index = SearchIndex(folder / f"index-{next(counter)}.sqlite")
        try:
            return IndexKeeper(store, index).rebuild()
        finally:
            index.close()

    wall, cpu, held = timed(rebuild, runs)
    print(f"{label}: {len(store.native):,} quads, {held:,} resources indexed")
    print(f"  rebuild                  {wall:7.3f} s wall {cpu:7.3f} s CPU")
    wall, cpu, scanned = timed(lambda: list(every_document(store)[1]), runs)
    print(f"  reading, embedded store  {wall:7.3f} s wall {cpu:7.3f} s CPU")
    wall, cpu, selected = timed(lambda: list(read_documents(store, all_subjects(store), {})), runs)
    print(f"  reading by SELECT        {wall:7.3f} s wall {cpu:7.3f} s CPU")
    same = scanned == selected
    print(f"  same documents: {same} ({len(scanned):,} subjects)")
    if not same:
        raise SystemExit("the two readings differ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="network size in triples (100k, 1M, ...)")
    parser.add_argument("--runs", type=int, default=2, help="runs of each (the fastest is shown)")
    parser.add_argument("--data", type=Path, default=NETWORKS, help="folder of the networks")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with EmbeddedStore(folder / "seed") as seed:
            initialise(seed)
            measure(seed, folder, "seed", max(args.runs, 3))
        size = parse_size(args.size)
        network = generate(size, args.data)
        prepared = prepare_store(folder / "store", network.nquads, network.triples)
        with EmbeddedStore(prepared.path) as store:
            measure(store, folder, f"seed + {args.size} network", args.runs)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
