"""What the query workers' sandbox costs: installing it, and a light query under it.

Run: .venv/bin/python bench/sandbox_cost.py
Each figure is measured in a fresh process (the filter cannot be removed once installed).
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection

QUERIES = 3000


def _measure(sandboxed: bool, out: Connection) -> None:
    import pyoxigraph as ox

    from commons_graph.sparql.sandbox import deny_network

    started = time.perf_counter()
    if sandboxed:
        deny_network()
    install = time.perf_counter() - started
    store = ox.Store()
    store.extend(
        ox.Quad(
            ox.NamedNode(f"http://example.org/s{n}"),
            ox.NamedNode("http://example.org/p"),
            ox.Literal(n),
            ox.NamedNode("http://example.org/g"),
        )
        for n in range(1000)
    )
    times = []
    for n in range(QUERIES):
        query = f"SELECT ?o {{ <http://example.org/s{n % 1000}> ?p ?o }}"
        began = time.perf_counter()
        list(store.query(query, use_default_graph_as_union=True))
        times.append(time.perf_counter() - began)
    out.send((install, statistics.median(times)))


def run(sandboxed: bool) -> tuple[float, float]:
    context = multiprocessing.get_context("forkserver")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_measure, args=(sandboxed, sender))
    process.start()
    result: tuple[float, float] = receiver.recv()
    process.join()
    return result


def _serve_unsandboxed(connection: Connection) -> None:
    """The worker without its filter, for comparison only."""
    from commons_graph.sparql import worker

    worker.deny_network = lambda: None  # type: ignore[assignment]
    worker.serve(connection)


def worker_start(workers: int, sandboxed: bool = True) -> float:
    """Seconds to start an executor of `workers` workers (handshake included)."""
    import tempfile
    from pathlib import Path

    from commons_graph.sparql.embedded_executor import EmbeddedExecutor
    from commons_graph.sparql.worker import serve as worker_serve
    from commons_graph.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "store")
        began = time.perf_counter()
        target = worker_serve if sandboxed else _serve_unsandboxed
        executor = EmbeddedExecutor(store, workers, target=target)
        elapsed = time.perf_counter() - began
        executor.close()
        store.close()
    return elapsed


if __name__ == "__main__":
    for sandboxed in (False, True, False, True):
        install, median = run(sandboxed)
        label = "sandboxed  " if sandboxed else "no sandbox "
        print(f"{label} install {install * 1000:.2f} ms, light query median {median * 1e6:.1f} us")
    worker_start(1)  # the forkserver starts (and preloads) once per process: not counted
    for _ in range(3):
        for sandboxed in (False, True):
            label = "sandboxed" if sandboxed else "no sandbox"
            print(f"executor start, 2 workers, {label}: {worker_start(2, sandboxed):.3f} s")
