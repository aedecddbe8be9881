"""jemalloc under the server and its query workers, when the system has it.

pyoxigraph allocates through the C library's `malloc`; with glibc's allocator a heavy query at
1M statements cost 7-18% more CPU than with jemalloc (sorted pages, aggregates, text filters;
docs/benchmarks.md). The allocator of a process is chosen when it starts, so `serve` starts
itself again with jemalloc preloaded; the query workers inherit it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

JEMALLOC = "libjemalloc.so.2"
# Where Debian's libjemalloc2 (and other distributions) put it.
_FOLDERS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/lib",
)
# Freed pages given back within a second, by jemalloc's own thread (its default keeps them 10 s
# and only returns them when the process allocates again): ~90 MB less PSS at 1M after writes
# and pages, the same CPU per contribution (docs/benchmarks.md). A MALLOC_CONF of the
# deployer's own is left as it is.
MALLOC_CONF = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
# Set in the environment of the process started again, so that it is tried only once.
_TRIED = "COMMONS_GRAPH_ALLOCATOR_TRIED"


def jemalloc_path() -> Path | None:
    """The installed jemalloc library, if any."""
    for folder in _FOLDERS:
        candidate = Path(folder) / JEMALLOC
        if candidate.is_file():
            return candidate
    return None


def jemalloc_loaded() -> bool:
    """Whether this process runs with jemalloc (its library is mapped)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return any("jemalloc" in line for line in maps)
    except OSError:
        return False


def with_jemalloc(environment: Mapping[str, str]) -> dict[str, str] | None:
    """`environment` with jemalloc preloaded, or None when it is not installed."""
    library = jemalloc_path()
    if library is None:
        return None
    preload = environment.get("LD_PRELOAD", "")
    changed = dict(environment)
    changed["LD_PRELOAD"] = f"{library} {preload}".strip()
    changed.setdefault("MALLOC_CONF", MALLOC_CONF)
    changed[_TRIED] = "1"
    return changed


def running_as_the_command() -> bool:
    """Whether this process was started as `commons-graph` (or `python -m commons_graph`), not
    a program that calls the command line in process (a test's CliRunner): only such a process
    may be replaced by another."""
    started = sys.modules.get("__main__")
    spec = getattr(started, "__spec__", None)
    if spec is not None and spec.name == "commons_graph.__main__":
        return True
    return Path(getattr(started, "__file__", "") or "").name == "commons-graph"


def restart_with_jemalloc(choice: str) -> None:
    """Start this command again with jemalloc (never returns) when `choice` is "auto", the
    library is installed and not loaded yet, no earlier start tried, and this process is the
    command itself; else return."""
    if choice != "auto" or os.environ.get(_TRIED) or not running_as_the_command():
        return
    if jemalloc_loaded():
        return
    environment = with_jemalloc(os.environ)
    if environment is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "commons_graph", *sys.argv[1:]], environment)
