"""Time the map's GeoJSON (/organisations.geojson) for every organisation of a large network,
and measure its size, plain and gzipped (issue 20's target: <= 1 s, < 2 MB gzipped at 100k).

    .venv/bin/python -m bench.measure_map [--organisations 100000] [--runs 5] [--names real]

The network is written as the Co-operatives UK import writes it (types, label, `wgs84:lat`/
`long`, a `#geometry` with its WKT, `void:inDataset` a licensed dataset), with points spread over
Great Britain. Names are `generated` (three of 25 words, as compressible as the bench network's)
or `real` (the 7,272 names of the shipped Co-operatives UK file, cycled, each with a number:
gzip does much less with them). It is served by the app in this process. The first request
builds the list and location indexes (reported apart: the service builds the list indexes in the
background when it starts and after writes). Then, over `--runs`:
- `uncached_gzip_s`: what the route does on a miss: select, collect, write and gzip (level 6,
  in two threads: geo/compress.py);
- `http_identity_s`: the whole answer without compression (never cached), read whole;
- `http_gzip_cached_s`: the answer every later visitor of /map gets (gzip, kept until a write);
for the map's request (`?properties=label`) and for all properties. The timed requests wait
until the service's background work after its start is done (`background_work_after_start_s`);
`first_map_request_after_start_s` is then the map's first request (its answers are written
ahead: web/map_warming.py). Beside the uncached time (wall, and CPU of this process:
`uncached_gzip_cpu_s`), its physical limits: the same bytes written alone (`write_alone_s`)
and compressed alone in one zlib call (`gzip_alone_s`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import json
import random
import statistics
import tempfile
import time
import zlib
from pathlib import Path

import httpx
from pyoxigraph import NamedNode

from commons_graph.config import Settings
from commons_graph.geo.compress import LEVEL, gzip_stream
from commons_graph.geo.geojson import PROPERTIES, collect, write_geojson
from commons_graph.geo.points import located_index
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import open_store
from commons_graph.store.seeding import initialise
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index
from commons_graph.web.app import create_app

BASE = "https://w3id.org/commons-graph/"
GRAPH = BASE + "graph/dataset/bench-map"
DATASET = BASE + "id/dataset/bench-map"
COOPS_UK = Path(__file__).parents[1] / "datasets/coops-uk/coops-uk-standard-2023-03-02.csv"
WORDS = [
    *("Green", "Valley", "Riverside", "Community", "Energy", "Food", "Housing", "Workers"),
    *("Bakery", "Brewery", "Farm", "Bike", "Books", "Fair", "Trade", "Credit", "Union"),
    *("Mutual", "Allotment", "Studio", "Care", "Digital", "Commons", "Land", "Trust"),
]
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEO = "http://www.opengis.net/ont/geosparql#"
DECIMAL = "<http://www.w3.org/2001/XMLSchema#decimal>"
MAP_QUERY = "/organisations.geojson?properties=label"
FULL_QUERY = "/organisations.geojson"


def _names(kind: str, count: int, rng: random.Random) -> list[str]:
    if kind == "generated":
        return [" ".join(rng.sample(WORDS, 3)) + " Co-operative Limited" for _ in range(count)]
    with COOPS_UK.open(encoding="utf-8") as file:
        real = [row["Name"] for row in csv.DictReader(file) if row.get("Name")]
    return [f"{real[i % len(real)]} {i // len(real) + 1}" for i in range(count)]


def network(organisations: int, path: Path, names: str, seed: int = 20) -> None:
    """Write `organisations` located co-operatives (and their dataset) as N-Triples."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f"<{DATASET}> {RDF_TYPE} <http://www.w3.org/ns/dcat#Dataset> .\n"
            f"<{DATASET}> <http://purl.org/dc/terms/license> "
            "<https://opendatacommons.org/licenses/by/1-0/> .\n"
            f'<{DATASET}> <http://creativecommons.org/ns#attributionName> "Bench data" .\n'
        )
        for i, name in enumerate(_names(names, organisations, rng)):
            s = f"{BASE}id/organisation/bench-map-r{i:06d}"
            y, x = f"{rng.uniform(50.0, 58.6):.6f}", f"{rng.uniform(-6.0, 1.7):.6f}"
            label = json.dumps(name)
            out.write(
                f"<{s}> {RDF_TYPE} <http://www.w3.org/ns/org#Organization> .\n"
                f"<{s}> {RDF_TYPE} <{BASE}ontology#Cooperative> .\n"
                f"<{s}> {LABEL} {label}@en .\n"
                f'<{s}> <{WGS84}lat> "{y}"^^{DECIMAL} .\n<{s}> <{WGS84}long> "{x}"^^{DECIMAL} .\n'
                f"<{s}> <{GEO}hasGeometry> <{s}#geometry> .\n"
                f'<{s}#geometry> <{GEO}asWKT> "POINT({x} {y})"^^<{GEO}wktLiteral> .\n'
                f"<{s}> <http://rdfs.org/ns/void#inDataset> <{DATASET}> .\n"
            )


def _uncached_gzip(app: object, properties: tuple[str, ...]) -> dict[str, float | int]:
    """What the route does on a cache miss, timed: select, collect, write, gzip (wall and CPU
    time of this process); and its physical limits: the same bytes written alone, and
    compressed alone (zlib, same level, one call)."""
    store = app.state.services.store  # type: ignore[attr-defined]
    kind = KINDS["organisations"]
    clock, cpu = time.perf_counter(), time.process_time()
    members = list_index(store, kind).select(kind, "en", {}).members
    collection = collect(store, located_index(store), members, kind.key, "en")
    text = (chunk.encode() for chunk in write_geojson(collection, "http://bench/", properties))
    size = sum(len(packed) for packed in gzip_stream(text))
    wall, cpu = time.perf_counter() - clock, time.process_time() - cpu
    clock = time.perf_counter()
    plain = "".join(write_geojson(collection, "http://bench/", properties)).encode()
    written = time.perf_counter() - clock
    clock = time.perf_counter()
    zlib.compress(plain, LEVEL)
    compressed = time.perf_counter() - clock
    return {
        "uncached_gzip_s": wall,
        "uncached_gzip_cpu_s": cpu,
        "write_alone_s": written,
        "gzip_alone_s": compressed,
        "gzip_bytes": size,
    }


async def _get(client: httpx.AsyncClient, path: str, coding: str) -> tuple[float, bytes]:
    clock = time.perf_counter()
    async with client.stream("GET", path, headers={"Accept-Encoding": coding}) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    return time.perf_counter() - clock, raw


async def _measure(settings: Settings, runs: int) -> dict[str, object]:
    app = create_app(settings)
    results: dict[str, object] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            cold, raw = await _get(client, MAP_QUERY, "identity")
            results["features"] = len(json.loads(raw)["features"])
            results["first_request_with_index_builds_s"] = round(cold, 2)
            # Steady state: the background work of a start (list, location and network
            # indexes, the search index, the map's answers) holds the GIL and the cores while
            # it runs, and is no part of a request's cost.
            clock = time.perf_counter()
            await asyncio.to_thread(_wait_for_background, app)
            results["background_work_after_start_s"] = round(time.perf_counter() - clock, 1)
            seconds, packed = await _get(client, MAP_QUERY, "gzip")
            results["first_map_request_after_start_s"] = round(seconds, 3)
            for name, path, properties in (
                ("map", MAP_QUERY, ("iri", "label")),
                ("all_properties", FULL_QUERY, PROPERTIES),
            ):
                timings: dict[str, list[float]] = {"http_identity_s": [], "http_gzip_cached_s": []}
                sizes: dict[str, int] = {}
                for _ in range(runs):
                    uncached = await asyncio.to_thread(_uncached_gzip, app, properties)
                    sizes["gzip"] = int(uncached.pop("gzip_bytes"))
                    for measure, seconds in uncached.items():
                        timings.setdefault(measure, []).append(seconds)
                    seconds, raw = await _get(client, path, "identity")
                    timings["http_identity_s"].append(seconds)
                    sizes["identity"] = len(raw)
                    seconds, packed = await _get(client, path, "gzip")
                    timings["http_gzip_cached_s"].append(seconds)
                    # The kept copy: for the map's request, the one written ahead (zlib's
                    # best level); for the others, the first request's (level 6).
                    sizes["gzip_kept"] = len(packed)
                assert len(gzip.decompress(packed)) == sizes["identity"]
                results[name] = {
                    "p50": {k: round(statistics.median(v), 3) for k, v in timings.items()},
                    "max": {k: round(max(v), 3) for k, v in timings.items()},
                    "MB": {k: round(v / 1_000_000, 2) for k, v in sizes.items()},
                }
    return results


def _wait_for_background(app: object, timeout: float = 3600) -> None:
    services = app.state.services  # type: ignore[attr-defined]
    services.index_warmer.wait(timeout)
    services.search.keeper.wait(timeout)
    warmer = getattr(services, "map_warmer", None)
    deadline = time.monotonic() + timeout
    while warmer is not None and warmer.warmed < 1 and time.monotonic() < deadline:
        time.sleep(0.2)


def measure(organisations: int, runs: int, names: str, folder: Path) -> dict[str, object]:
    """Build the network in `folder`, serve it in process, time its GeoJSON."""
    data = folder / "network.nt"
    network(organisations, data, names)
    settings = Settings(store=str(folder / "store"))
    store = open_store(settings)
    try:
        initialise(store)
        clock = time.perf_counter()
        store.load_graph(NamedNode(GRAPH), data, rdf_format("nt"))
        loaded = time.perf_counter() - clock
    finally:
        store.close()
    result = asyncio.run(_measure(settings, runs))
    return {"organisations": organisations, "names": names, "load_s": round(loaded, 1), **result}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.measure_map", description=__doc__)
    parser.add_argument("--organisations", type=int, default=100_000, help="Located ones.")
    parser.add_argument("--runs", type=int, default=5, help="Timed requests of each kind.")
    parser.add_argument("--names", choices=("generated", "real"), default="generated")
    parser.add_argument("--data", type=Path, help="Work folder (default: a temporary one).")
    args = parser.parse_args()
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
        result = measure(args.organisations, args.runs, args.names, args.data)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-map-") as folder:
            result = measure(args.organisations, args.runs, args.names, Path(folder))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
