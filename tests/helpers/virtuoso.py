"""A throw-away Virtuoso (Debian's `virtuoso-t`) on 127.0.0.1, set up as docs/remote.md says.

The `ini` and `sql` blocks of the doc's Virtuoso section are read and used with only the folder,
the ports and the passwords changed, so the documented setup is the tested one. The fixtures
that start it (`virtuoso_server`, `virtuoso_settings`) are in tests/conftest.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from bench.virtuoso import documented_setup, isql, local_ini
from commons_graph.config import Settings
from tests.helpers import http as fetch
from tests.helpers.servers import free_port, server_settings

DOC_PASSWORD = "'CHANGE-ME'"
DOC_DBA_PASSWORD = "'CHANGE-ME-TOO'"
USER = "commons"
PASSWORD = "commons-test"
DBA_PASSWORD = "dba-test"
# The graph TTLP needs named for triples without one (seed dumps have none).
UNUSED = "urn:x-commons-graph:unused"


def virtuoso_executable() -> str | None:
    """Debian's `virtuoso-t` (scripts/setup test installs it), if installed."""
    return shutil.which("virtuoso-t")


@dataclass
class VirtuosoServer:
    """A running Virtuoso, its folder, ports and SPARQL URLs."""

    process: subprocess.Popen[bytes]
    folder: Path
    sql_port: int
    url: str
    system_graphs: frozenset[str] = field(default_factory=frozenset)
    # The tables holding a restored file's rows (`restore`), by file, size and time.
    snapshots: dict[tuple[str, int, int], str] = field(default_factory=dict)

    @property
    def query_url(self) -> str:
        """Anonymous SPARQL 1.1 Protocol endpoint (read-only)."""
        return f"{self.url}/sparql"

    @property
    def update_url(self) -> str:
        """SPARQL 1.1 Update, HTTP Digest."""
        return f"{self.url}/sparql-auth"

    @property
    def gsp_url(self) -> str:
        """SPARQL 1.1 Graph Store Protocol, HTTP Digest."""
        return f"{self.url}/sparql-graph-crud-auth"

    def settings(self, **overrides: object) -> Settings:
        """Settings selecting this server as the store, writing as the documented user."""
        credentials: dict[str, object] = {"store_user": USER, "store_password": PASSWORD}
        return server_settings(
            self.query_url, self.update_url, self.gsp_url, **(credentials | overrides)
        )

    def graphs(self) -> set[str]:
        """Every graph holding a triple, Virtuoso's own included."""
        response = fetch.post(
            self.query_url,
            # GROUP BY, not DISTINCT: Virtuoso answers DISTINCT ?g from an index that ignores
            # graph security (private graphs would be listed).
            data={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        response.raise_for_status()
        return {row["g"]["value"] for row in response.json()["results"]["bindings"]}

    def update(self, text: str) -> None:
        """One SPARQL Update as the documented user."""
        response = fetch.post(
            self.update_url,
            content=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
            auth=httpx.DigestAuth(USER, PASSWORD),
            timeout=60,
        )
        if response.status_code != 200:
            raise RuntimeError(f"Virtuoso refused an update: {response.text[:500]}")

    def _others(self) -> str:
        """SQL: the quads of every graph but Virtuoso's own."""
        kept = ", ".join(f"iri_to_id ('{g}')" for g in sorted(self.system_graphs))
        return f"G NOT IN ({kept})"

    def rows(self) -> frozenset[tuple[str, ...]]:
        """Every quad of the quad table but Virtuoso's own, exactly as stored: the ids of its
        graph, subject and predicate, and a digest of its object's stored form (which tells
        a literal's language and datatype apart); read in SQL, to compare before and after."""
        output = self.sql(
            f"SELECT G, S, P, md5 (serialize (O)) FROM DB.DBA.RDF_QUAD WHERE {self._others()};\n"
        )
        rows = frozenset(
            tuple(fields)
            for line in output.splitlines()
            if (fields := line.split()) and len(fields) == 4 and fields[0].startswith("#i")
        )
        counted = re.search(r"^(\d+) Rows\.", output, re.MULTILINE)
        assert counted is not None and int(counted[1]) == len(rows), output[-500:]
        return rows

    def clear(self) -> None:
        """Delete every quad but those of Virtuoso's own graphs (SQL: far faster than DROPs)."""
        self.sql(f"DELETE FROM DB.DBA.RDF_QUAD WHERE {self._others()};\n")

    def sql(self, statements: str, *, password: str = DBA_PASSWORD) -> str:
        """Run SQL as dba through isql (set-up and test fixtures only; the store never does)."""
        return isql(self.sql_port, statements, password=password, timeout=120)

    def restore(self, nquads: Path) -> None:
        """Empty the server and load an N-Quads file.

        The first time, with Virtuoso's own loader; its rows of DB.DBA.RDF_QUAD are then kept
        in a table of their own, and later restores of the same file copy them back in SQL,
        without the transaction log: no parsing, less than half the time of a load (the seed
        dump is restored before most Virtuoso tests).
        """
        stat = nquads.stat()
        key = (str(nquads), stat.st_size, stat.st_mtime_ns)
        table = self.snapshots.get(key)
        if table is not None:
            self.sql(
                "log_enable (2, 1);\n"
                f"DELETE FROM DB.DBA.RDF_QUAD WHERE {self._others()};\n"
                f"INSERT INTO DB.DBA.RDF_QUAD (G, S, P, O) SELECT G, S, P, O FROM {table};\n"
            )
            return
        self.clear()
        target = self.folder / f"restore-{len(self.snapshots)}.nq"
        shutil.copyfile(nquads, target)
        # Flag 512: the text is N-Quads (each quad names its graph; the file has no other).
        self.sql(f"DB.DBA.TTLP (file_to_string_output ('{target}'), '', '{UNUSED}', 512);\n")
        table = f"DB.DBA.TEST_SNAPSHOT_{len(self.snapshots)}"
        self.sql(
            f"CREATE TABLE {table} (G IRI_ID_8, S IRI_ID_8, P IRI_ID_8, O ANY, "
            "PRIMARY KEY (G, S, P, O));\n"
            f"INSERT INTO {table} (G, S, P, O) "
            f"SELECT G, S, P, O FROM DB.DBA.RDF_QUAD WHERE {self._others()};\n"
        )
        self.snapshots[key] = table

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash would."""
        self.process.kill()
        self.process.wait()


def restart_virtuoso(server: VirtuosoServer) -> None:
    """Start a stopped (or killed) server again on its folder, ini and ports."""
    with (server.folder / "stdout.log").open("ab") as log:
        server.process = subprocess.Popen(
            ["virtuoso-t", "-f", "-c", str(server.folder / "virtuoso.ini")],
            cwd=server.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    _wait_until_up(server)


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Start Virtuoso in `folder` on free local ports, set up as docs/remote.md says."""
    executable = virtuoso_executable()
    if executable is None:
        pytest.skip("Virtuoso is not installed (scripts/setup test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    ini, sql = documented_setup()
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(
        local_ini(ini, folder, sql_port, http_port), encoding="utf-8"
    )
    with (folder / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [executable, "-f", "-c", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = VirtuosoServer(process, folder, sql_port, f"http://127.0.0.1:{http_port}")
    try:
        _wait_until_up(server)
        setup = sql.replace(DOC_PASSWORD, f"'{PASSWORD}'").replace(
            DOC_DBA_PASSWORD, f"'{DBA_PASSWORD}'"
        )
        # Virtuoso's own graphs, seen before the setup makes them private.
        server.system_graphs = frozenset(server.graphs())
        server.sql(setup, password="dba")
        # The documented setup makes every one of them private: a new database shows none.
        hidden = server.graphs()
        if hidden:
            raise RuntimeError(f"docs/remote.md's setup leaves Virtuoso graphs visible: {hidden}")
    except BaseException:
        stop_virtuoso(server)
        raise
    return server


def _wait_until_up(server: VirtuosoServer) -> None:
    deadline = time.monotonic() + 120
    while True:
        if server.process.poll() is not None:
            log = (server.folder / "virtuoso.log").read_text(errors="replace")
            raise RuntimeError(f"Virtuoso exited: {log[-2000:]}")
        try:
            answer = fetch.get(server.query_url, params={"query": "ASK {}"}, timeout=5)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("Virtuoso did not answer within 120 s")
        time.sleep(0.1)


def stop_virtuoso(server: VirtuosoServer) -> None:
    """Stop the server process (the one this helper started) and wait for it."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
