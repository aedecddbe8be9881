"""What our server holds, process by process, and its contributions over HTTP with CPU time.

`python -m bench.measure_memory STORE [COUNT]` (STORE: a prepared store folder, written to:
give it a copy) adds a member, starts `commons-graph serve` on it, waits until it is idle,
sends COUNT contributions (wall time per request, and the server's CPU time per request),
then warms what the bench's memory figure sees (lists, map, network, search, SPARQL) and reads
each process's proportional set size (PSS: shared pages split among their sharers) with its
anonymous and file-backed parts. Prints JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.measure_contributions import ORGANISATION, add_member, measure_http
from bench.servers import Server, descendants, process_cpu, start_ours, stop

# Pages that fill what a running service keeps (list indexes, map, network model, search).
WARM_PATHS = (
    "/organisations",
    "/commons",
    "/projects",
    "/events",
    "/search?q=cooperative",
    "/organisations.geojson",
    "/network/data?focus=https%3A%2F%2Fw3id.org%2Fcommons-graph%2Fid%2Forganisation%2Forg-1&depth=2",
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
)


def smaps(pid: int) -> dict[str, int]:
    """A process's memory from /proc/PID/smaps_rollup, in kB (Pss, Pss_Anon, Pss_File, Rss)."""
    wanted = ("Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "Swap")
    found: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in wanted:
                found[name] = int(rest.split()[0])
    except OSError:
        pass
    return found


def command_of(pid: int) -> str:
    """A process's command line, shortened."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")[:120]


def family_memory(server: Server) -> dict[str, Any]:
    """Each process of the server's family: command and memory (kB); and the total PSS."""
    processes = []
    for pid in [server.pid, *descendants(server.pid)]:
        processes.append({"pid": pid, "command": command_of(pid), **smaps(pid)})
    total = sum(p.get("Pss", 0) for p in processes)
    return {"processes": processes, "pss_total_mb": round(total / 1024, 1)}


def settled(server: Server, timeout: float = 900.0) -> float:
    """Wait until the server is idle at once (`Server.settle` may return during a pause of
    its start-up work, between two background jobs); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server.settle() <= 2.0:
            time.sleep(3.0)
            if server.settle() <= 2.0:
                break
    return round(time.monotonic() - started, 1)


def warm(server: Server) -> dict[str, float]:
    """GET each of WARM_PATHS once (seconds each)."""
    took: dict[str, float] = {}
    with httpx.Client(timeout=600) as client:
        for path in WARM_PATHS:
            started = time.perf_counter()
            client.get(server.url + path)
            took[path] = round(time.perf_counter() - started, 2)
    return took


def main() -> None:
    """Entry point (see the module's docstring)."""
    store = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    organisation = ORGANISATION.format(index=1)
    token = add_member(store, organisation)
    out: dict[str, Any] = {"load_average_start": os.getloadavg()}
    server = start_ours(store, store.parent / "server.log")
    try:
        out["settle_seconds"] = settled(server)
        out["memory_idle"] = family_memory(server)
        before = process_cpu(server.pid)
        out["load_average_contributions"] = os.getloadavg()
        out["contributions_http"] = measure_http(server, token, organisation, count)
        cpu = process_cpu(server.pid) - before
        out["contributions_http"]["server_cpu_ms_per_request"] = round(1000 * cpu / (count + 3), 2)
        out["settle_after_writes_seconds"] = settled(server)
        out["warm_seconds"] = warm(server)
        out["settle_after_warming_seconds"] = settled(server)
        out["memory_warm"] = family_memory(server)
        out["load_average_end"] = os.getloadavg()
    finally:
        stop(server)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
