"""Bulk load throughput (triples/s) and CSV import throughput (rows/s)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from bench.servers import executable, running, start_oxigraph
from commons_graph.store.embedded import EmbeddedStore

COOPS_UK = Path(__file__).parent.parent / "datasets/coops-uk/coops-uk-standard-2023-03-02.csv"


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


def _timed(command: list[str], timeout: float) -> dict[str, Any]:
    """Run a command; its wall time, or how long we let it run before stopping it."""
    started = time.perf_counter()
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "stopped_after": timeout}
    seconds = time.perf_counter() - started
    if out.returncode != 0:
        return {"seconds": round(seconds, 2), "error": (out.stderr or out.stdout)[-600:]}
    return {"seconds": round(seconds, 2)}


def _rate(result: dict[str, Any], triples: int) -> dict[str, Any]:
    seconds = result.get("seconds")
    if seconds and "error" not in result:
        result["triples_per_s"] = round(triples / seconds)
    return result


def measure_loads(
    nquads: Path,
    ntriples: Path,
    triples: int,
    work: Path,
    timeout: float,
    bulk_seconds: float,
    *,
    light: bool = False,
) -> list[dict[str, Any]]:
    """Each way of loading the same network into an empty on-disk store.

    `light` (the largest size) keeps only `commons-graph load` of N-Triples and `oxigraph load`:
    each load of 10M triples takes one to two minutes.
    """
    rows: list[dict[str, Any]] = []
    rows.append(
        {
            "method": "pyoxigraph Store.bulk_load (N-Quads, on disk)",
            **_rate({"seconds": round(bulk_seconds, 2)}, triples),
        }
    )
    files = ((ntriples, "N-Triples"),) if light else ((ntriples, "N-Triples"), (nquads, "N-Quads"))
    for path, label in files:
        store = _fresh(work / "load-ours")
        # `load` needs an existing store (only `init` creates one, and it would add the seed).
        EmbeddedStore(store).close()
        command = [executable("commons-graph"), "--store", str(store), "load", str(path)]
        result = _timed(command, timeout)
        rows.append({"method": f"commons-graph load ({label})", **_rate(result, triples)})
    store = _fresh(work / "load-oxigraph-cli")
    command = [executable("oxigraph"), "load", "--location", str(store), "--file", str(nquads)]
    rows.append({"method": "oxigraph load (N-Quads)", **_rate(_timed(command, timeout), triples)})
    if not light:
        rows.append(_oxigraph_serve_load(nquads, triples, work, timeout))
    for folder in ("load-ours", "load-oxigraph-cli", "load-oxigraph-serve"):
        shutil.rmtree(work / folder, ignore_errors=True)
    return rows


def _oxigraph_serve_load(nquads: Path, triples: int, work: Path, timeout: float) -> dict[str, Any]:
    """POST the N-Quads to a fresh `oxigraph serve`'s graph store endpoint."""
    location = _fresh(work / "load-oxigraph-serve")
    with running(start_oxigraph(location, work / "load-oxigraph-serve.log")) as server:
        started = time.perf_counter()
        with nquads.open("rb") as body:
            response = httpx.post(
                server.url + "/store",
                content=body,
                headers={"Content-Type": "application/n-quads"},
                timeout=timeout,
            )
        seconds = time.perf_counter() - started
    result: dict[str, Any] = {"seconds": round(seconds, 2)}
    if response.status_code >= 300:
        result["error"] = f"HTTP {response.status_code}: {response.text[:300]}"
    return {"method": "oxigraph serve POST /store (N-Quads)", **_rate(result, triples)}


def csv_rows(path: Path) -> int:
    """Data rows of a CSV file (its header excluded)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


# A run takes ~3 s, and this machine's speed drifts by a third from minute to minute: the
# median of a few runs, each into a fresh store, says more than one.
CSV_IMPORT_RUNS = 3


def measure_csv_import(
    work: Path, timeout: float, path: Path = COOPS_UK, runs: int = CSV_IMPORT_RUNS
) -> dict[str, Any]:
    """`commons-graph import standard-csv` of a CSV (the shipped Co-operatives UK file) into a
    fresh initialised store, `runs` times: the median wall time, and every run's."""
    rows = csv_rows(path)
    results = [_import_once(work / "csv-store", timeout, path) for _ in range(runs)]
    failed = [r for r in results if not r.get("seconds") or "error" in r]
    if failed:
        return {"file": path.name, "rows": rows, **failed[0]}
    times = sorted(r["seconds"] for r in results)
    seconds = times[len(times) // 2]
    return {
        "file": path.name,
        "rows": rows,
        "seconds": seconds,
        "runs_seconds": times,
        "rows_per_s": round(rows / seconds),
    }


def _import_once(store: Path, timeout: float, path: Path) -> dict[str, Any]:
    """One timed import into a freshly initialised store."""
    store = _fresh(store)
    init = [executable("commons-graph"), "--store", str(store), "init"]
    subprocess.run(init, capture_output=True, check=True, timeout=300)
    command = [
        executable("commons-graph"),
        "--store",
        str(store),
        "import",
        "standard-csv",
        str(path),
        "--dataset",
        "coops-uk",
        "--licence",
        "https://opendatacommons.org/licenses/by/1-0/",
        "--attribution",
        "Contains data from Co-operatives UK",
        "--quiet",
    ]
    result = _timed(command, timeout)
    shutil.rmtree(store, ignore_errors=True)
    return result
