"""Progress bars: drawn with rate and time left on a terminal; nothing when piped or --quiet."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from commons_graph.cli.progress import CountingWriter, progress_bar
from tests.helpers.prepared import initialised_copy

SCRIPT = str(Path(sys.executable).with_name("commons-graph"))
BAR = "━"


def drawn(*, terminal: bool, quiet: bool = False) -> str:
    """What a bar over 1,000 rows writes on a console (a terminal or not)."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=140, color_system=None)
    with progress_bar("Reading rows", total=1000, unit="rows", quiet=quiet, console=console) as bar:
        for done in range(0, 1001, 250):
            bar(done, 1000)
            bar.progress.refresh()
            time.sleep(0.01)
    return out.getvalue()


def test_a_terminal_gets_a_bar_with_rate_and_time_left() -> None:
    text = drawn(terminal=True)
    assert BAR in text
    assert "Reading rows" in text
    assert "1000/1000" in text
    assert "rows/s" in text
    assert "elapsed" in text and "left" in text


@pytest.mark.parametrize(("terminal", "quiet"), [(False, False), (True, True), (False, True)])
def test_piped_or_quiet_draws_nothing(terminal: bool, quiet: bool) -> None:
    assert drawn(terminal=terminal, quiet=quiet) == ""


def test_the_counting_writer_counts_lines_and_passes_bytes() -> None:
    target = io.BytesIO()
    console = Console(file=io.StringIO(), force_terminal=False)
    with progress_bar("Exporting", total=3, unit="statements", console=console) as bar:
        writer = CountingWriter(target, bar, by_line=True)  # type: ignore[arg-type]
        writer.write(b"<a> <b> <c> .\n<a> <b> ")
        writer.write(b"<d> .\n<e> <f> <g> .\n")
        writer.flush()
        assert bar.progress.tasks[0].completed == 3
    assert target.getvalue().count(b"\n") == 3


def _in_a_terminal(args: list[str], deadline_seconds: float = 120) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as its standard output and error."""
    leader, follower = pty.openpty()
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "160", "TERM": "xterm"}
    process = subprocess.Popen(
        [SCRIPT, *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + deadline_seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the other end closed: the command is over
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    return code, output.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store initialised by `init`, shared by this module's commands."""
    return initialised_copy(tmp_path_factory, tmp_path_factory.mktemp("progress") / "store")


@pytest.mark.slow
def test_export_in_a_terminal_and_piped(cli_store: Path, tmp_path: Path) -> None:
    store = cli_store
    out = tmp_path / "out.nq"
    code, text = _in_a_terminal(["--store", str(store), "export", "--format", "nq", "-o", str(out)])
    assert code == 0, text
    assert "statements/s" in text and "left" in text and BAR in text
    assert f"Wrote {out}" in text
    code, text = _in_a_terminal(["--store", str(store), "export", "-q", "-o", str(out)])
    assert code == 0 and BAR not in text and "statements/s" not in text
    piped = subprocess.run(
        [SCRIPT, "--store", str(store), "export", "--format", "nq"],
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0
    assert BAR.encode() not in piped.stderr and b"/s" not in piped.stderr
    assert piped.stdout.count(b"\n") == out.read_bytes().count(b"\n")


@pytest.mark.slow
def test_load_and_validate_piped_print_only_their_results(cli_store: Path) -> None:
    store = cli_store
    places = Path(__file__).parents[2] / "data" / "places.ttl"
    for args, expected in (
        (["load", str(places)], f"{places}: 26 triples"),
        (["validate", str(places)], "Conforms."),
    ):
        result = subprocess.run(
            [SCRIPT, "--store", str(store), *args], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == expected
        assert BAR not in result.stderr and "/s" not in result.stderr


def test_the_whole_store_validation_tells_its_progress(seeded_store: object) -> None:
    from commons_graph.validation.whole_store import validate_store

    told: list[tuple[int, int | None]] = []
    report = validate_store(seeded_store, progress=lambda done, total: told.append((done, total)))  # type: ignore[arg-type]
    assert report.conforms
    total = told[-1][1]
    assert total and told[-1] == (total, total)
    assert sorted(done for done, _ in told) == list(range(1, total + 1))
