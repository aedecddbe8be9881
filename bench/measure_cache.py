"""The response cache: repeated identical queries, conditional requests (304), the cache's own
counters, and a write-then-read freshness check, each against the peers in the same run."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.loadgen import run_load
from bench.measure_contributions import contribution_body
from bench.queries import PROLOGUE, QueryKind
from bench.servers import Server, form_body
from commons_graph.store.http import tls_context

JSON = "application/sparql-results+json"


def _get_path(server: Server, query: str) -> str:
    """The GET path asking `server` for `query`."""
    extra = server.form_extra
    return f"{server.sparql_path}?query={quote(query, safe='')}{extra}"


def measure_cache(
    peers: dict[str, Server],
    kinds: list[QueryKind],
    *,
    seconds: float,
    connections: int,
    work: Path,
) -> list[dict[str, Any]]:
    """For each light kind and peer: one query repeated (ours answers from memory), then the
    same query asked again with the ETag ours gave (ours answers 304; a peer without ETags
    evaluates it)."""
    rows: list[dict[str, Any]] = []
    ours = peers["commons-graph"]
    for kind in [k for k in kinds if not k.heavy][:2]:
        query = kind.variants[0]
        # The headers `wrk` sends (no Accept-Encoding): an ETag names the request it answered.
        first = httpx.get(
            ours.url + _get_path(ours, query),
            headers={"Accept": JSON, "Accept-Encoding": "identity"},
            timeout=300,
            verify=tls_context(),
        )
        etag = first.headers.get("etag", "")
        for name, server in peers.items():
            if name.startswith("rdflib"):
                continue
            repeated = run_load(
                server.sparql_url,
                [form_body(query, server.form_extra)],
                seconds=seconds,
                connections=connections,
                work=work / "wrk",
            )
            path = _get_path(server, query)
            conditional = run_load(
                server.url + path,
                [path],
                method="GET",
                seconds=seconds,
                connections=connections,
                work=work / "wrk",
                if_none_match=etag,
            )
            for row, result in (("repeated (warm)", repeated), ("conditional (304)", conditional)):
                rows.append({"kind": kind.name, "row": row, "peer": name, **result.as_dict()})
    return rows


def cache_counters(server: Server) -> dict[str, Any]:
    """Ours' cache counters (hits, misses, 304s, bytes, entries)."""
    response = httpx.get(server.url + "/status/cache", timeout=60)
    return dict(response.json()) if response.status_code == 200 else {}


def freshness(server: Server, token: str, organisation: str) -> dict[str, Any]:
    """Ask, ask again (kept), write a contribution, ask again: the answer must change."""
    query = (
        PROLOGUE
        + f"SELECT (COUNT(?commons) AS ?n) WHERE {{ <{organisation}> cg:stewards ?commons }}"
    )
    url = server.url + _get_path(server, query)

    def ask() -> tuple[int, str]:
        response = httpx.get(url, headers={"Accept": JSON}, timeout=300, verify=tls_context())
        n = int(response.json()["results"]["bindings"][0]["n"]["value"])
        return n, response.headers.get("x-cache", "")

    before, _ = ask()
    _, second = ask()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"}
    posted = httpx.post(
        server.url + "/contributions",
        content=contribution_body(organisation, 900_000),
        headers=headers,
        timeout=300,
    )
    after, third = ask()
    return {
        "before": before,
        "repeated": second,
        "write_status": posted.status_code,
        "after": after,
        "after_cache": third,
        "fresh": posted.status_code == 201 and after == before + 1 and third == "miss",
    }
