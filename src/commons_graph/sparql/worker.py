"""The query worker process: evaluates jobs on a read-only checkpoint and serialises results.

It runs in a child process (forkserver or spawn, never a fork of the threaded server), so the
server can stop a query by killing the process: pyoxigraph cannot cancel a running query. Before
its first job it takes the network away from itself (`sparql/sandbox.py`) and says whether that
worked: a worker that could not does not serve. Whatever a query does (a SERVICE call failing in
the sandbox, a panic in the engine), the worker answers with a `Failure` and goes on.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from commons_graph.search.sparql_function import search_functions
from commons_graph.sparql.executor import QueryAnswer
from commons_graph.sparql.negotiation import choose_solutions_format
from commons_graph.sparql.safety import inspect_query
from commons_graph.sparql.sandbox import SandboxError, deny_network
from commons_graph.sparql.serialise import NotAcceptable, native_json, serialise_result

# What a worker sends once its sandbox is in place, before its first job.
READY = "ready"


@dataclass(frozen=True)
class Job:
    """One query for a worker, with the checkpoint to read."""

    snapshot: str
    query: str
    accept: str
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    # The IRI relative IRIs in the query resolve against (the endpoint's, SPARQL Protocol).
    base_iri: str | None = None
    # The full-text index, read-only, for `cgf:matches` (search/sparql_function.py).
    search_index: str | None = None


@dataclass(frozen=True)
class Failure:
    """A query the worker could not evaluate: `kind` is syntax, error, service (rdflib saw a
    SERVICE clause: refused before evaluation) or sandbox (the worker cannot serve)."""

    kind: str
    message: str


@dataclass(frozen=True)
class AnswerHead:
    """An answer's media type and cut, sent before its body: the body follows as raw bytes
    (`Connection.send_bytes`), not pickled, which would copy it once more (~2.5 ms a MB)."""

    media_type: str
    truncated: bool
    size: int


Reply = QueryAnswer | NotAcceptable | Failure


def send_reply(connection: Connection, reply: Reply) -> None:
    """Send `reply`: an answer as its head then its body's bytes, anything else pickled."""
    if isinstance(reply, QueryAnswer):
        connection.send(AnswerHead(reply.media_type, reply.truncated, len(reply.body)))
        connection.send_bytes(reply.body)
    else:
        connection.send(reply)


def receive_reply(connection: Connection) -> object:
    """The reply `send_reply` sent (its first part already waited for by the caller)."""
    reply = connection.recv()
    if isinstance(reply, AnswerHead):
        return receive_body(connection, reply)
    return reply


def receive_body(connection: Connection, head: AnswerHead) -> QueryAnswer:
    """The answer whose `head` was received: its body's bytes follow."""
    body = connection.recv_bytes()
    if len(body) != head.size:
        raise EOFError("the answer's body was cut short")
    return QueryAnswer(body, head.media_type, head.truncated)


def evaluate(store: ox.Store, job: Job) -> Reply:
    """Run `job` on `store` and serialise its result; any failure is a `Failure` reply."""
    try:
        shape = inspect_query(job.query)
        if shape.service:
            # A friendly early word; the sandbox, not this, is what stops the connection.
            return Failure("service", "SERVICE")
        options = _dataset(job, shape.dataset)
        functions = {}
        if may_name_functions(job.query):
            functions = search_functions(Path(job.search_index) if job.search_index else None)
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            custom_functions=functions,  # type: ignore[arg-type]
            **options,  # type: ignore[arg-type]
        )
        if isinstance(result, ox.QuerySolutions):
            choice = choose_solutions_format(job.accept)
            if choice is not None and choice.format.name == "json":
                body = native_json(result, job.max_rows)
                if body is not None:
                    return QueryAnswer(body, choice.content_type)
                # Large, cut or with empty rows: evaluated again for the capped writer.
                result = store.query(
                    job.query,
                    base_iri=job.base_iri,
                    custom_functions=functions,  # type: ignore[arg-type]
                    **options,  # type: ignore[arg-type]
                )
        return serialise_result(result, job.accept, job.max_rows)
    except SyntaxError as error:
        return Failure("syntax", str(error))
    except (OSError, ValueError, TypeError) as error:
        # Evaluation errors (a bad regex, an IRI that does not parse, a SERVICE call refused by
        # the sandbox, …): the user's query.
        return Failure("error", str(error))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - a Rust panic is a BaseException
        # pyo3's PanicException and anything else: the query failed, the worker lives on.
        return Failure("error", f"{type(error).__name__}: {error}")


def may_name_functions(query: str) -> bool:
    """False proves that `query` cannot call `cgf:matches`: its IRI's local name is in the text
    as written, or hidden in a `\\u` escape. Giving Oxigraph the functions costs a light
    query ~30 µs (the index looked for, the function made)."""
    return "matches" in query or "\\u" in query or "\\U" in query


def _dataset(job: Job, names_dataset: bool) -> dict[str, object]:
    """The query's dataset options (SPARQL 1.1 Protocol, 2.1.4): the protocol's graphs if any
    are given (they override FROM; no default-graph-uri means an empty default graph), else
    the query's own FROM / FROM NAMED, else the union of all graphs as the default graph.

    A graph the store does not hold is an empty graph: Oxigraph never fetches one.
    """
    if job.default_graphs or job.named_graphs:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in job.default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in job.named_graphs],
        }
    if names_dataset:
        return {}  # Oxigraph applies the query's FROM / FROM NAMED itself
    return {"use_default_graph_as_union": True}


def serve(connection: Connection) -> None:
    """Take the network away, say so, then answer jobs from `connection` until it closes or
    sends None."""
    try:
        deny_network()
    except SandboxError as error:
        connection.send(Failure("sandbox", str(error)))
        return
    connection.send(READY)
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
        send_reply(connection, evaluate(store, job))
