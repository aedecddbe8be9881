"""The query worker process: evaluates jobs on a read-only checkpoint and serialises results.

It runs in a child process (forkserver or spawn, never a fork of the threaded server), so the
server can stop a query by killing the process: pyoxigraph cannot cancel a running query.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from commons_graph.sparql.executor import QueryAnswer
from commons_graph.sparql.negotiation import choose_solutions_format
from commons_graph.sparql.serialise import NotAcceptable, serialise_result


@dataclass(frozen=True)
class Job:
    """One query for a worker, with the checkpoint to read."""

    snapshot: str
    query: str
    accept: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A query the worker could not evaluate: `kind` is syntax or error."""

    kind: str
    message: str


Reply = QueryAnswer | NotAcceptable | Failure


def evaluate(store: ox.Store, job: Job) -> Reply:
    """Run `job` on `store` and serialise its result."""
    try:
        result = store.query(job.query, **_dataset(job))  # type: ignore[arg-type]
        return serialise_result(result, job.accept, job.max_rows)
    except SyntaxError as error:
        return Failure("syntax", str(error))
    except (OSError, ValueError, TypeError) as error:
        # Evaluation errors (a bad regex, an IRI that does not parse, …): the user's query.
        return Failure("error", str(error))


# A solution takes at least two bytes of JSON ("{}"): an answer shorter than two bytes per row
# allowed past the cap holds no more rows than the cap.
_MIN_SOLUTION_BYTES = 2


class _Full(Exception):
    """The answer reached the size past which it may hold more rows than the cap."""


class _SizeBoundSink:
    """A file-like output for Oxigraph's writer that stops it at `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.written = bytearray()

    def write(self, data: bytes) -> int:
        """Keep `data`, or stop the writer (it raises through) once the limit is reached."""
        self.written += data
        if len(self.written) >= self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes stay in memory."""


def evaluate_to_json(store: ox.Store, job: Job) -> QueryAnswer | None:
    """`job`'s solutions written by Oxigraph itself, when the client takes JSON and the answer
    is surely within the row cap (`job.query` asks for at most one row more); else None."""
    choice = choose_solutions_format(job.accept)
    if choice is None or choice.format.name != "json":
        return None
    sink = _SizeBoundSink(_MIN_SOLUTION_BYTES * (job.max_rows + 1))
    try:
        result = store.query(job.query, **_dataset(job))  # type: ignore[arg-type]
        if not isinstance(result, ox.QuerySolutions):
            return None
        result.serialize(sink, format=ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]
    except _Full:
        return None  # perhaps cut: evaluate() counts the rows, stopping past the cap
    except (SyntaxError, OSError, ValueError, TypeError):
        return None  # evaluate() reports it
    return QueryAnswer(bytes(sink.written), choice.content_type)


def _dataset(job: Job) -> dict[str, object]:
    """The query's dataset options: the graphs it names, else the union of all graphs."""
    options: dict[str, object] = {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(iri) for iri in job.default_graphs]
    else:
        # Without a stated dataset, the default graph is the union of all graphs.
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs]
    return options


def serve(connection: Connection) -> None:
    """Answer jobs from `connection` until it closes or sends None."""
    # What the worker imported lives as long as it does: out of every collection, which
    # otherwise walked it again and again while results were built (a tenth of a worker's time).
    gc.freeze()
    store: ox.Store | None = None
    opened: str | None = None
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if job.snapshot != opened:
            # Drop the old checkpoint before opening the new one, so it can be deleted.
            store = None
            store = ox.Store.read_only(job.snapshot)
            opened = job.snapshot
        assert store is not None
        connection.send(evaluate(store, job))
