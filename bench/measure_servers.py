"""HTTP servers a user could run the service under, against `oxigraph serve` in the same run.

`python -m bench.measure_servers --size 100k --rounds 2`: the service under uvicorn (as
`commons-graph serve` runs it: httptools and uvloop) and under granian (when installed: the
`bench` extra), and `oxigraph serve`, each on its own copy of one store; for one point lookup:
repeated (answered from the response cache), conditional (`If-None-Match`: 304) and unique (a
new `n` parameter each time: cache cold); the peers take turns, `--rounds` times, so that the
machine's drift falls on all of them alike.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.generate import ID, generate
from bench.loadgen import run_load
from bench.queries import PROLOGUE
from bench.servers import (
    Server,
    _start,
    executable,
    form_body,
    free_port,
    start_ours,
    start_oxigraph,
    stop,
)
from bench.stores import copy_store, prepare_store
from commons_graph.store.http import tls_context

HERE = Path(__file__).parent
JSON = "application/sparql-results+json"
ROWS = ("repeated (warm)", "conditional (304)", "unique (cold)")


def start_granian(store: Path, log: Path) -> Server:
    """The service under granian: one worker (as uvicorn runs it), ASGI, uvloop."""
    port = free_port()
    command = [
        executable("granian"),
        "--interface",
        "asgi",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--loop",
        "uvloop",
        "--no-ws",
        "--log-level",
        "warning",
        "bench.granian_app:make",
    ]
    env = {
        "COMMONS_GRAPH_STORE": str(store),
        "COMMONS_GRAPH_TRUSTED_PROXIES": "127.0.0.1",
        "PYTHONPATH": os.pathsep.join([str(HERE.parent), os.environ.get("PYTHONPATH", "")]),
    }
    return _start("granian", command, log, f"http://127.0.0.1:{port}", "/sparql", env)


def have_granian() -> bool:
    """Whether granian is installed beside this Python."""
    return Path(executable("granian")).is_file()


def measure_servers(
    peers: dict[str, Server], query: str, *, seconds: float, rounds: int, work: Path
) -> list[dict[str, Any]]:
    """Each row for each peer in turn, `rounds` times."""
    rows: list[dict[str, Any]] = []
    for round_ in range(rounds):
        for row in ROWS:
            for name, server in peers.items():
                path = f"{server.sparql_path}?query={quote(query, safe='')}{server.form_extra}"
                if row.startswith("repeated"):
                    items = [form_body(query, server.form_extra)]
                    result = run_load(
                        server.sparql_url, items, seconds=seconds, connections=4, work=work
                    )
                elif row.startswith("conditional"):
                    # The headers `wrk` sends (no Accept-Encoding): the ETag is that request's.
                    headers = {"Accept": JSON, "Accept-Encoding": "identity"}
                    first = httpx.get(
                        server.url + path, headers=headers, timeout=60, verify=tls_context()
                    )
                    result = run_load(
                        server.url + path,
                        [path],
                        method="GET",
                        seconds=seconds,
                        connections=4,
                        work=work,
                        if_none_match=first.headers.get("etag", ""),
                    )
                else:
                    base = form_body(query, server.form_extra)
                    items = [f"{base}&n={round_}-{i}" for i in range(50_000)]
                    result = run_load(
                        server.sparql_url, items, seconds=seconds, connections=4, work=work
                    )
                rows.append({"round": round_, "row": row, "peer": name, **result.as_dict()})
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per row and peer: throughput of each round, and each round's ratio to oxigraph serve."""
    out: dict[str, dict[str, Any]] = {}
    for row in ROWS:
        by_peer: dict[str, list[float]] = {}
        for r in rows:
            if r["row"] == row:
                by_peer.setdefault(r["peer"], []).append(float(r["throughput"]))
        engine = by_peer.get("oxigraph serve", [])
        out[row] = {
            peer: {
                "per_second": values,
                "ratio": [round(v / e, 2) for v, e in zip(values, engine, strict=False) if e],
            }
            for peer, values in by_peer.items()
        }
    return out


def main(argv: list[str] | None = None) -> None:
    """Measure the servers alone on a generated network of `--size` triples."""
    from bench.run import parse_size

    parser = argparse.ArgumentParser(prog="python -m bench.measure_servers", description=__doc__)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    generated = generate(size, args.data / "networks")
    work = args.data / f"servers-{size}"
    prepared = prepare_store(work / "store", generated.nquads, generated.triples)
    query = PROLOGUE + f"SELECT ?p ?o WHERE {{ <{ID}organisation/org-17> ?p ?o }}"
    peers: dict[str, Server] = {}
    try:
        peers["uvicorn"] = start_ours(prepared.path, work / "uvicorn.log")
        if have_granian():
            store = copy_store(prepared.path, work / "granian-store")
            peers["granian"] = start_granian(store, work / "granian.log")
        else:
            print("granian is not installed: uvicorn only", file=sys.stderr)
        location = copy_store(prepared.path, work / "oxigraph")
        peers["oxigraph serve"] = start_oxigraph(location, work / "oxigraph.log")
        settled = {name: server.settle() for name, server in peers.items()}
        rows = measure_servers(
            peers, query, seconds=args.seconds, rounds=args.rounds, work=work / "wrk"
        )
    finally:
        for server in peers.values():
            stop(server)
    load = os.getloadavg()
    report = {"triples": generated.triples, "settle_seconds": settled, "load_after": load}
    print(json.dumps({**report, "summary": summary(rows), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
