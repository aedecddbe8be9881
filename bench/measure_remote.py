"""Which server when: the service on its folder, on `oxigraph serve` and on Virtuoso, one run.

`python -m bench.measure_remote --size 100k`: one generated network (seed included) served by
the embedded store, by `oxigraph serve` and by Virtuoso (docs/remote.md's setup, started here
on 127.0.0.1), each server also queried straight; for each: the load, the query mix (the six
kinds of bench/queries.py, cache-cold), resource and list pages and contributions over HTTP
through `commons-graph serve`, with each server's CPU time per request: on a shared machine,
compare ratios and CPU time measured in the same run rather than requests per second.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import measure_contributions as contributions
from bench.generate import generate
from bench.machine import load_average, machine
from bench.measure_http import check_answers, measure_mix, measure_pages
from bench.measure_load import _oxigraph_serve_load, _rate
from bench.queries import query_mix
from bench.run import MEMBER_ORGANISATION, parse_size
from bench.servers import Server, executable, start_ours, start_oxigraph, stop
from bench.stores import copy_store, prepare_store
from bench.virtuoso import Virtuoso, have_virtuoso, start_virtuoso
from commons_graph.rdf.formats import rdf_format
from commons_graph.store.embedded import EmbeddedStore

HERE = Path(__file__).parent
OURS, OXIGRAPH, OURS_OXIGRAPH = "commons-graph", "oxigraph serve", "commons-graph on oxigraph"
VIRTUOSO, OURS_VIRTUOSO = "virtuoso", "commons-graph on virtuoso"


def add_member(env: dict[str, str]) -> str:
    """`commons-graph members add` on the store `env` names; the token (its last line)."""
    out = subprocess.run(
        [executable("commons-graph"), "members", "add", "--organisation", MEMBER_ORGANISATION,
         "--name", "Bench member"],
        capture_output=True, text=True, check=True, timeout=600, env={**os.environ, **env},
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1].strip()


def _dump(store: Path, target: Path) -> Path:
    """The whole prepared store as N-Quads (what a site moving to a server would export)."""
    with EmbeddedStore(store) as embedded, target.open("wb") as output:
        embedded.dump(output, rdf_format("nquads"))
    return target


def _load_ours(env: dict[str, str], ntriples: Path, triples: int, timeout: float) -> dict[str, Any]:
    """`commons-graph load` of the network's N-Triples into one graph of the server `env` names
    (streamed: a Graph Store PUT of a spooled N-Triples file)."""
    command = [executable("commons-graph"), "load", "-q", "--graph",
               "https://w3id.org/commons-graph/graph/file/bench-load", str(ntriples)]  # fmt: skip
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False,
            env={**os.environ, **env},
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"seconds": None, "stopped_after": timeout}
    result: dict[str, Any] = {"seconds": round(time.perf_counter() - started, 2)}
    if done.returncode != 0:
        result["error"] = (done.stderr or done.stdout)[-400:]
    return _rate(result, triples)


def measure(size: int, data: Path, seconds: float, contributions_count: int) -> dict[str, Any]:
    """Every row at one size; the servers stopped whatever happens."""
    out: dict[str, Any] = {"machine": machine(), "load_average_before": load_average()}
    generated = generate(size, data / "networks")
    work = data / f"remote-{size}"
    prepared = prepare_store(work / "ours" / "store", generated.nquads, generated.triples)
    out["triples"], out["quads"] = generated.triples, prepared.quads
    dump = _dump(prepared.path, work / "all.nq")
    timeout = 1800.0
    loads: list[dict[str, Any]] = []
    peers: dict[str, Server] = {}
    virtuoso: Virtuoso | None = None
    try:
        print("loading…", flush=True)
        loads.append(_oxigraph_serve_load(dump, prepared.quads, work, timeout))
        virtuoso = start_virtuoso(work / "virtuoso", work / "virtuoso.log")
        seconds_loaded = virtuoso.bulk_load(dump)
        loads.append(
            {
                "method": "Virtuoso bulk loader (ld_dir + rdf_loader_run, N-Quads)",
                **_rate({"seconds": round(seconds_loaded, 2)}, prepared.quads),
            }
        )
        location = copy_store(prepared.path, work / "oxigraph" / "db")
        peers[OURS] = start_ours(prepared.path, work / "ours.log")
        peers[OXIGRAPH] = start_oxigraph(location, work / "oxigraph.log")
        peers[VIRTUOSO] = virtuoso.server
        oxigraph_env = {
            "COMMONS_GRAPH_STORE": peers[OXIGRAPH].url + "/query",
            "COMMONS_GRAPH_STORE_UPDATE": peers[OXIGRAPH].url + "/update",
            "COMMONS_GRAPH_STORE_GSP": peers[OXIGRAPH].url + "/store",
            "COMMONS_GRAPH_STORE_TIMEOUT": "600",
        }
        envs = {OURS_OXIGRAPH: oxigraph_env, OURS_VIRTUOSO: virtuoso.env}
        tokens = {OURS: contributions.add_member(prepared.path, MEMBER_ORGANISATION)}
        for name, env in envs.items():
            accounts = {"COMMONS_GRAPH_ACCOUNTS": str(work / f"{name}.sqlite")}
            tokens[name] = add_member({**env, **accounts})
            print(f"starting {name}…", flush=True)
            started = time.perf_counter()
            peers[name] = start_ours(env["COMMONS_GRAPH_STORE"], work / f"{name}.log",
                                     {**env, **accounts})  # fmt: skip
            out.setdefault("start_seconds", {})[name] = round(time.perf_counter() - started, 1)
        kinds = query_mix(generated.sizes)
        print("answers…", flush=True)
        out["answers"] = check_answers(peers, kinds)
        # At most 2 minutes each: at 1M the services on a server keep deriving their views from
        # it (network model, list indexes) for many minutes, and the rows should not wait 30.
        out["settle_seconds"] = {name: server.settle(120) for name, server in peers.items()}
        print("query mix…", flush=True)
        out["queries"] = measure_mix(peers, kinds, seconds=seconds, connections=4, work=work)
        out["pages"] = {}
        out["contributions_http"] = {}
        for name in (OURS, OURS_OXIGRAPH, OURS_VIRTUOSO):
            print(f"pages and contributions: {name}…", flush=True)
            server = peers[name]
            backend = [peers[OXIGRAPH]] if name == OURS_OXIGRAPH else []
            backend += [peers[VIRTUOSO]] if name == OURS_VIRTUOSO else []
            before = [sum(p.cpu_seconds()) for p in (server, *backend)]
            out["pages"][name] = measure_pages(
                server, generated.sizes, seconds=seconds, connections=4, work=work
            )
            pages_cpu = [sum(p.cpu_seconds()) for p in (server, *backend)]
            out["contributions_http"][name] = contributions.measure_http(
                server, tokens[name], MEMBER_ORGANISATION, contributions_count
            )
            after = [sum(p.cpu_seconds()) for p in (server, *backend)]
            requests = contributions_count + 3
            out["contributions_http"][name]["cpu_ms_per_contribution"] = [
                round(1000 * (a - b) / requests, 2) for a, b in zip(after, pages_cpu, strict=True)
            ]
            out["pages"][name].append(
                {
                    "cpu_seconds_during_pages": [
                        round(a - b, 2) for a, b in zip(pages_cpu, before, strict=True)
                    ]
                }
            )
        out["memory"] = {
            name: peers[name].peak_memory().__dict__ for name in (OURS, OXIGRAPH, VIRTUOSO)
        }
    finally:
        for server in peers.values():
            stop(server)
        if virtuoso is not None:
            stop(virtuoso.server)
    print("commons-graph load into each server…", flush=True)
    for name, start in (("oxigraph serve", "oxigraph"), ("Virtuoso", "virtuoso")):
        loads.append(_load_into_fresh(name, start, generated, work, timeout))
    out["loads"] = loads
    out["load_average_after"] = load_average()
    with contextlib.suppress(OSError):
        shutil.rmtree(work)
    return out


def measure_loads_only(size: int, data: Path, kinds: list[str]) -> dict[str, Any]:
    """The `commons-graph load` rows alone, into a fresh server of each kind."""
    out: dict[str, Any] = {"machine": machine(), "load_average_before": load_average()}
    generated = generate(size, data / "networks")
    out["triples"] = generated.triples
    work = data / f"remote-loads-{size}"
    work.mkdir(parents=True, exist_ok=True)
    names = {"oxigraph": "oxigraph serve", "virtuoso": "Virtuoso"}
    out["loads"] = [_load_into_fresh(names[kind], kind, generated, work, 1800.0) for kind in kinds]
    out["load_average_after"] = load_average()
    with contextlib.suppress(OSError):
        shutil.rmtree(work)
    return out


def _load_into_fresh(
    name: str, kind: str, generated: Any, work: Path, timeout: float
) -> dict[str, Any]:
    """`commons-graph load` of the network's N-Triples into a fresh server of `kind`."""
    if kind == "oxigraph":
        server = start_oxigraph(work / "load-oxigraph", work / "load-oxigraph.log")
        env = {
            "COMMONS_GRAPH_STORE": server.url + "/query",
            "COMMONS_GRAPH_STORE_UPDATE": server.url + "/update",
            "COMMONS_GRAPH_STORE_GSP": server.url + "/store",
            "COMMONS_GRAPH_STORE_TIMEOUT": "1800",
        }
    else:
        started = start_virtuoso(work / "load-virtuoso", work / "load-virtuoso.log")
        server, env = started.server, {**started.env, "COMMONS_GRAPH_STORE_TIMEOUT": "1800"}
    try:
        result = _load_ours(env, generated.ntriples, generated.triples, timeout)
    finally:
        stop(server)
    how = "staged Graph Store POSTs, one MOVE" if kind == "virtuoso" else "Graph Store PUT"
    return {"method": f"commons-graph load (N-Triples, {how}) into {name}", **result}


def main(argv: list[str] | None = None) -> None:
    """Measure at `--size`; print and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.measure_remote", description=__doc__)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--contributions", type=int, default=20)
    parser.add_argument("--data", type=Path, default=HERE / ".data")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--markdown", nargs="+", type=Path, help="Print tables of these runs.")
    parser.add_argument(
        "--loads-only",
        nargs="+",
        choices=("oxigraph", "virtuoso"),
        help="Only `commons-graph load` of the network into a fresh server of these kinds.",
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown([json.loads(p.read_text(encoding="utf-8")) for p in args.markdown]))
        return
    if not have_virtuoso():
        raise SystemExit("virtuoso-t is not installed: scripts/setup test installs it")
    size = parse_size(args.size)
    if args.loads_only:
        results = measure_loads_only(size, args.data, args.loads_only)
    else:
        results = measure(size, args.data, args.seconds, args.contributions)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{time.strftime('%Y%m%d-%H%M%S')}-remote-{args.size}.json"
    target.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(json.dumps(summary(results), indent=2))
    print(f"written {target}")


def summary(results: dict[str, Any]) -> dict[str, Any]:
    """The figures docs/benchmarks.md quotes: per kind and peer, req/s and server CPU ms."""
    mix: dict[str, dict[str, str]] = {}
    for row in results.get("queries", []):
        cpu = row["cpu_ms_main"] + row["cpu_ms_children"]
        mix.setdefault(row["kind"], {})[row["peer"]] = (
            f"{row['throughput']:.0f}/s, p50 {row['p50_ms']:.1f} ms, cpu {cpu:.2f} ms"
        )
    pages = {
        name: [
            f"{r['page']}: {r['throughput']:.0f}/s, p50 {r['p50_ms']:.1f} ms, "
            f"one client p50 {r['single_client']['p50_ms']:.1f} ms"
            for r in rows
            if "page" in r
        ]
        for name, rows in results.get("pages", {}).items()
    }
    contributions_ = {
        name: {
            k: v
            for k, v in row.items()
            if k in ("p50_ms", "p99_ms", "statuses", "cpu_ms_per_contribution")
        }
        for name, row in results.get("contributions_http", {}).items()
    }
    return {
        "triples": results.get("triples"),
        "load_average": [results.get("load_average_before"), results.get("load_average_after")],
        "loads": results.get("loads"),
        "start_seconds": results.get("start_seconds"),
        "answers_agree": {k: v["agree"] for k, v in results.get("answers", {}).items()},
        "mix": mix,
        "pages": pages,
        "contributions": contributions_,
        "memory_mb": {
            k: round(v["with_children"] / 2**20) for k, v in results.get("memory", {}).items()
        },
    }


PEERS = (OURS, OXIGRAPH, VIRTUOSO, OURS_OXIGRAPH, OURS_VIRTUOSO)


def markdown(runs: list[dict[str, Any]]) -> str:
    """docs/benchmarks.md's tables ("Which server when") from the JSON of one run per size."""
    label = {100_000: "100k", 1_000_000: "1M"}
    lines = ["| size | kind | " + " | ".join(PEERS) + " |", "|---" * (len(PEERS) + 2) + "|"]
    for run in runs:
        size = label.get(run["triples"] // 1000 * 1000, str(run["triples"]))
        by = {(r["kind"], r["peer"]): r for r in run["queries"]}
        for kind in dict.fromkeys(r["kind"] for r in run["queries"]):
            cells = []
            for peer in PEERS:
                r = by.get((kind, peer))
                cpu = r["cpu_ms_main"] + r["cpu_ms_children"] if r else 0
                cells.append(f"{r['throughput']:,.0f}/s, {cpu:.1f} ms" if r else "–")
            lines.append(f"| {size} | {kind} | " + " | ".join(cells) + " |")
    lines += ["", "| size | what | " + " | ".join(PEERS[:1] + PEERS[3:]) + " |", "|---" * 5 + "|"]
    for run in runs:
        size = label.get(run["triples"] // 1000 * 1000, str(run["triples"]))
        for page in ("resource page", "list page"):
            cells = []
            for peer in PEERS[:1] + PEERS[3:]:
                row = next(r for r in run["pages"][peer] if r.get("page") == page)
                cells.append(
                    f"{row['throughput']:,.0f}/s (one client p50 "
                    f"{row['single_client']['p50_ms']:.1f} ms)"
                )
            lines.append(f"| {size} | {page} | " + " | ".join(cells) + " |")
        cells = []
        for peer in PEERS[:1] + PEERS[3:]:
            row = run["contributions_http"][peer]
            cpu = " + ".join(f"{c:.0f}" for c in row["cpu_ms_per_contribution"])
            cells.append(f"p50 {row['p50_ms']:.0f} ms, p99 {row['p99_ms']:.0f} ms; CPU {cpu} ms")
        lines.append(f"| {size} | contribution | " + " | ".join(cells) + " |")
    lines += ["", "| size | load | seconds | triples/s |", "|---|---|---|---|"]
    for run in runs:
        size = label.get(run["triples"] // 1000 * 1000, str(run["triples"]))
        for row in run["loads"]:
            rate = f"{row['triples_per_s']:,}" if "triples_per_s" in row else row.get("error", "–")
            lines.append(f"| {size} | {row['method']} | {row.get('seconds')} | {rate} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
