"""Contribution latency: end to end over HTTP, and each phase of the write path in-process."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from bench.generate import ID
from bench.loadgen import percentile
from bench.servers import Server, executable

ORGANISATION = ID + "organisation/org-{index}"


def contribution_body(organisation: str, serial: int) -> bytes:
    """A valid Turtle contribution: the organisation stewards a new commons (about 9 triples)."""
    commons = f"<{ID}commons/bench-new-{serial}>"
    return f"""@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{organisation}> cg:stewards {commons} ;
    cg:holdsValue <https://w3id.org/commons-graph/value/sharing> .
{commons} a cg:Commons ;
    rdfs:label "Shared tool library {serial}"@en , "Outilthèque partagée {serial}"@fr ;
    dcterms:description "Tools lent to everyone in the neighbourhood."@en ;
    cg:commonsKind <https://w3id.org/commons-graph/commons-kind/tools> .
""".encode()


def add_member(store: Path, organisation: str) -> str:
    """`commons-graph members add` for `organisation`; returns the token (its last line)."""
    out = subprocess.run(
        [
            executable("commons-graph"),
            "--store",
            str(store),
            "members",
            "add",
            "--organisation",
            organisation,
            "--name",
            "Bench member",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return out.stdout.strip().splitlines()[-1].strip()


def summary(values: list[float]) -> dict[str, float]:
    """p50, p99 and mean in milliseconds of durations in seconds."""
    if not values:
        return {"n": 0, "p50_ms": 0.0, "p99_ms": 0.0, "mean_ms": 0.0}
    return {
        "n": len(values),
        "p50_ms": round(1000 * statistics.median(values), 2),
        "p99_ms": round(1000 * percentile(values, 99), 2),
        "mean_ms": round(1000 * statistics.fmean(values), 2),
    }


def measure_http(
    server: Server, token: str, organisation: str, count: int, first_serial: int = 0
) -> dict[str, Any]:
    """`count` sequential POST /contributions (after 3 warm-ups): end-to-end latency."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
    durations: list[float] = []
    statuses: dict[int, int] = {}
    with httpx.Client(timeout=60) as client:
        for n in range(count + 3):
            body = contribution_body(organisation, first_serial + n)
            started = time.perf_counter()
            response = client.post(server.url + "/contributions", content=body, headers=headers)
            elapsed = time.perf_counter() - started
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if n >= 3:
                durations.append(elapsed)
    return {**summary(durations), "statuses": {str(k): v for k, v in statuses.items()}}


def measure_phases(store_path: Path, organisation: str, count: int) -> dict[str, Any]:
    """Each phase of a contribution timed in-process on the stored graph (no HTTP)."""
    from commons_graph.contributions.authorise import authorise
    from commons_graph.contributions.parsing import parse_contribution
    from commons_graph.contributions.provenance import contribution_graph
    from commons_graph.contributions.service import content_hash
    from commons_graph.rdf.formats import rdf_format
    from commons_graph.store import ChangeSet
    from commons_graph.store.embedded import EmbeddedStore
    from commons_graph.validation.contribution import check

    phases: dict[str, list[float]] = {
        "parse": [],
        "authorise": [],
        "validate": [],
        "hash": [],
        "commit": [],
    }
    turtle = rdf_format("turtle")
    store = EmbeddedStore(store_path)
    try:
        for n in range(count + 3):
            body = contribution_body(organisation, 100_000 + n)
            marks = [time.perf_counter()]
            triples = parse_contribution(body, turtle, 1_000_000)
            marks.append(time.perf_counter())
            authorise(store, triples, [organisation], lambda ids: {})
            marks.append(time.perf_counter())
            report = check(store, triples, "en")
            if not report.conforms:
                raise RuntimeError(f"bench contribution refused: {report.violations}")
            marks.append(time.perf_counter())
            content_hash(triples)
            marks.append(time.perf_counter())
            graph = contribution_graph(f"benchphase{n:08d}")
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
            store.commit(ChangeSet(insert=quads))
            marks.append(time.perf_counter())
            if n >= 3:
                for name, start, end in zip(phases, marks, marks[1:], strict=False):
                    phases[name].append(end - start)
    finally:
        store.close()
    totals = [sum(values) for values in zip(*phases.values(), strict=True)]
    return {name: summary(values) for name, values in {**phases, "total": totals}.items()}


def measure_write_path(
    store_path: Path, index_path: Path, organisation: str, count: int, rounds: int = 2
) -> dict[str, Any]:
    """The whole write path in-process (`ContributionService.submit`: judging, commit,
    provenance, history, the store's change listeners) on the stored graph, with the search
    index kept in the writer's thread ("inline", as before issue 23) and in the keeper's
    thread ("background") in alternate rounds of `count` writes; after each write, the search
    that must find it. Wall and CPU time (the calling thread's) in milliseconds."""
    import tempfile

    from commons_graph.contributions.parsing import parse_contribution
    from commons_graph.contributions.service import ContributionService
    from commons_graph.members.accounts import Accounts
    from commons_graph.rdf.formats import rdf_format
    from commons_graph.search.index import SearchIndex
    from commons_graph.search.keeping import IndexKeeper
    from commons_graph.store.embedded import EmbeddedStore

    turtle = rdf_format("turtle")
    modes = ("inline", "background")
    timings: dict[str, dict[str, list[float]]] = {
        mode: {k: [] for k in ("submit", "submit_cpu", "update", "update_cpu", "next_search")}
        for mode in modes
    }
    store = EmbeddedStore(store_path)
    serial = 200_000
    with tempfile.TemporaryDirectory() as scratch:
        accounts = Accounts(Path(scratch) / "accounts.sqlite")
        member = accounts.add_member("Bench member", organisation)[0]
        service = ContributionService(store, accounts)
        try:
            for round_ in range(rounds * len(modes)):
                mode = modes[round_ % len(modes)]
                times = timings[mode]
                index = SearchIndex(index_path)
                keeper = IndexKeeper(store, index, background=mode == "background")
                update = keeper.update_graphs

                def timed_update(
                    graphs: Any,
                    times: dict[str, list[float]] = times,
                    update: Callable[[Any], int] = update,
                ) -> int:
                    started, cpu = time.perf_counter(), time.thread_time()
                    done = update(graphs)
                    times["update"].append(time.perf_counter() - started)
                    times["update_cpu"].append(time.thread_time() - cpu)
                    return done

                keeper.update_graphs = timed_update  # type: ignore[method-assign]
                keeper.attach()
                try:
                    for n in range(count + 2):
                        serial += 1
                        body = contribution_body(organisation, serial)
                        triples = parse_contribution(body, turtle, 1_000_000)
                        started, cpu = time.perf_counter(), time.thread_time()
                        service.submit(member, triples)
                        submitted = time.perf_counter()
                        submit_cpu = time.thread_time() - cpu
                        hits = index.ranked(f"Shared tool library {serial}")
                        searched = time.perf_counter()
                        wanted = f"{ID}commons/bench-new-{serial}"
                        if wanted not in [iri for _, iri, _ in hits]:
                            raise RuntimeError(f"a write not found by the next search: {wanted}")
                        if n >= 2:  # warm-ups
                            times["submit"].append(submitted - started)
                            times["submit_cpu"].append(submit_cpu)
                            times["next_search"].append(searched - submitted)
                finally:
                    keeper.close()
        finally:
            store.close()
    return {mode: {k: summary(v) for k, v in times.items()} for mode, times in timings.items()}


def main() -> None:
    """`python -m bench.measure_contributions STORE INDEX [COUNT]`: the write path in-process
    (on copies: the store and index are written to). Prints JSON."""
    import json
    import os
    import sys

    store, index = Path(sys.argv[1]), Path(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    organisation = ORGANISATION.format(index=1)
    result = {
        "load_average": os.getloadavg(),
        "write_path": measure_write_path(store, index, organisation, count),
        "phases": measure_phases(store, organisation, count),
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
