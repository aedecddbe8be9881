"""The network view at one size: the model's build time and memory (in a child process, with
tracemalloc), and over HTTP, one client: /network/data at depth 2 for an organisation and
/paths between two organisations (p50, p99), plus the first request that builds the model.

`python -m bench.measure_network --size 1M` runs it alone (generating and loading the network
as the full bench does); `python -m bench` runs it at each full size.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.generate import ID, Sizes

SAMPLES = 60

_CHILD = """
import json, sys, time, tracemalloc
from pathlib import Path
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.network.model import build_model
with EmbeddedStore(Path(sys.argv[1])) as store:
    quads = store.count()
    tracemalloc.start()
    started = time.perf_counter()
    model = build_model(store)
    seconds = time.perf_counter() - started
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({
        "quads": quads, "nodes": len(model.graph), "edges": model.graph.size(),
        "links": model.links, "build_seconds": round(seconds, 2),
        "model_mb": round(current / 1e6, 1), "peak_mb": round(peak / 1e6, 1),
    }))
"""


def model_memory(store: Path, timeout: float = 1200) -> dict[str, Any]:
    """Build the model on `store` in a child process: its size, time and memory."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(store)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    per_million = 1_000_000 / max(1, result["quads"])
    result["model_mb_per_million"] = round(result["model_mb"] * per_million, 1)
    result["peak_mb_per_million"] = round(result["peak_mb"] * per_million, 1)
    return result


def _timed(client: httpx.Client, path: str, params: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params, headers={"Accept": "application/json"})
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
        "samples": len(ordered),
    }


def measure_network_http(url: str, sizes: Sizes, samples: int = SAMPLES) -> dict[str, Any]:
    """/network/data (depth 2) and /paths between organisations, one client, after a warm-up."""
    r = random.Random(5)
    organisations = [
        f"{ID}organisation/org-{r.randrange(sizes.organisations)}" for _ in range(samples)
    ]
    out: dict[str, Any] = {}
    with httpx.Client(base_url=url, timeout=1200) as client:
        out["first_request_seconds"] = round(
            _timed(client, "/network/data", {"iri": organisations[0], "depth": "2"}) / 1000, 2
        )
        latencies = [
            _timed(client, "/network/data", {"iri": iri, "depth": "2"}) for iri in organisations
        ]
        out["neighbourhood_depth_2"] = _summary(latencies)
        sizes_seen = client.get(
            "/network/data", params={"iri": organisations[1], "depth": "2"}
        ).json()
        out["neighbourhood_nodes"] = len(sizes_seen["nodes"])
        out["neighbourhood_truncated"] = sizes_seen["truncated"]
        pairs = list(zip(organisations, reversed(organisations), strict=True))
        paths = [_timed(client, "/paths", {"from": a, "to": b, "format": "json"}) for a, b in pairs]
        out["paths"] = _summary(paths)
    return out


def main(argv: list[str] | None = None) -> None:
    """Generate and load one size, then measure the network there."""
    from bench.generate import generate
    from bench.run import parse_size
    from bench.servers import start_ours, stop
    from bench.stores import prepare_store

    parser = argparse.ArgumentParser(prog="python -m bench.measure_network", description=__doc__)
    parser.add_argument("--size", default="100k", help="Triples, e.g. 100k or 1M.")
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / ".data")
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    generated = generate(size, args.data / "networks")
    work = args.data / f"network-{size}"
    prepared = prepare_store(work / "store", generated.nquads, generated.triples)
    result: dict[str, Any] = {"triples": generated.triples}
    server = start_ours(prepared.path, work / "ours.log")
    try:
        result["http"] = measure_network_http(server.url, generated.sizes)
    finally:
        stop(server)
    result["memory"] = model_memory(prepared.path)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
