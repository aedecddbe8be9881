"""Lists: a page with two facets (latency), and the CSV export of every organisation (rows/s).

`python -m bench.measure_lists --size 1M` measures only these on a generated network (the
full run, `python -m bench`, measures them with the pages).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from bench.generate import BASE, THEMES, VALUES, Sizes, generate
from bench.loadgen import run_load
from bench.measure_network import measure_network_http
from bench.servers import Server, start_ours, stop
from bench.stores import prepare_store
from commons_graph.store.http import tls_context

HERE = Path(__file__).parent


def facet_paths(count: int = 64, seed: int = 13) -> list[str]:
    """Organisation list pages each filtered by one value and one theme (varied combinations
    and pages, so that no single cached answer serves them all)."""
    r = random.Random(seed)
    paths = []
    for _ in range(count):
        query = urlencode(
            [
                ("value", f"{BASE}value/{r.choice(VALUES)}"),
                ("theme", f"{BASE}theme/{r.choice(THEMES)}"),
                ("page", str(1 + r.randrange(3))),
            ]
        )
        paths.append(f"/organisations?{query}")
    return paths


def export_rate(server: Server, path: str = "/organisations?format=csv") -> dict[str, Any]:
    """One streamed CSV export: rows, seconds to the first byte and in all, rows per second."""
    started = time.perf_counter()
    first: float | None = None
    body = io.BytesIO()
    with httpx.stream("GET", server.url + path, timeout=600) as response:
        for chunk in response.iter_bytes():
            if first is None:
                first = time.perf_counter() - started
            body.write(chunk)
        status = response.status_code
    seconds = time.perf_counter() - started
    rows = sum(1 for _ in csv.reader(io.StringIO(body.getvalue().decode()))) - 1
    return {
        "status": status,
        "rows": rows,
        "first_byte_seconds": round(first or seconds, 3),
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds) if seconds else 0,
        "bytes": body.tell(),
    }


def measure_lists(
    server: Server, sizes: Sizes, *, seconds: float, connections: int, work: Path
) -> dict[str, Any]:
    """The two-facet list page (one client alone, then `connections`) and the CSV export."""
    paths = facet_paths()
    # The first request of each combination builds its selection (cached per store state):
    # timed apart, as "cold".
    cold = []
    for path in dict.fromkeys(p.rsplit("&page=", 1)[0] for p in paths):
        started = time.perf_counter()
        httpx.get(
            server.url + path, headers={"Accept": "text/html"}, timeout=600, verify=tls_context()
        )
        cold.append(time.perf_counter() - started)
    cpu = sum(server.cpu_seconds())
    alone = run_load(
        server.url + paths[0],
        paths,
        method="GET",
        accept="text/html",
        seconds=seconds,
        connections=1,
        work=work / "wrk",
    )
    # The server's own work per page (its CPU time over the run's requests): the latency of
    # an idle machine, apart from waiting for a core.
    alone_cpu_ms = round((sum(server.cpu_seconds()) - cpu) * 1000 / max(1, alone.requests), 1)
    loaded = run_load(
        server.url + paths[0],
        paths,
        method="GET",
        accept="text/html",
        seconds=seconds,
        connections=connections,
        work=work / "wrk",
    )
    # The first also builds the label cache of the facet values: then three, each with the
    # server's CPU time (its own work, apart from waiting for a core on a shared machine).
    export_rate(server)
    exports = []
    for _ in range(3):
        cpu = sum(server.cpu_seconds())
        measured = export_rate(server)
        measured["server_cpu_seconds"] = round(sum(server.cpu_seconds()) - cpu, 3)
        measured["rows_per_server_cpu_second"] = round(
            measured["rows"] / max(measured["server_cpu_seconds"], 1e-3)
        )
        exports.append(measured)
    export = sorted(exports, key=lambda e: e["rows_per_second"])[1]
    export["runs_rows_per_second"] = [e["rows_per_second"] for e in exports]
    return {
        "organisations": sizes.organisations,
        "two_facets": {
            "single_client": {
                **alone.as_dict(),
                "server_cpu_ms_per_request": round(alone_cpu_ms, 1),
            },
            "loaded": {**loaded.as_dict(), "connections": connections},
            "cold_max_seconds": round(max(cold), 3),
        },
        "csv_export": export,
    }


def main(argv: list[str] | None = None) -> None:
    """Measure lists alone on a generated network of `--size` triples."""
    from bench.run import parse_size

    parser = argparse.ArgumentParser(prog="python -m bench.measure_lists", description=__doc__)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument(
        "--prepared",
        type=Path,
        help="a folder holding `store` (this size's network) and its built search index "
        "`store.search.sqlite`: copied, so that the server does not build the index first",
    )
    parser.add_argument(
        "--network",
        action="store_true",
        help="measure the network view and /paths on the same server too (bench.measure_network)",
    )
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    generated = generate(size, args.data / "networks")
    work = args.data / f"lists-{size}"
    if args.prepared:
        shutil.rmtree(work / "store", ignore_errors=True)
        shutil.copytree(args.prepared / "store", work / "store")
        for part in args.prepared.glob("store.search.sqlite*"):
            shutil.copy(part, work / part.name)
        path = work / "store"
    else:
        path = prepare_store(work / "store", generated.nquads, generated.triples).path
    load_before = os.getloadavg()
    # The response cache off: the 64 pages are requested again and again, and the target is
    # the page's own cost (COMMONS_GRAPH_CACHE_BYTES=0), not the cache's.
    server = start_ours(path, work / "ours.log", {"COMMONS_GRAPH_CACHE_BYTES": "0"})
    try:
        # The start's background work (list, location, network and search indexes, derived
        # relations, the map's answers) done first: up to 20 min on a loaded machine at 1M.
        server.settle(timeout=1200)
        # What the server spends with nothing asked of it (background work left over would
        # be counted in the per-request CPU times below).
        idle = sum(server.cpu_seconds())
        time.sleep(3.0)
        idle_cpu = round((sum(server.cpu_seconds()) - idle) / 3.0, 3)
        result = measure_lists(
            server, generated.sizes, seconds=args.seconds, connections=4, work=work
        )
        if args.network:
            cpu = sum(server.cpu_seconds())
            result["network"] = measure_network_http(server.url, generated.sizes)
            # 1 + 60 + 1 neighbourhoods and 60 paths.
            result["network"]["server_cpu_ms_per_request"] = round(
                (sum(server.cpu_seconds()) - cpu) * 1000 / 122, 1
            )
    finally:
        stop(server)
    loads = {"load_average_before": load_before, "load_average_after": os.getloadavg()}
    loads["server_idle_cpu_seconds_per_second"] = idle_cpu
    print(json.dumps({"triples": generated.triples, **result, **loads}, indent=2))


if __name__ == "__main__":
    main()
