"""The servers under test, each a separate process on 127.0.0.1 with a free port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from commons_graph.store.http import tls_context

VENV_BIN = Path(sys.executable).parent
ASK = "ASK { ?s ?p ?o }"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def executable(name: str) -> str:
    """A command installed beside this Python (the venv), else on PATH."""
    beside = VENV_BIN / name
    return str(beside) if beside.is_file() else name


# CPU seconds per second under which a server counts as idle (its own housekeeping is less).
_IDLE_CPU_SECONDS = 0.05


@dataclass
class Server:
    """A started server: its process, where it answers SPARQL, how to send a query."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    sparql_path: str
    log: Path
    # Extra form fields every query carries (e.g. nothing, or a dataset option).
    form_extra: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def sparql_url(self) -> str:
        """The SPARQL protocol endpoint."""
        return self.url + self.sparql_path

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def query(self, text: str, timeout: float = 120.0) -> httpx.Response:
        """Send one SELECT/ASK as a form POST asking for SPARQL JSON results."""
        return httpx.post(
            self.sparql_url,
            content=form_body(text, self.form_extra),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
            timeout=timeout,
            verify=tls_context(),  # one TLS context, not one per call (wait loops call often)
        )

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time (user + system) used so far by the server process, and by its children."""
        return process_cpu(self.pid), sum(process_cpu(c) for c in descendants(self.pid))

    def settle(self, timeout: float = 360.0) -> float:
        """Wait until the server is idle (its start-up work done: RocksDB compacting what was
        bulk-loaded, the list indexes built: ~3 min at 10M); returns the seconds waited."""
        started = time.monotonic()
        before = sum(self.cpu_seconds())
        while time.monotonic() - started < timeout:
            time.sleep(1.0)
            now = sum(self.cpu_seconds())
            if now - before < _IDLE_CPU_SECONDS:
                break
            before = now
        return round(time.monotonic() - started, 1)

    def peak_memory(self) -> MemoryReading:
        """The peak resident memory (VmHWM) of the server and of its child processes, and
        what they hold now with shared pages counted once (PSS)."""
        family = [self.pid, *descendants(self.pid)]
        own = vm_hwm(self.pid)
        children = sum(vm_hwm(child) for child in family[1:])
        return MemoryReading(own, own + children, sum(map(proportional_set_size, family)))


def settle_all(servers: dict[str, Server], timeout: float = 360.0) -> dict[str, float]:
    """`Server.settle` for every server at once (they settle side by side: waiting for each in
    turn would add a second of idle time per server); the seconds each one waited."""
    started = time.monotonic()
    before = {name: sum(server.cpu_seconds()) for name, server in servers.items()}
    waited: dict[str, float] = {}
    while len(waited) < len(servers) and time.monotonic() - started < timeout:
        time.sleep(1.0)
        for name, server in servers.items():
            if name in waited:
                continue
            now = sum(server.cpu_seconds())
            if now - before[name] < _IDLE_CPU_SECONDS:
                waited[name] = round(time.monotonic() - started, 1)
            before[name] = now
    elapsed = round(time.monotonic() - started, 1)
    return {name: waited.get(name, elapsed) for name in servers}


@dataclass(frozen=True)
class MemoryReading:
    """Resident memory in bytes: peak of the server process alone, peak summed with its
    children, and the family's proportional set size now."""

    process: int
    with_children: int
    # Query workers are forked from one forkserver and share its pages: summing their peak
    # RSS counts those pages once per process. PSS splits each shared page among its sharers.
    proportional: int = 0


def form_body(query: str, extra: str = "") -> str:
    """An application/x-www-form-urlencoded body carrying `query`."""
    from urllib.parse import quote

    return "query=" + quote(query, safe="") + extra


def proportional_set_size(pid: int) -> int:
    """The proportional set size of a process in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def vm_hwm(pid: int) -> int:
    """The peak resident set size of a process in bytes (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def process_cpu(pid: int) -> float:
    """User plus system CPU seconds of a live process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every process whose ancestry leads to `pid` (query workers, the forkserver)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: split after it.
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def _start(
    name: str,
    command: list[str],
    log: Path,
    url: str,
    sparql_path: str,
    env: dict[str, str] | None = None,
    form_extra: str = "",
    ready_timeout: float = 600.0,
) -> Server:
    """Start `command` and wait until its endpoint answers an ASK query."""
    full_env = {**os.environ, **(env or {})}
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=full_env, start_new_session=True
        )
    server = Server(name, process, url, sparql_path, log, form_extra, env or {})
    deadline = time.monotonic() + ready_timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.TransportError):
            if server.query(ASK, timeout=5).status_code == 200:
                return server
        if time.monotonic() > deadline:
            stop(server)
            raise RuntimeError(f"{name} did not answer within {ready_timeout:.0f} s")
        time.sleep(0.1)


def start_ours(store: Path | str, log: Path, env: dict[str, str] | None = None) -> Server:
    """`commons-graph serve` on `store` (a folder, or a remote query URL given in `env`)."""
    port = free_port()
    command = [executable("commons-graph"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    settings_env = {
        "COMMONS_GRAPH_STORE": str(store),
        # The load generator sends each request as from a client of its own (bench/loadgen.py).
        "COMMONS_GRAPH_TRUSTED_PROXIES": "127.0.0.1",
        **(env or {}),
    }
    return _start(
        "commons-graph", command, log, f"http://127.0.0.1:{port}", "/sparql", settings_env
    )


def start_oxigraph(location: Path, log: Path) -> Server:
    """`oxigraph serve` on disk, the default graph being the union of the named graphs."""
    port = free_port()
    command = [
        executable("oxigraph"),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    return _start("oxigraph serve", command, log, f"http://127.0.0.1:{port}", "/query")


def start_rdflib_endpoint(data: Path, log: Path) -> Server:
    """`rdflib-endpoint serve` on an rdflib Dataset (default graph = union) parsed from `data`."""
    port = free_port()
    command = [
        executable("rdflib-endpoint"),
        "serve",
        str(data),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return _start("rdflib-endpoint", command, log, f"http://127.0.0.1:{port}", "/")


def stop(server: Server) -> None:
    """Stop a server this run started, and its children (its own process group)."""
    if server.process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """Stop `server` when the block ends, whatever happens."""
    try:
        yield server
    finally:
        stop(server)


def version_of(command: list[str]) -> str:
    """The first line a `--version` command prints."""
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "not installed"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"
