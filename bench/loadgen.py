"""Closed-loop HTTP load: `wrk` with a few connections, bounded in time, rotating requests.

Each connection sends its next request as soon as the previous answer arrives; every request of
a run is taken in turn from a list (different IRIs, words, pages), so no server can answer
from a single cached result. `wrk` is written in C: on 2 cores a Python client would measure
itself. Without `wrk` (not installed), a small httpx client with threads is used and says so.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from commons_graph.store.http import tls_context

_LUA = r"""
local items = {}
local index = 0
local method = os.getenv("BENCH_METHOD")
local headers = {}
headers["Accept"] = os.getenv("BENCH_ACCEPT")
if os.getenv("BENCH_IF_NONE_MATCH") ~= "" then
  headers["If-None-Match"] = os.getenv("BENCH_IF_NONE_MATCH")
end
if os.getenv("BENCH_CONTENT_TYPE") ~= "" then
  headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
end

-- Each wrk thread has a Lua state of its own, whose math.random starts from the same seed: they
-- would send the same requests in step, and a server running two identical queries at once
-- shares their work in its caches. Each thread starts elsewhere in the list instead.
local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(os.getenv("BENCH_ITEMS")) do table.insert(items, line) end
  -- Spread evenly: with numbered unique requests, no thread reaches one another already sent.
  local count = tonumber(os.getenv("BENCH_THREADS"))
  index = math.floor(thread_number * #items / count) % #items
end

-- Each request from a client of its own (X-Forwarded-For, believed by ours only from the
-- proxies it trusts, which the bench sets to 127.0.0.1; other peers ignore it): a service that
-- caps the queries one client runs at once is measured as it serves many clients.
local sent = 0
function request()
  index = index % #items + 1
  sent = sent + 1
  headers["X-Forwarded-For"] = string.format(
    "10.%d.%d.%d", thread_number % 256, math.floor(sent / 256) % 256, sent % 256)
  if method == "GET" then
    return wrk.format("GET", items[index], headers, nil)
  end
  return wrk.format("POST", wrk.path, headers, items[index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What one bounded run measured."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    tool: str

    @property
    def throughput(self) -> float:
        """Successful requests per second."""
        return max(0, self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, float | int | str]:
        """JSON-ready figures."""
        return {**asdict(self), "throughput": round(self.throughput, 1)}


def have_wrk() -> bool:
    """Whether `wrk` is installed."""
    return shutil.which("wrk") is not None


# Bounds every window by requests too: each client stops after this many answers, and the
# window is run by the Python client (wrk always waits its whole duration, in whole seconds).
# Only the smoke test sets it: it checks that the bench runs, not how fast.
WINDOW_REQUESTS_VARIABLE = "BENCH_WINDOW_REQUESTS"


def window_requests() -> int:
    """Answers after which each client of a window stops (0: the window's seconds alone)."""
    return int(os.environ.get(WINDOW_REQUESTS_VARIABLE, "0") or 0)


def run_load(
    url: str,
    items: list[str],
    *,
    method: str = "POST",
    content_type: str = "application/x-www-form-urlencoded",
    accept: str = "application/sparql-results+json",
    seconds: float = 5.0,
    connections: int = 4,
    work: Path,
    if_none_match: str = "",
) -> LoadResult:
    """Drive `url` with `connections` closed-loop clients for `seconds`; items are bodies
    (POST) or paths (GET), one per line; `if_none_match` makes requests conditional."""
    work.mkdir(parents=True, exist_ok=True)
    items_file = work / "items.txt"
    items_file.write_text("\n".join(items) + "\n", encoding="utf-8")
    if have_wrk() and not window_requests():
        return _wrk(
            url, items_file, method, content_type, accept, seconds, connections, work, if_none_match
        )
    return _threads(url, items, method, content_type, accept, seconds, connections, if_none_match)


def _wrk(
    url: str,
    items_file: Path,
    method: str,
    content_type: str,
    accept: str,
    seconds: float,
    connections: int,
    work: Path,
    if_none_match: str = "",
) -> LoadResult:
    script = work / "bench.lua"
    script.write_text(_LUA, encoding="utf-8")
    threads = min(2, connections)
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_ACCEPT": accept,
        "BENCH_CONTENT_TYPE": content_type if method == "POST" else "",
        "BENCH_ITEMS": str(items_file),
        "BENCH_IF_NONE_MATCH": if_none_match,
        "BENCH_THREADS": str(threads),
    }
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=seconds + 120, check=False
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout[-500:]} {out.stderr[-500:]}")
    data = json.loads(line[len("BENCHJSON ") :])
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        tool="wrk",
    )


def _threads(
    url: str,
    items: list[str],
    method: str,
    content_type: str,
    accept: str,
    seconds: float,
    connections: int,
    if_none_match: str = "",
) -> LoadResult:
    """The fallback load generator: one httpx client per thread, closed loop."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    cap = window_requests() or None
    base = url.split("/", 3)
    origin = "/".join(base[:3])

    def client(offset: int) -> None:
        headers = {"Accept": accept}
        if if_none_match:
            headers["If-None-Match"] = if_none_match
        if method == "POST":
            headers["Content-Type"] = content_type
        with httpx.Client(timeout=60, verify=tls_context()) as http:
            index = offset
            rounds: Iterable[int] = itertools.count() if cap is None else range(cap)
            for _ in rounds:
                if time.monotonic() >= stop_at:
                    break
                item = items[index % len(items)]
                # A client of its own for each request, as the wrk script does.
                headers["X-Forwarded-For"] = f"10.{offset % 256}.{index // 256 % 256}.{index % 256}"
                index += 1
                started = time.perf_counter()
                try:
                    if method == "GET":
                        response = http.get(origin + item, headers=headers)
                    else:
                        response = http.post(url, content=item, headers=headers)
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors[0] += 0 if ok else 1

    started = time.monotonic()
    # Spread evenly over the items (as the wrk script does), so that unique requests stay so.
    spread = max(1, len(items) // connections)
    workers = [threading.Thread(target=client, args=(i * spread,)) for i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        errors=errors[0],
        p50_ms=1000 * statistics.median(latencies) if latencies else 0.0,
        p99_ms=1000 * percentile(latencies, 99) if latencies else 0.0,
        tool="httpx threads",
    )


def percentile(values: list[float], pct: float) -> float:
    """The `pct`th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]
