"""The bench's Virtuoso peer is set up from docs/remote.md (no server started: that takes
minutes with the rows, bench/measure_remote.py runs it)."""

from __future__ import annotations

from pathlib import Path

from bench.virtuoso import BUFFERS, bench_ini, documented_setup


def test_the_bench_runs_virtuoso_as_documented_with_only_place_ports_and_buffers_changed() -> None:
    ini, sql = documented_setup()
    changed = bench_ini(ini, Path("/tmp/bench-v"), 4111, 4890)
    assert (
        "/srv/virtuoso" not in changed
        and "DatabaseFile          = /tmp/bench-v/virtuoso.db" in changed
    )
    assert "ServerPort            = 127.0.0.1:4111" in changed
    assert "ServerPort            = 127.0.0.1:4890" in changed
    assert f"NumberOfBuffers = {BUFFERS}" in changed
    kept = [line for line in ini.splitlines() if "Buffers" not in line and "Port" not in line]
    assert all(line.replace("/srv/virtuoso", "/tmp/bench-v") in changed for line in kept)
    assert "DefaultIsolation      = 2" in changed and "GRANT SPARQL_UPDATE" in sql
