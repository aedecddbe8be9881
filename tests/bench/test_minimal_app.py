"""The bench's physical limit (bench/minimal_app.py) answers what Oxigraph answers, and the light
bench's summary reads its rows: never how fast anything is."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure_light import summarise  # noqa: E402
from bench.minimal_app import MinimalEndpoint  # noqa: E402

EX = "http://example.org/"


def test_the_minimal_app_answers_as_oxigraph_does() -> None:
    store = ox.Store()
    subject, predicate, graph = (ox.NamedNode(EX + name) for name in ("s", "p", "g"))
    for n in range(3):
        store.add(ox.Quad(subject, predicate, ox.Literal(str(n)), graph))
    query = f"SELECT ?o WHERE {{ <{EX}s> <{EX}p> ?o }} ORDER BY ?o"
    expected = store.query(query, use_default_graph_as_union=True)
    assert isinstance(expected, ox.QuerySolutions)
    written = expected.serialize(format=ox.QueryResultsFormat.JSON)

    async def ask(body: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=MinimalEndpoint(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {"content-type": "application/x-www-form-urlencoded"}
            return await client.post("/sparql", content=body, headers=headers)

    answer = asyncio.run(ask("query=" + quote(query, safe="") + "&n=1"))
    assert answer.status_code == 200 and answer.content == written
    assert len(json.loads(answer.content)["results"]["bindings"]) == 3
    assert asyncio.run(ask("query=SELECT")).status_code == 400


def test_the_summary_gives_ranges_and_ratios_per_kind_and_peer() -> None:
    rows = [
        {"round": r, "kind": "point lookup", "peer": peer, "per_second": speed,
         "cpu_ms_main": cpu, "cpu_ms_children": 0.0}
        for r, peer, speed, cpu in [
            (0, "ours", 500.0, 0.6), (0, "oxigraph serve", 2000.0, 0.2),
            (1, "ours", 700.0, 0.5), (1, "oxigraph serve", 1400.0, 0.2),
        ]
    ]  # fmt: skip
    ours = next(s for s in summarise(rows) if s["peer"] == "ours")
    assert ours["per_second"] == [500.0, 700.0] and ours["cpu_ms"] == [0.5, 0.6]
    assert ours["over_oxigraph"] == [0.25, 0.5]
