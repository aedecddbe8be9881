"""The command's rough edges for newcomers: each mistake is one clear line and an exit code."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from commons_graph.cli import main
from commons_graph.config import Settings
from commons_graph.store import open_store
from tests.helpers.prepared import initialised_copy

COMMAND = Path(sys.executable).parent / "commons-graph"
EXAMPLE = Path(__file__).parents[2] / "examples" / "contributions" / "ouishare-valid.ttl"
CSV = Path(__file__).parents[1] / "importing" / "fixtures" / "iri-codes.csv"


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(initialised_copy(tmp_path_factory, tmp_path_factory.mktemp("cli-edges") / "store"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["query", "ASK {}"],
        ["export", "--format", "nt"],
        ["load", str(EXAMPLE)],
        ["validate"],
        ["validate", str(EXAMPLE)],
        ["serve", "--port", "0"],
        ["codesocial", "list", "https://w3id.org/commons-graph/id/codesocial/ouishare"],
        [
            "import",
            "standard-csv",
            str(CSV),
            "--dataset",
            "x",
            "--licence",
            "https://example.org/l",
            "--attribution",
            "x",
        ],
    ],  # fmt: skip
)
def test_a_path_with_no_store_is_an_error_but_for_init(tmp_path: Path, command: list[str]) -> None:
    store = tmp_path / "mistyped" / "store"
    result = CliRunner().invoke(main, ["--store", str(store), *command])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"error: there is no store at {store}: "
        "run `commons-graph init` to create one there, or give the right --store"
    ]
    assert not store.exists()


def test_init_creates_the_store_the_other_commands_need(tmp_path: Path) -> None:
    store = str(tmp_path / "new" / "store")
    assert CliRunner().invoke(main, ["--store", store, "stats"]).exit_code == 2
    assert CliRunner().invoke(main, ["--store", store, "init"]).exit_code == 0
    stats = CliRunner().invoke(main, ["--store", store, "stats"])
    assert stats.exit_code == 0 and "Triples:" in stats.stdout


def test_serve_refuses_a_port_out_of_range(initialised: str) -> None:
    flag = CliRunner().invoke(main, ["--store", initialised, "serve", "--port", "99999"])
    assert flag.exit_code == 2
    assert "99999 is not in the range 0<=x<=65535" in flag.stderr
    variable = CliRunner().invoke(
        main, ["--store", initialised, "serve"], env={"COMMONS_GRAPH_PORT": "99999"}
    )
    assert variable.exit_code == 2
    assert variable.stderr.splitlines() == [
        "error: invalid setting: port: Input should be less than or equal to 65535"
    ]


def test_a_second_serve_on_a_store_in_use_is_one_line(initialised: str) -> None:
    """Another process holds the store (as a running `serve` does): one line, exit 3."""
    holder = open_store(Settings(store=initialised))
    try:
        result = subprocess.run(
            [str(COMMAND), "--store", initialised, "serve", "--port", str(free_port())],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "300"},
        )
    finally:
        holder.close()
    assert result.returncode == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: the store at {initialised} is in use by another process "
        "(is `commons-graph serve` running on it?)"
    ]


def test_tables_print_whole_iris_when_piped(initialised: str) -> None:
    """Not a terminal (a pipe, a file, the runner): no IRI is cut, however narrow COLUMNS."""
    long_iri = "https://example.org/" + "very-long-segment/" * 12 + "end"
    query = f"SELECT ?iri ?label WHERE {{ VALUES (?iri ?label) {{ (<{long_iri}> 'x') }} }}"
    narrow = {"COLUMNS": "40"}
    result = CliRunner().invoke(main, ["--store", initialised, "query", query], env=narrow)
    assert result.exit_code == 0, result.output
    assert long_iri in result.stdout
    assert "…" not in result.stdout


def test_a_query_syntax_error_says_so_with_its_position(initialised: str) -> None:
    result = CliRunner().invoke(main, ["--store", initialised, "query", "SELECT * WHERE {\n ?s ?p"])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: SPARQL syntax error at line 2, column ")
    assert "expected" in line


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }",
        "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ex:p ?o }",
        "DROP ALL",
    ],
)
def test_an_update_given_to_query_is_not_run(initialised: str, update: str) -> None:
    before = CliRunner().invoke(main, ["--store", initialised, "export", "--format", "nq"]).stdout
    result = CliRunner().invoke(main, ["--store", initialised, "query", update])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "updates are not run by `query`" in line
    after = CliRunner().invoke(main, ["--store", initialised, "export", "--format", "nq"]).stdout
    assert after == before
