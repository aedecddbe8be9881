"""`python -m bench [--quick]`: every measurement, each peer on the same data, in one run."""

from __future__ import annotations

import argparse
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import measure_contributions as contributions
from bench.generate import ID, generate
from bench.machine import load_average, machine, versions
from bench.measure_cache import cache_counters, freshness, measure_cache
from bench.measure_http import check_answers, measure_mix, measure_pages
from bench.measure_lists import measure_lists
from bench.measure_load import COOPS_UK, CSV_IMPORT_RUNS, measure_csv_import, measure_loads
from bench.measure_network import measure_network_http, model_memory
from bench.queries import query_mix
from bench.report import write_report
from bench.servers import (
    Server,
    settle_all,
    start_ours,
    start_oxigraph,
    start_rdflib_endpoint,
    stop,
)
from bench.stores import copy_store, prepare_store
from bench.validation import compare, run_engine

HERE = Path(__file__).parent
console = Console(highlight=False)
_STARTED = time.monotonic()


def step(message: str) -> None:
    """Print what the run does next, with the minutes elapsed (to see where time goes)."""
    console.print(f"  [{(time.monotonic() - _STARTED) / 60:5.1f} min] {message}")


# The member's organisation in every generated network (not one of the defective ones).
MEMBER_ORGANISATION = ID + "organisation/org-1"
RDFLIB_MAX_TRIPLES = 200_000


@dataclass(frozen=True)
class Plan:
    """What a run measures, and for how long."""

    sizes: tuple[int, ...]
    # Sizes at which only generation, loading, memory and point lookups are measured.
    light_sizes: tuple[int, ...]
    seconds: float
    connections: int
    contributions: int
    validate_pyshacl_up_to: int
    pyshacl_timeout: float
    load_timeout: float
    csv: bool
    # The first this many kinds of the query mix (all six by default; the smoke test uses 2).
    max_kinds: int = 6
    csv_file: Path = COOPS_UK
    # Timed CSV imports, each into a fresh store (the median is reported; the smoke test uses 1).
    csv_runs: int = CSV_IMPORT_RUNS


QUICK = Plan((100_000,), (), 1.5, 4, 15, 0, 0, 120, False)
FULL = Plan((100_000, 1_000_000), (10_000_000,), 6.0, 4, 40, 1_000_000, 180, 180, True)


def parse_size(text: str) -> int:
    """100k, 1M, 10M or a plain number."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and write bench/results/."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k triples only, ~2 minutes.")
    parser.add_argument("--sizes", help="Full-measurement sizes, e.g. 100k,1M (overrides).")
    parser.add_argument("--light-sizes", help="Load/memory-only sizes, e.g. 10M (overrides).")
    parser.add_argument("--seconds", type=float, help="Seconds per query kind and peer.")
    parser.add_argument("--data", type=Path, default=HERE / ".data", help="Work folder.")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="Results folder.")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.sizes is not None:
        sizes = tuple(parse_size(s) for s in args.sizes.split(",") if s.strip())
        plan = replace(plan, sizes=sizes)
    if args.light_sizes is not None:
        light = tuple(parse_size(s) for s in args.light_sizes.split(",") if s.strip())
        plan = replace(plan, light_sizes=light)
    if args.seconds:
        plan = replace(plan, seconds=args.seconds)
    results = run(plan, args.data, quick=args.quick)
    write_report(results, args.out, console)


def run(plan: Plan, data: Path, *, quick: bool) -> dict[str, Any]:
    """Every measurement of `plan`; returns the results as JSON-ready data."""
    started = time.monotonic()
    results: dict[str, Any] = {
        "mode": "quick" if quick else "full",
        "machine": machine(),
        "versions": versions(),
        "plan": {k: str(v) if isinstance(v, Path) else v for k, v in plan.__dict__.items()},
        "sizes": {},
    }
    console.print(
        f"[bold]commons-graph benchmark[/] ({results['mode']}), load average "
        f"{results['machine']['load_average']}"
    )
    for size in plan.sizes:
        results["sizes"][str(size)] = measure_size(size, plan, data, light=False)
    for size in plan.light_sizes:
        results["sizes"][str(size)] = measure_size(size, plan, data, light=True)
    if plan.csv:
        console.print(f"CSV import ({plan.csv_file.name})…")
        results["csv_import"] = measure_csv_import(
            data / "csv", plan.load_timeout, plan.csv_file, plan.csv_runs
        )
    results["load_average_after"] = [round(x, 2) for x in load_average()]
    results["minutes"] = round((time.monotonic() - started) / 60, 1)
    return results


def measure_size(size: int, plan: Plan, data: Path, *, light: bool) -> dict[str, Any]:
    """Everything measured on one network size."""
    out: dict[str, Any] = {}
    work = data / f"size-{size}"
    console.print(f"\n[bold]{size:,} triples[/]: generating…")
    t = time.perf_counter()
    generated = generate(size, data / "networks")
    out["generated"] = {
        "triples": generated.triples,
        "seconds": round(time.perf_counter() - t, 2),
        "sizes": generated.sizes.__dict__,
    }
    step(f"{generated.triples:,} triples; preparing stores…")
    prepared = prepare_store(work / "ours" / "store", generated.nquads, generated.triples)
    out["store"] = {
        "quads": prepared.quads,
        "init_seconds": round(prepared.init_seconds, 2),
        "bulk_load_seconds": round(prepared.bulk_load_seconds, 2),
    }
    oxigraph_location = copy_store(prepared.path, work / "oxigraph" / "db")
    token = contributions.add_member(prepared.path, MEMBER_ORGANISATION)
    peers: dict[str, Server] = {}
    try:
        step("starting servers…")
        peers["oxigraph serve"] = start_oxigraph(oxigraph_location, work / "oxigraph.log")
        oxigraph = peers["oxigraph serve"]
        remote_env = {
            "COMMONS_GRAPH_STORE_UPDATE": oxigraph.url + "/update",
            "COMMONS_GRAPH_STORE_GSP": oxigraph.url + "/store",
            "COMMONS_GRAPH_ACCOUNTS": str(work / "remote-accounts.sqlite"),
        }
        # Ours on its store and ours on oxigraph's start side by side (seconds each, idle
        # for a part of them), before anything is measured.
        with ThreadPoolExecutor(2) as pool:
            local = pool.submit(start_ours, prepared.path, work / "ours.log")
            remote = pool.submit(
                start_ours, oxigraph.url + "/query", work / "ours-remote.log", remote_env
            )
        started = {"commons-graph": local, "commons-graph (remote)": remote}
        peers.update({name: f.result() for name, f in started.items() if f.exception() is None})
        # In the order every measurement goes through them.
        order = ("commons-graph", "oxigraph serve", "commons-graph (remote)")
        peers = {name: peers[name] for name in order if name in peers}
        # Ours on its store must start; ours on oxigraph's is measured when it starts.
        if (failed := local.exception()) is not None:
            raise failed
        if (failed := remote.exception()) is not None and not isinstance(failed, RuntimeError):
            raise failed
        out.update(_measure_servers(size, plan, work, peers, generated, token, light))
    finally:
        for server in peers.values():
            stop(server)
    if not light:
        step("contribution phases (in-process)…")
        out["contribution_phases"] = contributions.measure_phases(
            prepared.path, MEMBER_ORGANISATION, plan.contributions
        )
        out["validation"] = _validation(prepared.path, size, plan)
        step("network model memory (child process)…")
        out.setdefault("network", {})["memory"] = model_memory(prepared.path)
    step("bulk loads…")
    out["loads"] = measure_loads(
        generated.nquads,
        generated.ntriples,
        generated.triples,
        work,
        plan.load_timeout,
        prepared.bulk_load_seconds,
        light=light,
    )
    shutil.rmtree(work, ignore_errors=True)
    return out


def _measure_servers(
    size: int,
    plan: Plan,
    work: Path,
    peers: dict[str, Server],
    generated: Any,
    token: str,
    light: bool,
) -> dict[str, Any]:
    """The query mix, pages, contributions over HTTP and peak memory, servers running."""
    out: dict[str, Any] = {}
    kinds = query_mix(generated.sizes)[: plan.max_kinds]
    if light:
        # At the largest size only point lookups and pages run: the mix would not fit the time.
        kinds = kinds[:1]
    if not light and size <= RDFLIB_MAX_TRIPLES:
        step("starting rdflib-endpoint (parses the whole dump into an rdflib Dataset)…")
        dump = dump_nquads_running(peers, work)
        t = time.perf_counter()
        peers["rdflib-endpoint"] = start_rdflib_endpoint(dump, work / "rdflib.log")
        out["rdflib_start_seconds"] = round(time.perf_counter() - t, 1)
    step("checking that every peer gives the same answers…")
    out["answers"] = check_answers(peers, kinds)
    # Steady state for every peer: each compacts its freshly bulk-loaded store after opening.
    step("waiting until every peer is idle…")
    out["settle_seconds"] = settle_all(peers)
    step(f"query mix: {len(kinds)} kinds × {len(peers)} peers × {plan.seconds:g} s…")
    out["queries"] = measure_mix(
        peers, kinds, seconds=plan.seconds, connections=plan.connections, work=work
    )
    step("response cache: repeated and conditional requests…")
    out["cache"] = measure_cache(
        peers, kinds, seconds=plan.seconds, connections=plan.connections, work=work
    )
    step("pages…")
    ours = peers["commons-graph"]
    out["pages"] = measure_pages(
        ours, generated.sizes, seconds=plan.seconds, connections=plan.connections, work=work
    )
    step("lists: two facets, CSV export…")
    out["lists"] = measure_lists(
        ours, generated.sizes, seconds=plan.seconds, connections=plan.connections, work=work
    )
    if not light:
        step("contributions over HTTP…")
        out["contributions_http"] = contributions.measure_http(
            ours, token, MEMBER_ORGANISATION, plan.contributions
        )
        out["cache_freshness"] = freshness(ours, token, MEMBER_ORGANISATION)
    out["cache_counters"] = cache_counters(ours)
    out["memory"] = {
        name: server.peak_memory().__dict__
        for name, server in peers.items()
        if name in ("commons-graph", "oxigraph serve", "rdflib-endpoint")
    }
    if not light:
        step("network view: /network/data at depth 2, /paths…")
        out["network"] = measure_network_http(ours.url, generated.sizes)
    return out


def dump_nquads_running(peers: dict[str, Server], work: Path) -> Path:
    """The whole dataset as N-Quads, fetched from oxigraph serve (ours holds its store open)."""
    import httpx

    target = work / "all.nq"
    oxigraph = peers["oxigraph serve"]
    with (
        httpx.stream(
            "GET", oxigraph.url + "/store", headers={"Accept": "application/n-quads"}, timeout=600
        ) as response,
        target.open("wb") as output,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes():
            output.write(chunk)
    return target


def _validation(store: Path, size: int, plan: Plan) -> dict[str, Any]:
    """Whole-graph validation with the fast engine, and with pyshacl where it fits the time."""
    step("whole-graph validation…")
    result: dict[str, Any] = {"sparql": run_engine(store, "sparql", 600)}
    if size <= plan.validate_pyshacl_up_to:
        result["pyshacl"] = run_engine(store, "pyshacl", plan.pyshacl_timeout)
        result["agreement"] = compare(result["pyshacl"], result["sparql"])
    for engine in ("sparql", "pyshacl"):
        violations = result.get(engine, {}).pop("violations", None)
        if violations is not None:
            result[engine]["violation_count"] = len(violations)
            result[engine]["violation_sample"] = violations[:3]
    return result


if __name__ == "__main__":
    main()
