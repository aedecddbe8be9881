"""The engine alone: CPU per query of pyoxigraph in a bare process, against `oxigraph serve`.

`python -m bench.measure_engine --store PATH --size 1M --rounds 2`: the physical limit of the
query rows. Each kind of the query mix is evaluated and written as SPARQL JSON by pyoxigraph in
a bare Python process (no HTTP, no service), once with the C library's allocator and once with
jemalloc preloaded (as `commons-graph serve` runs, `src/commons_graph/allocator.py`), and sent
to `oxigraph serve` by one client, one query at a time; all on copies of one prepared store, in
turns. What ours spends beyond the bare process is our own path; what the bare process spends
beyond `oxigraph serve` is the binding (and the allocator), which no change of ours removes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.generate import Sizes
from bench.queries import query_mix
from bench.servers import start_oxigraph, stop
from bench.stores import copy_store

HERE = Path(__file__).parent
JEMALLOC = Path("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")
# Queries per kind: the heavy ones take 0.1-0.5 s each at 1M.
COUNTS = {"aggregate": 6, "optional paging": 4, "text filter": 30}
LIGHT_COUNT = 200


def _queries(sizes: Sizes) -> dict[str, tuple[str, ...]]:
    mix = query_mix(sizes, variants=LIGHT_COUNT)
    return {k.name: k.variants[: COUNTS.get(k.name, LIGHT_COUNT)] for k in mix}


def bare(store: Path, sizes: Sizes) -> dict[str, float]:
    """CPU ms per query in this process: pyoxigraph evaluating and writing JSON."""
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    out: dict[str, float] = {}
    for kind, queries in _queries(sizes).items():
        for text in queries[:2]:  # warm the caches as a served store's would be
            opened.query(text, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON
            )
        began = time.process_time()
        for text in queries:
            opened.query(text, use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON
            )
        out[kind] = round(1000 * (time.process_time() - began) / len(queries), 3)
    return out


def served(store: Path, sizes: Sizes, work: Path) -> dict[str, float]:
    """CPU ms per query of `oxigraph serve`, one query at a time."""
    server = start_oxigraph(store, work / "oxigraph.log")
    out: dict[str, float] = {}
    try:

        def ask(text: str) -> None:
            body = urllib.parse.urlencode({"query": text}).encode()
            request = urllib.request.Request(
                server.sparql_url,
                data=body,
                headers={
                    "Accept": "application/sparql-results+json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            with urllib.request.urlopen(request, timeout=120) as answer:
                answer.read()

        for kind, queries in _queries(sizes).items():
            for text in queries[:2]:
                ask(text)
            before = server.cpu_seconds()[0]
            for text in queries:
                ask(text)
            out[kind] = round(1000 * (server.cpu_seconds()[0] - before) / len(queries), 3)
    finally:
        stop(server)
    return out


def _bare_in_child(store: Path, size: str, jemalloc: bool) -> dict[str, float]:
    environment = dict(os.environ)
    environment.pop("LD_PRELOAD", None)
    if jemalloc:
        environment["LD_PRELOAD"] = str(JEMALLOC)
    command = [sys.executable, "-m", "bench.measure_engine", "--bare", "--store", str(store)]
    done = subprocess.run(
        [*command, "--size", size],
        env=environment,
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _triples(size: str) -> int:
    return int(float(size.rstrip("kKmM")) * (1_000_000 if size[-1] in "mM" else 1_000))


def main() -> None:
    """Rounds of the three peers, printed as JSON lines and a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="A prepared store folder.")
    parser.add_argument("--size", default="1M", help="The network size the store holds.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = Sizes.for_triples(_triples(args.size))
    if args.bare:
        print(json.dumps(bare(args.store, sizes)))
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as folder:
        work = Path(folder)
        ours = copy_store(args.store, work / "bare")
        theirs = copy_store(args.store, work / "served")
        peers = {"pyoxigraph, glibc": lambda: _bare_in_child(ours, args.size, jemalloc=False)}
        if JEMALLOC.is_file():
            peers["pyoxigraph, jemalloc"] = lambda: _bare_in_child(ours, args.size, jemalloc=True)
        peers["oxigraph serve"] = lambda: served(theirs, sizes, work)
        for round_ in range(args.rounds):
            for name, measure in peers.items():
                for kind, cpu_ms in measure().items():
                    row = {"round": round_, "peer": name, "kind": kind, "cpu_ms": cpu_ms}
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    kinds = sorted({r["kind"] for r in rows})
    print("\n| kind | " + " | ".join(peers) + " |")
    print("|---|" + "---|" * len(peers))
    for kind in kinds:
        cells = []
        for name in peers:
            values = [r["cpu_ms"] for r in rows if r["kind"] == kind and r["peer"] == name]
            cells.append(f"{min(values):.2f}-{max(values):.2f}")
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
