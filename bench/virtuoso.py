"""Virtuoso (Debian's `virtuoso-t`) as a bench peer, set up as docs/remote.md says.

The `ini` and `sql` blocks of docs/remote.md's Virtuoso section are used with the folder, the
ports and the passwords changed, and the page buffers scaled as the ini's own comment asks (the
documented 10 000 pages, 80 MB, are for a small store); data goes in by Virtuoso's bulk loader
(`ld_dir` + `rdf_loader_run`), as a site moving a large store there would load it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import Server, _start, free_port

DOC = Path(__file__).resolve().parents[1] / "docs" / "remote.md"
USER = "commons"
PASSWORD = "commons-bench"
DBA_PASSWORD = "dba-bench"
# 8 KB pages: 1.3 GB and the dirty share Virtuoso's own ini suggests for that much (the machine
# has 23 GB, shared; the doc says "about two thirds of the machine's memory in production").
BUFFERS = 170_000
DIRTY_BUFFERS = 130_000


def have_virtuoso() -> bool:
    """Whether `virtuoso-t` and `isql-vt` are installed (scripts/setup test installs them)."""
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


def documented_setup() -> tuple[str, str]:
    """The `ini` and `sql` blocks of docs/remote.md's Virtuoso section."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Virtuoso") :]
    section = section[: section.index("\n## ", 1)]
    ini = re.search(r"```ini\n(.*?)```", section, re.S)
    sql = re.search(r"```sql\n(.*?)```", section, re.S)
    if not (ini and sql):
        raise RuntimeError("docs/remote.md's Virtuoso section lost its ini or sql block")
    return ini.group(1), sql.group(1)


@dataclass
class Virtuoso:
    """A started Virtuoso: its SPARQL peer, folder and SQL port."""

    server: Server
    folder: Path
    sql_port: int

    @property
    def env(self) -> dict[str, str]:
        """What points commons-graph at it (docs/remote.md, step 3)."""
        return {
            "COMMONS_GRAPH_STORE": self.server.url + "/sparql",
            "COMMONS_GRAPH_STORE_UPDATE": self.server.url + "/sparql-auth",
            "COMMONS_GRAPH_STORE_GSP": self.server.url + "/sparql-graph-crud-auth",
            "COMMONS_GRAPH_STORE_USER": USER,
            "COMMONS_GRAPH_STORE_PASSWORD": PASSWORD,
            "COMMONS_GRAPH_STORE_TIMEOUT": "600",
        }

    def sql(self, statements: str, *, password: str = DBA_PASSWORD, timeout: float = 1800) -> str:
        """Run SQL as dba through isql."""
        return isql(self.sql_port, statements, password=password, timeout=timeout)

    def bulk_load(self, nquads: Path) -> float:
        """Load an N-Quads file with Virtuoso's bulk loader; the seconds it took."""
        target = self.folder / "load" / nquads.name
        target.parent.mkdir(exist_ok=True)
        if not target.exists():
            try:
                os.link(nquads, target)
            except OSError:
                shutil.copyfile(nquads, target)
        started = time.perf_counter()
        # The third argument names a graph for triples without one: N-Quads have none such.
        self.sql(
            f"ld_dir ('{target.parent}', '{target.name}', 'urn:x-commons-graph:unused');\n"
            "rdf_loader_run ();\ncheckpoint;\n"
        )
        seconds = time.perf_counter() - started
        failed = self.sql("SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n")
        if not re.search(r"\n0\s*\n", failed):
            raise RuntimeError(f"Virtuoso's bulk loader reported errors: {failed[-1000:]}")
        return seconds


def isql(sql_port: int, statements: str, *, password: str, timeout: float) -> str:
    """Run SQL as dba through Virtuoso's isql on `sql_port`; its output (an error raises)."""
    result = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", password],
        input=statements.encode(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    output = result.stdout.decode(errors="replace")
    if result.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql failed: {output[-2000:]}{result.stderr.decode()[-500:]}")
    return output


def local_ini(ini: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The documented ini with only the folder and the ports changed."""
    return (
        ini.replace("/srv/virtuoso", str(folder))
        .replace("127.0.0.1:1111", f"127.0.0.1:{sql_port}")
        .replace("127.0.0.1:8890", f"127.0.0.1:{http_port}")
    )


def bench_ini(ini: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The documented ini with only the folder, the ports and the page buffers changed."""
    changed = local_ini(ini, folder, sql_port, http_port)
    changed = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", f"NumberOfBuffers = {BUFFERS}", changed)
    return re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", f"MaxDirtyBuffers = {DIRTY_BUFFERS}", changed)


def start_virtuoso(folder: Path, log: Path) -> Virtuoso:
    """Virtuoso in `folder` on free local ports, set up as docs/remote.md says."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ini, sql = documented_setup()
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(bench_ini(ini, folder, sql_port, http_port), "utf-8")
    command = ["virtuoso-t", "-f", "-c", str(folder / "virtuoso.ini")]
    server = _start("virtuoso", command, log, f"http://127.0.0.1:{http_port}", "/sparql")
    started = Virtuoso(server, folder, sql_port)
    started.sql(
        sql.replace("'CHANGE-ME'", f"'{PASSWORD}'").replace("'CHANGE-ME-TOO'", f"'{DBA_PASSWORD}'"),
        password="dba",
    )
    return started
