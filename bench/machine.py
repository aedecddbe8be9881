"""What the figures were measured on: machine, load and versions."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench.servers import executable, version_of

PACKAGES = (
    "commons-graph",
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "rdflib-endpoint",
    "pyshacl",
    "fastapi",
    "uvicorn",
    "httpx",
)


def cpu_model() -> str:
    """The CPU model named in /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total() -> int:
    """Physical memory in bytes (MemTotal)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def load_average() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    return os.getloadavg()


def machine() -> dict[str, Any]:
    """Cores, memory, CPU model, kernel and the current load."""
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_total() / 2**30, 1),
        "cpu_model": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in load_average()],
    }


def versions() -> dict[str, str]:
    """Versions of the packages and commands under test."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    found["oxigraph serve"] = version_of([executable("oxigraph"), "--version"])
    try:
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        found["wrk"] = (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        found["wrk"] = "not installed (httpx threads used)"
    return found
