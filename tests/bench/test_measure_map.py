"""Smoke test of bench/measure_map.py at a tiny size: it runs and reports what it should (never
how fast anything is)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure_map import measure  # noqa: E402


@pytest.mark.slow
def test_the_map_bench_measures_a_tiny_network(tmp_path: Path) -> None:
    # In a thread of its own: the bench runs its own event loop, and a browser test of the same
    # process (Playwright's sync API) may have left one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(measure, 60, 1, "real", tmp_path).result(timeout=300)
    assert result["features"] == 60
    for request in ("map", "all_properties"):
        measured = result[request]
        assert isinstance(measured, dict)
        assert set(measured["p50"]) == {
            *("uncached_gzip_s", "uncached_gzip_cpu_s", "write_alone_s", "gzip_alone_s"),
            *("http_identity_s", "http_gzip_cached_s"),
        }
        assert measured["MB"]["gzip"] <= measured["MB"]["identity"]
        assert measured["MB"]["identity"] > 0
