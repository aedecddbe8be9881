"""SPARQL query mix and page latency, measured over HTTP with the closed-loop load generator."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import httpx

from bench.generate import Sizes
from bench.loadgen import run_load
from bench.queries import QueryKind
from bench.servers import Server, form_body
from commons_graph.store.http import tls_context


def result_rows(server: Server, query: str) -> int | str:
    """The number of solutions a server returns for `query` (or its HTTP error)."""
    response = server.query(query, timeout=300)
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    data = response.json()
    if "boolean" in data:
        return int(bool(data["boolean"]))
    return len(data["results"]["bindings"])


def check_answers(peers: dict[str, Server], kinds: list[QueryKind]) -> dict[str, Any]:
    """The row counts of each kind's first variants on every peer, and whether they agree."""
    checked: dict[str, Any] = {}
    for kind in kinds:
        counts = {
            name: [result_rows(server, q) for q in kind.variants[:3]]
            for name, server in peers.items()
        }
        distinct = {tuple(c) for c in counts.values()}
        checked[kind.name] = {"rows": counts, "agree": len(distinct) == 1}
    return checked


# Each variant is sent with a parameter no server reads (`n`), numbered: every request of a run
# is then a new one, which no response cache can have kept (the cache rows are measured apart,
# bench/measure_cache.py).
UNIQUE_ROUNDS = 512


def unique_bodies(variants: tuple[str, ...], extra: str = "") -> list[str]:
    """Form bodies for `variants`, each request of a run different from every other."""
    # Numbered by round *and* place: a kind's variants repeat some texts (14 distinct
    # aggregates in 64), and one number per round let a cache answer the repeats.
    # Each variant encoded once (the rounds only add their number).
    bodies = [form_body(q, extra) for q in variants]
    return [
        f"{body}&n={round_}-{place}"
        for round_ in range(UNIQUE_ROUNDS)
        for place, body in enumerate(bodies)
    ]


def measure_mix(
    peers: dict[str, Server],
    kinds: list[QueryKind],
    *,
    seconds: float,
    connections: int,
    work: Path,
) -> list[dict[str, Any]]:
    """Each kind against each peer in turn (kinds outside, peers inside: same conditions)."""
    rows: list[dict[str, Any]] = []
    for kind in kinds:
        for name, server in peers.items():
            bodies = unique_bodies(kind.variants, server.form_extra)
            before = server.cpu_seconds()
            result = run_load(
                server.sparql_url,
                bodies,
                seconds=seconds,
                connections=connections,
                work=work / "wrk",
            )
            after = server.cpu_seconds()
            done = max(1, result.requests)
            cpu = {
                # CPU milliseconds per request in the server process and in its children
                # (our query workers): where each request's cost goes.
                "cpu_ms_main": round(1000 * (after[0] - before[0]) / done, 3),
                "cpu_ms_children": round(1000 * (after[1] - before[1]) / done, 3),
            }
            rows.append(
                {"kind": kind.name, "heavy": kind.heavy, "peer": name, **result.as_dict(), **cpu}
            )
    return rows


def page_paths(sizes: Sizes, count: int = 64, seed: int = 11) -> dict[str, list[str]]:
    """Resource pages (organisations, commons, persons) and list pages to request."""
    r = random.Random(seed)
    resources = []
    for _ in range(count):
        kind = r.choice(("organisation/org", "commons/commons", "person/person"))
        top = {
            "organisation/org": sizes.organisations,
            "commons/commons": sizes.commons,
            "person/person": sizes.persons,
        }[kind]
        resources.append(f"/id/{kind}-{r.randrange(top)}")
    kinds = ("organisations", "commons", "projects", "events")
    lists = [f"/{r.choice(kinds)}?page={1 + r.randrange(20)}" for _ in range(count)]
    return {"resource page": resources, "list page": lists}


def measure_pages(
    server: Server, sizes: Sizes, *, seconds: float, connections: int, work: Path
) -> list[dict[str, Any]]:
    """HTML resource and list pages: throughput and latency under `connections`, then the
    latency one client sees alone (with several, p50 includes waiting for the others)."""
    rows = []
    for name, paths in page_paths(sizes).items():
        # First requests: timed apart, as "cold" (the service builds the list indexes when it
        # starts, and the bench waits for it, so they should not wait for one).
        cold: dict[str, float] = {}
        for path in dict.fromkeys(p.split("?")[0] for p in paths if name == "list page"):
            started = time.perf_counter()
            httpx.get(
                server.url + path,
                headers={"Accept": "text/html"},
                timeout=600,
                verify=tls_context(),
            )
            cold[path] = round(time.perf_counter() - started, 3)
        result = run_load(
            server.url + paths[0],
            paths,
            method="GET",
            accept="text/html",
            seconds=seconds,
            connections=connections,
            work=work / "wrk",
        )
        alone = run_load(
            server.url + paths[0],
            paths,
            method="GET",
            accept="text/html",
            seconds=seconds / 2,
            connections=1,
            work=work / "wrk",
        )
        single = {"p50_ms": alone.as_dict()["p50_ms"], "p99_ms": alone.as_dict()["p99_ms"]}
        rows.append(
            {
                "page": name,
                **result.as_dict(),
                "connections": connections,
                "single_client": single,
                "cold_seconds": cold,
            }
        )
    return rows
