"""The update sandbox: a child process without network evaluates one SPARQL Update on a copy.

The child takes the network away from itself before it reads anything (the seccomp filter of
`sparql/sandbox.py`, the same one the query workers install), so no `LOAD`, `SERVICE` or
anything else Oxigraph's update engine may do can reach any address, however the update is
spelled. It runs the update on a private copy of the data and returns what changed (quads
removed and added); the server then commits that change as a `ChangeSet`, where sealed graphs
are refused like in every other write.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from commons_graph.sparql.sandbox import SandboxError, deny_network

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateJob:
    """One update and where its copy of the data is: two checkpoints, or an N-Quads file."""

    update: str
    base_iri: str
    original: str
    working: str | None = None
    # The protocol's dataset parameters, applied as USING / USING NAMED.
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()
    # Graphs under these prefixes are always compared (sealed ones: a change to them must
    # reach the commit, to be refused there, however the update was read).
    watched: tuple[str, ...] = ()
    # Read the text with rdflib first (LOAD and SERVICE refused, the dataset applied); the
    # tests turn this off to show that the sandbox alone keeps the network out.
    read_first: bool = True


@dataclass
class Delta:
    """What an update changed: graphs to drop whole, then quads removed and added (N-Quads)."""

    drop_graphs: list[str] = field(default_factory=list)
    removed: bytes = b""
    added: bytes = b""


@dataclass(frozen=True)
class Failure:
    """An update that did not run: `kind` is syntax, error, refused, blank_nodes or sandbox."""

    kind: str
    message: str
    detail: str = ""


Outcome = Delta | Failure


# From this many quads the graphs an update writes are worked out (rdflib: ~0.7 s to import,
# then its parse), so that only those are compared; below, comparing all is quicker.
_SCOPE_FROM_QUADS = 20_000


def run(job: UpdateJob) -> Outcome:
    """Evaluate `job` on its copy and return the change it made."""
    from commons_graph.sparql.update_text import UpdateRefusedError, prepared_text, write_scope

    text = job.update
    if job.read_first:
        try:
            text = prepared_text(job.update, job.using_graphs, job.using_named_graphs)
        except UpdateRefusedError as error:
            return Failure("refused", error.key, json.dumps(error.values))
    original, working = _open(job)
    try:
        working.update(text, base_iri=job.base_iri)
    except SyntaxError as error:
        return Failure("syntax", str(error))
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        # Evaluation errors, and LOAD or SERVICE, which fail here for want of a network.
        return Failure("error", str(error))
    scope = write_scope(job.update) if len(original) >= _SCOPE_FROM_QUADS else None
    return difference(original, working, scope, tuple(job.watched))


def _open(job: UpdateJob) -> tuple[ox.Store, ox.Store]:
    """The data before the update (read only) and the copy the update runs on."""
    if job.working is not None:
        return ox.Store.read_only(job.original), ox.Store(job.working)
    quads = list(ox.parse(path=job.original, format=ox.RdfFormat.N_QUADS))
    original, working = ox.Store(), ox.Store()
    # `extend` keeps blank node identifiers as parsed, so both copies agree on them.
    original.extend(quads)
    working.extend(quads)
    return original, working


Graph = ox.NamedNode | ox.DefaultGraph


def _graph(name: str) -> Graph:
    return ox.NamedNode(name) if name else ox.DefaultGraph()


def _lines(store: ox.Store, graph: Graph) -> set[bytes]:
    """Every triple of `graph` as one N-Triples line (Oxigraph writes each term one way only)."""
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
    return set(text.splitlines())


def _changes(
    original: ox.Store, working: ox.Store, graphs: Iterable[Graph]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The quads of `graphs` that the update removed, and those it added."""
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for graph in graphs:
        before, after = _lines(original, graph), _lines(working, graph)
        for lines, found in ((before - after, removed), (after - before, added)):
            if lines:
                triples = ox.parse(b"\n".join(lines), ox.RdfFormat.N_TRIPLES)
                found.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return removed, added


def _all_graphs(*stores: ox.Store) -> list[Graph]:
    graphs: set[Graph] = {ox.DefaultGraph()}
    for store in stores:
        graphs.update(g for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return sorted(graphs, key=str)


def difference(
    original: ox.Store,
    working: ox.Store,
    scope: tuple[str, ...] | None = None,
    watched: tuple[str, ...] = (),
) -> Outcome:
    """The change from `original` to `working`, in a form a SPARQL write can replay.

    Only the graphs of `scope` and those whose IRI starts with one of `watched` are compared
    when `scope` is given, unless the number of quads shows a change elsewhere.

    A removed quad holding a blank node cannot be named in `DELETE DATA`, and an added quad
    naming an existing blank node would get a new one: a graph with either is replaced whole
    (dropped, then all its quads added), unless it is the default graph or shares blank nodes
    with another graph, which is refused.
    """
    if scope is None:
        graphs = _all_graphs(original, working)
    else:
        named = {_graph(g) for g in scope}
        if watched:
            named.update(
                g
                for g in _all_graphs(original, working)
                if isinstance(g, ox.NamedNode) and g.value.startswith(watched)
            )
        graphs = sorted(named, key=str)
    removed, added = _changes(original, working, graphs)
    if scope is not None and len(working) - len(original) != len(added) - len(removed):
        graphs = _all_graphs(original, working)
        removed, added = _changes(original, working, graphs)
    replaced: set[Graph] = set()
    for quad in removed:
        if _blank_nodes(quad):
            replaced.add(quad.graph_name)  # type: ignore[arg-type]
    for quad in added:
        if any(_exists(original, node) for node in _blank_nodes(quad)):
            replaced.add(quad.graph_name)  # type: ignore[arg-type]
    for graph in replaced:
        problem = _unreplaceable(original, working, graph)
        if problem:
            return Failure("blank_nodes", problem, str(graph))
    emptied = {
        g
        for g in graphs
        if isinstance(g, ox.NamedNode) and _has_quads(original, g) and not _has_quads(working, g)
    }
    dropped = emptied | replaced
    removed = [q for q in removed if q.graph_name not in dropped]
    added = [q for q in added if q.graph_name not in replaced]
    for graph in replaced:
        added.extend(working.quads_for_pattern(None, None, None, graph))
    return Delta(
        drop_graphs=sorted(g.value for g in dropped if isinstance(g, ox.NamedNode)),
        removed=ox.serialize(removed, format=ox.RdfFormat.N_QUADS) or b"",
        added=ox.serialize(added, format=ox.RdfFormat.N_QUADS) or b"",
    )


def _blank_nodes(quad: ox.Quad) -> list[ox.BlankNode]:
    return [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]


def _exists(store: ox.Store, node: ox.BlankNode) -> bool:
    """Whether `node` appears in `store`, as subject or object, in any graph."""
    return any(True for _ in store.quads_for_pattern(node, None, None, None)) or any(
        True for _ in store.quads_for_pattern(None, None, node, None)
    )


def _has_quads(store: ox.Store, graph: Graph) -> bool:
    return any(True for _ in store.quads_for_pattern(None, None, None, graph))


def _unreplaceable(original: ox.Store, working: ox.Store, graph: Graph) -> str:
    """Why `graph` cannot be replaced whole, or "" if it can."""
    if isinstance(graph, ox.DefaultGraph):
        return "the default graph"
    for store in (original, working):
        for quad in store.quads_for_pattern(None, None, None, graph):
            for node in _blank_nodes(quad):
                for pattern in ((node, None, None, None), (None, None, node, None)):
                    if any(q.graph_name != graph for q in store.quads_for_pattern(*pattern)):
                        return f"a blank node of {graph} is also used in another graph"
    return ""


def run_in_sandbox(job: UpdateJob, timeout: float) -> Outcome:
    """Evaluate `job` in a new sandboxed process; kill it past `timeout` seconds.

    A fresh interpreter (`python -m` this module), not a fork of the threaded server: it is
    single-threaded when it leaves the network, and starts in ~0.1 s. Both ways the messages
    are JSON, never pickles: what the child sends is read as data even if the child was
    subverted.
    """
    from commons_graph.sparql.update import UpdateUnavailableError

    try:
        finished = subprocess.run(
            [sys.executable, "-m", "commons_graph.sparql.update_worker"],
            input=json.dumps(asdict(job)).encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UpdateUnavailableError("update.timeout", seconds=f"{timeout:g}") from None
    outcome = _outcome(finished.stdout) if finished.returncode == 0 else None
    if outcome is None:
        log.error(
            "an update's process stopped (status %s): %s",
            finished.returncode,
            finished.stderr.decode("utf-8", "replace")[-2000:],
        )
        raise UpdateUnavailableError("update.crashed")
    return outcome


def _outcome(message: bytes) -> Outcome | None:
    """The child's JSON answer as a Delta or a Failure, or None if it is not one."""
    try:
        data = json.loads(message)
        if data.pop("type") == "delta":
            return Delta(
                drop_graphs=[str(g) for g in data["drop_graphs"]],
                removed=str(data["removed"]).encode(),
                added=str(data["added"]).encode(),
            )
        return Failure(str(data["kind"]), str(data["message"]), str(data["detail"]))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def main() -> None:
    """Child process entry: leave the network, read the job, write the outcome (JSON)."""
    try:
        deny_network()
    except SandboxError as error:
        outcome: Outcome = Failure("sandbox", str(error))
    else:
        fields = json.loads(sys.stdin.buffer.read())
        for name in ("using_graphs", "using_named_graphs", "watched"):
            fields[name] = tuple(fields[name])
        outcome = run(UpdateJob(**fields))
    if isinstance(outcome, Delta):
        message = {
            "type": "delta",
            "drop_graphs": outcome.drop_graphs,
            "removed": outcome.removed.decode(),
            "added": outcome.added.decode(),
        }
    else:
        message = {"type": "failure", **asdict(outcome)}
    sys.stdout.buffer.write(json.dumps(message).encode())


if __name__ == "__main__":
    main()
