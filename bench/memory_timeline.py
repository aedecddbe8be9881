"""What the server holds while its background work after contributions runs, second by second.

`python -m bench.memory_timeline STORE [COUNT] [SECONDS]` (STORE: a prepared store folder,
written to: give it a copy) starts `commons-graph serve` on it, waits until it is idle, sends
COUNT contributions (30), then reads the PSS of the server and its children every 2 s for
SECONDS (75), with, when `py-spy` is installed, the busy threads of the server at each reading
(what the memory is spent on). The main bench reads memory once, right after its
contributions: this shows which moment of that work it may catch. Prints one line a reading,
then JSON: idle, peak and last PSS (MB).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.measure_contributions import ORGANISATION, add_member, measure_http
from bench.measure_memory import family_memory, settled
from bench.servers import start_ours, stop


def busy_threads(pid: int) -> list[str]:
    """The server's threads that are not idle nor waiting, each with its innermost frames."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return []
    dump = subprocess.run(
        [spy, "dump", "--pid", str(pid)], capture_output=True, text=True, timeout=30
    ).stdout
    busy = []
    for block in dump.split("\nThread ")[1:]:
        lines = block.splitlines()
        if len(lines) < 2 or "(idle)" in lines[0]:
            continue
        frames = [line.strip().split(" (")[0] for line in lines[1:5] if line.strip()]
        summary = lines[0].split(":", 1)[-1].strip()[:40] + " | " + " < ".join(frames)
        if "wait" not in summary and "select" not in summary:
            busy.append(summary)
    return busy


def main() -> None:
    """Entry point (see the module's docstring)."""
    store = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 75.0
    organisation = ORGANISATION.format(index=1)
    token = add_member(store, organisation)
    server = start_ours(store, store.parent / "server.log")
    readings: list[float] = []
    try:
        settled(server)
        idle = family_memory(server)["pss_total_mb"]
        measure_http(server, token, organisation, count)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            memory = family_memory(server)
            readings.append(memory["pss_total_mb"])
            each = [round(p.get("Pss", 0) / 1024) for p in memory["processes"]]
            print(f"{time.monotonic() - started:5.1f} s  {memory['pss_total_mb']} MB  {each}")
            for thread in busy_threads(server.pid):
                print(f"        {thread}")
            time.sleep(2.0)
    finally:
        stop(server)
    print(json.dumps({"idle_mb": idle, "peak_mb": max(readings), "last_mb": readings[-1]}))


if __name__ == "__main__":
    main()
