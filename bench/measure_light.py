"""Unique (cache-cold) light queries: throughput and CPU per request, ours against the engine.

`python -m bench.measure_light --store PATH --size 1M --rounds 2 --seconds 4`: ours
(`commons-graph serve`), the minimal app (`bench/minimal_app.py`: the bare minimum in Python
under the same HTTP server, the physical limit) and `oxigraph serve`, each on its own copy of a
prepared store (made by `bench/stores.py` `prepare_store`, left untouched), answer the light
kinds of the query mix (point lookup, 2-hop join, property path), every request a new one (a
numbered `n` parameter); the peers take turns, `--rounds` times. `--base DIR` adds ours as
another checkout's `src` runs it (`git archive COMMIT src | tar -x -C DIR`, put first on
`PYTHONPATH`): before and after a change, in the same run. Besides requests per second, each
row gives the CPU each request cost the server process (`/proc/PID/stat` utime + stime over the
run, divided by the requests answered) and its children (our query workers): on a shared
machine, where throughput swings 2x from minute to minute, CPU per request is the steadier
figure.
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
from bench.minimal_app import start_minimal
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


def summarise(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kind and peer: the range of req/s and of CPU ms per request (server + children)
    over the rounds, and each round's req/s over `oxigraph serve`'s in the same round."""
    engine = {
        (row["round"], row["kind"]): row["per_second"]
        for row in rows
        if row["peer"] == "oxigraph serve"
    }
    summary: list[dict[str, Any]] = []
    for kind in dict.fromkeys(row["kind"] for row in rows):
        for peer in dict.fromkeys(row["peer"] for row in rows):
            mine = [r for r in rows if r["kind"] == kind and r["peer"] == peer]
            cpu = [round(r["cpu_ms_main"] + r["cpu_ms_children"], 3) for r in mine]
            speed = [r["per_second"] for r in mine]
            ratios = [
                round(r["per_second"] / engine[(r["round"], kind)], 2)
                for r in mine
                if engine.get((r["round"], kind))
            ]
            summary.append(
                {
                    "kind": kind,
                    "peer": peer,
                    "per_second": [min(speed), max(speed)],
                    "cpu_ms": [min(cpu), max(cpu)],
                    "over_oxigraph": [min(ratios), max(ratios)] if ratios else None,
                }
            )
    return summary


def main(argv: list[str] | None = None) -> None:
    """Measure ours and `oxigraph serve` on copies of `--store`."""
    from bench.run import parse_size

    parser = argparse.ArgumentParser(prog="python -m bench.measure_light", description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a prepared store (copied)")
    parser.add_argument("--size", default="1M", help="the triples it was generated with")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=HERE / ".data" / "light")
    parser.add_argument("--peers", default="ours,minimal,oxigraph")
    parser.add_argument("--base", type=Path, help="a checkout whose src/ runs as 'ours (base)'")
    args = parser.parse_args(argv)
    sizes = Sizes.for_triples(parse_size(args.size))
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    wanted = args.peers.split(",")
    peers: dict[str, Server] = {}
    try:
        if args.base is not None:
            base = copy_store(args.store, work / "base-store")
            _copy_search_index(args.store, base)
            env = {"PYTHONPATH": str(args.base.resolve() / "src")}
            peers["ours (base)"] = start_ours(base, work / "base.log", env)
        if "ours" in wanted:
            ours = copy_store(args.store, work / "ours-store")
            _copy_search_index(args.store, ours)
            peers["ours"] = start_ours(ours, work / "ours.log")
        if "minimal" in wanted:
            location = copy_store(args.store, work / "minimal-store")
            peers["minimal app"] = start_minimal(location, work / "minimal.log")
        if "oxigraph" in wanted:
            location = copy_store(args.store, work / "oxigraph-store")
            peers["oxigraph serve"] = start_oxigraph(location, work / "oxigraph.log")
        for server in peers.values():
            server.settle()
        rows = measure(peers, sizes, seconds=args.seconds, rounds=args.rounds, work=work / "wrk")
    finally:
        for server in peers.values():
            stop(server)
    report = {"load_after": os.getloadavg(), "rows": rows, "summary": summarise(rows)}
    print(json.dumps(report, indent=2))


def _copy_search_index(store: Path, copy: Path) -> None:
    """The store's full-text index beside its copy (ours reads it; not rebuilt at start)."""
    search = Path(str(store) + ".search.sqlite")
    if search.is_file():
        Path(str(copy) + ".search.sqlite").write_bytes(search.read_bytes())


if __name__ == "__main__":
    main()
