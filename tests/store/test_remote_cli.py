"""The `commons-graph` command on a SPARQL server gives what it gives on a folder.

In-process with click's CliRunner (each new process costs a second or two of imports), except
for the error case, which is run as the installed script to see exactly what a user sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from commons_graph.cli import main
from tests.helpers.servers import OxigraphServer, free_port

pytestmark = pytest.mark.remote

SCRIPT = str(Path(sys.executable).with_name("commons-graph"))
BASE_ENV = {"COLUMNS": "200", "NO_COLOR": "1"}


def remote_env(server: OxigraphServer) -> dict[str, str]:
    """The environment selecting `server` as the store, as a user would set it."""
    return {
        **BASE_ENV,
        "COMMONS_GRAPH_STORE": server.query_url,
        "COMMONS_GRAPH_STORE_UPDATE": server.update_url,
        "COMMONS_GRAPH_STORE_GSP": server.gsp_url,
    }


def run(env: dict[str, str], *args: str, check: bool = True) -> Result:
    """Run the command in this process with `env` as its only COMMONS_GRAPH_* variables."""
    unset = {name: None for name in os.environ if name.startswith("COMMONS_GRAPH_")}
    result = CliRunner().invoke(main, list(args), env={**unset, **env}, catch_exceptions=False)
    if check:
        assert result.exit_code == 0, result.output
    return result


BOOTSTRAP = ox.NamedNode("https://w3id.org/commons-graph/graph/bootstrap")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def canonical(nquads: str) -> set[ox.Quad]:
    """An N-Quads export with canonical blank node labels (RDFC-1.0), to compare exports; the
    times `init` recorded each shipped file's loading at are left out (two inits, two times)."""
    dataset = ox.Dataset(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {
        q
        for q in dataset
        if not (
            q.graph_name == BOOTSTRAP
            and isinstance(q.object, ox.Literal)
            and q.object.datatype == XSD_DATETIME
        )
    }


@pytest.mark.slow
def test_init_export_stats_and_validate_match_the_embedded_store(
    remote_server: OxigraphServer, tmp_path: Path
) -> None:
    """Same data, same export (named graphs kept), same stats, same validation verdict."""
    remote = remote_env(remote_server)
    embedded = {**BASE_ENV, "COMMONS_GRAPH_STORE": str(tmp_path / "store")}
    for env in (remote, embedded):
        run(env, "init")
    run(remote, "init")  # idempotent on the server too

    remote_export = canonical(run(remote, "export", "--format", "nq").stdout)
    assert len(remote_export) > 1000
    assert remote_export == canonical(run(embedded, "export", "--format", "nq").stdout)

    remote_stats, embedded_stats = run(remote, "stats").stdout, run(embedded, "stats").stdout
    assert remote_stats.splitlines()[1:] == embedded_stats.splitlines()[1:]  # all but "Store:"
    remote_verdict = run(remote, "validate", "--format", "json", check=False)
    embedded_verdict = run(embedded, "validate", "--format", "json", check=False)
    assert remote_verdict.exit_code == embedded_verdict.exit_code
    assert remote_verdict.stdout == embedded_verdict.stdout


def test_load_and_query_through_the_command(remote_server: OxigraphServer, tmp_path: Path) -> None:
    """`load` then `query` on the server, with the URLs given as options."""
    data = tmp_path / "extra.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    options = [
        "--store", remote_server.query_url,
        "--store-update", remote_server.update_url,
        "--store-gsp", remote_server.gsp_url,
    ]  # fmt: skip
    run(BASE_ENV, *options, "load", str(data))
    run(BASE_ENV, *options, "load", str(data))
    out = run(BASE_ENV, *options, "query", "ASK { <http://example.org/a> ?p 1 }").stdout
    assert out.strip() == "yes"


def test_unreachable_server_is_one_line_exit_3() -> None:
    """No server at the URL: one error line naming it, exit code 3, no traceback."""
    url = f"http://127.0.0.1:{free_port()}/query"
    result = subprocess.run(
        [SCRIPT, "stats"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "COMMONS_GRAPH_STORE": url},
    )
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        f"error: cannot reach the SPARQL server at {url}: connection refused"
    ]
