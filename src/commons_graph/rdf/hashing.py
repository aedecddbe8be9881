"""Content hashes of RDF: SHA-256 of RDFC-1.0 canonical N-Quads, computed in bounded time.

Recipe (docs/codesocial.md has it step by step): put the triples in the default graph of an RDF
dataset, canonicalise it with RDFC-1.0 (SHA-256), write each quad as a canonical N-Quads line
ending in a line feed, sort the lines by code point, and hash their UTF-8 concatenation with
SHA-256; the hash is 64 lower-case hex digits.

RDFC-1.0 is linear when every blank node is told apart by its own statements (its "first-degree
hash"); blank nodes that look alike (cycles, cliques, chains of look-alike nodes) send it into a
search that is exponential in the worst case (measured: a 7-node clique of 42 statements takes
0.4 s, 8 nodes 7.6 s), and pyoxigraph holds the GIL all the while, so a thread would freeze the
whole server. Such input is therefore canonicalised in a worker process that is killed past a
time limit; everything else in the calling thread.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import pyoxigraph as ox

from commons_graph.errors import BadInputError, UnprocessableError

HASH_ALGORITHM = "sha256"
# Seconds a canonicalisation of look-alike blank nodes may take before it is given up.
# Real contributions take milliseconds; the bound is on hostile ones.
TIME_LIMIT = 2.0
# Seconds allowed for the worker process to start (import pyoxigraph) before any job is sent.
_START_LIMIT = 60.0

log = logging.getLogger("commons_graph.rdf.hashing")


class CanonicalisationTooHard(UnprocessableError):
    """The blank nodes are too alike to be canonicalised within the time limit."""

    status = 422

    def __init__(self, seconds: float) -> None:
        super().__init__("rdf.canonicalisation_too_hard", seconds=f"{seconds:g}")
        self.seconds = seconds


def canonical_nquads(triples: Iterable[ox.Triple | ox.Quad]) -> str:
    """The triples (graph names dropped) as RDFC-1.0 canonical N-Quads, sorted, one per line."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    # pyoxigraph writes each quad in canonical N-Quads form; RDFC-1.0 orders the lines by code
    # point, which for UTF-8 text is the order of its bytes.
    serialised = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b""
    lines = serialised.decode("utf-8").splitlines()
    return "".join(line + "\n" for line in sorted(lines, key=lambda line: line.encode("utf-8")))


def bounded_canonical_nquads(
    triples: Iterable[ox.Triple | ox.Quad], *, time_limit: float = TIME_LIMIT
) -> str:
    """`canonical_nquads`, in this thread when no blank nodes look alike, else in the worker;
    raises CanonicalisationTooHard when that takes more than `time_limit` seconds."""
    unique = list(dict.fromkeys(ox.Triple(t.subject, t.predicate, t.object) for t in triples))
    if not has_look_alike_blank_nodes(unique):
        return canonical_nquads(unique)
    return _WORKER.canonicalise(unique, time_limit)


def canonical_triples(
    triples: Iterable[ox.Triple | ox.Quad], *, time_limit: float = TIME_LIMIT
) -> list[ox.Triple]:
    """The triples with blank nodes relabelled by RDFC-1.0 (so equal structures compare
    equal), in bounded time."""
    nquads = bounded_canonical_nquads(triples, time_limit=time_limit).encode("utf-8")
    return [q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)]


def content_hash(triples: Iterable[ox.Triple | ox.Quad], *, time_limit: float = TIME_LIMIT) -> str:
    """SHA-256 of the triples' canonical N-Quads, as 64 lower-case hexadecimal digits.

    Raises CanonicalisationTooHard when look-alike blank nodes need more than `time_limit`
    seconds."""
    nquads = bounded_canonical_nquads(triples, time_limit=time_limit)
    return hashlib.sha256(nquads.encode("utf-8")).hexdigest()


def citation_hash(digest: str) -> str:
    """The hash as it is cited: `sha256:<hex>`."""
    return f"{HASH_ALGORITHM}:{digest}"


def has_look_alike_blank_nodes(triples: Iterable[ox.Triple]) -> bool:
    """Whether two blank nodes have the same statements once blank nodes are masked (the same
    RDFC-1.0 first-degree hash): only then does canonicalisation search."""
    statements: defaultdict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    for triple in triples:
        for term in (triple.subject, triple.object):
            if isinstance(term, ox.BlankNode):
                statements[term].append(triple)
    signatures = Counter(
        tuple(sorted(_masked(t, node) for t in found)) for node, found in statements.items()
    )
    return any(count > 1 for count in signatures.values())


def _masked(triple: ox.Triple, node: ox.BlankNode) -> tuple[str, str, str]:
    """The triple as RDFC-1.0's first-degree hash sees it from `node`."""

    def term(value: object) -> str:
        if isinstance(value, ox.BlankNode):
            return "_:a" if value == node else "_:z"
        return str(value)

    return term(triple.subject), str(triple.predicate), term(triple.object)


def _serve(connection: Connection) -> None:
    """The worker's loop: N-Triples in, canonical N-Quads (or an error) out."""
    connection.send(("ready", ""))
    while True:
        try:
            body = connection.recv_bytes()
        except EOFError:
            return
        try:
            triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
            connection.send(("ok", canonical_nquads(triples)))
        except (SyntaxError, ValueError) as error:
            connection.send(("error", str(error)))


@dataclass
class _Process:
    process: BaseProcess
    connection: Connection


class _Worker:
    """One lazily started canonicalisation process, used by one caller at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: _Process | None = None

    def canonicalise(self, triples: list[ox.Triple], time_limit: float) -> str:
        """Canonical N-Quads computed in the worker; the worker is killed past `time_limit`."""
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        with self._lock:
            if self._current is not None and not self._current.process.is_alive():
                self._stop()  # died since its last job: start afresh rather than blame this one
            worker = self._current or self._start()
            try:
                worker.connection.send_bytes(body)
                answered = worker.connection.poll(time_limit)
                kind, value = worker.connection.recv() if answered else ("timeout", "")
            except (OSError, EOFError):
                kind, value = "crash", ""
            if kind in ("timeout", "crash"):
                self._stop()
                log.warning("canonicalisation given up after %g s (%s)", time_limit, kind)
                raise CanonicalisationTooHard(time_limit)
            if kind != "ok":
                raise BadInputError("rdf.cannot_canonicalise", detail=str(value))
            return str(value)

    def _start(self) -> _Process:
        # forkserver or spawn, never a fork of the threaded server.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        ours, theirs = context.Pipe()
        process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(theirs,), name="commons-graph-hash", daemon=True
        )
        process.start()
        theirs.close()
        try:
            if not ours.poll(_START_LIMIT):
                raise EOFError
            ours.recv()
        except (OSError, EOFError):
            process.kill()
            raise RuntimeError("the canonicalisation worker did not start") from None
        self._current = _Process(process, ours)
        return self._current

    def _stop(self) -> None:
        if self._current is None:
            return
        self._current.process.kill()
        self._current.process.join(5)
        self._current.connection.close()
        self._current = None


_WORKER = _Worker()
