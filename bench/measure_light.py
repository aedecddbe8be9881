"""Unique (cache-cold) light queries: throughput and CPU per request, ours against the engine.

`python -m bench.measure_light --store PATH --size 1M --rounds 2 --seconds 4`: ours
(`commons-graph serve`) and `oxigraph serve`, each on its own copy of a prepared store (made by
`bench/stores.py` `prepare_store`, left untouched), answer the light kinds of the query mix
(point lookup, 2-hop join, property path), every request a new one (a numbered `n` parameter);
the peers take turns, `--rounds` times. Besides requests per second, each row gives the CPU
each request cost the server process (`/proc/PID/stat` utime + stime over the run, divided by
the requests answered) and its children (our query workers): on a shared machine, where
throughput swings 2x from minute to minute, CPU per request is the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from bench.generate import Sizes
from bench.loadgen import run_load
from bench.measure_http import unique_bodies
from bench.queries import query_mix
from bench.servers import Server, start_ours, start_oxigraph, stop
from bench.stores import copy_store

HERE = Path(__file__).parent
LIGHT = ("point lookup", "2-hop join", "property path")


def measure(
    peers: dict[str, Server], sizes: Sizes, *, seconds: float, rounds: int, work: Path
) -> list[dict[str, Any]]:
    """Each light kind for each peer in turn, `rounds` times."""
    kinds = [k for k in query_mix(sizes) if k.name in LIGHT]
    rows: list[dict[str, Any]] = []
    for round_ in range(rounds):
        for kind in kinds:
            for name, server in peers.items():
                bodies = unique_bodies(kind.variants, server.form_extra + f"&r={round_}")
                before = server.cpu_seconds()
                result = run_load(
                    server.sparql_url, bodies, seconds=seconds, connections=4, work=work
                )
                after = server.cpu_seconds()
                done = max(1, result.requests)
                rows.append(
                    {
                        "round": round_,
                        "kind": kind.name,
                        "peer": name,
                        "per_second": result.as_dict()["throughput"],
                        "errors": result.as_dict().get("errors"),
                        "cpu_ms_main": round(1000 * (after[0] - before[0]) / done, 3),
                        "cpu_ms_children": round(1000 * (after[1] - before[1]) / done, 3),
                    }
                )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Measure ours and `oxigraph serve` on copies of `--store`."""
    from bench.run import parse_size

    parser = argparse.ArgumentParser(prog="python -m bench.measure_light", description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a prepared store (copied)")
    parser.add_argument("--size", default="1M", help="the triples it was generated with")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=HERE / ".data" / "light")
    parser.add_argument("--peers", default="ours,oxigraph")
    args = parser.parse_args(argv)
    sizes = Sizes.for_triples(parse_size(args.size))
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    wanted = args.peers.split(",")
    peers: dict[str, Server] = {}
    try:
        if "ours" in wanted:
            ours = copy_store(args.store, work / "ours-store")
            search = Path(str(args.store) + ".search.sqlite")
            if search.is_file():
                (work / "ours-store.search.sqlite").write_bytes(search.read_bytes())
            peers["ours"] = start_ours(ours, work / "ours.log")
        if "oxigraph" in wanted:
            location = copy_store(args.store, work / "oxigraph-store")
            peers["oxigraph serve"] = start_oxigraph(location, work / "oxigraph.log")
        for server in peers.values():
            server.settle()
        rows = measure(peers, sizes, seconds=args.seconds, rounds=args.rounds, work=work / "wrk")
    finally:
        for server in peers.values():
            stop(server)
    print(json.dumps({"load_after": os.getloadavg(), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
