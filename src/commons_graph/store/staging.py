"""Large writes kept all-or-nothing on servers that refuse long updates: staged in a hidden graph.

A server may refuse a SPARQL Update above some length (Virtuoso: 10 MB of text, `HT057`, a
limit compiled into it), while its Graph Store loader, which takes any length, commits as it
goes. On such a server a large insert into one graph (a first import, a large `load`) is sent
in three steps:

1. `DROP SILENT GRAPH <staging>`: whatever an interrupted write left there goes;
2. the N-Triples, as Graph Store `POST`s of a few megabytes each, into the staging graph;
3. ONE small SPARQL Update moving the staging graph into its target (`MOVE`, or `ADD` then
   `DROP` when appending): one transaction, so readers see the graph as it was or as it is
   after the write, never a part of it.

That only holds if no reader sees the staging graph: the store checks it once, by writing one
statement there as the writing user and looking for it through the query URL (the readers' way,
union default graph included). The server's administrator hides it (docs/remote.md: on
Virtuoso, graph permissions). Both facts are learnt from the server's answers, never from its
name; a server that takes long updates gets each write as one update instead.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from commons_graph.store.errors import QuerySyntaxError, StoreError
from commons_graph.store.http import ServerStatusError

if TYPE_CHECKING:
    from commons_graph.store.remote import RemoteStore

STAGING_GRAPH = ox.NamedNode("urn:x-commons-graph:staging")
# The probe's length: above Virtuoso's limits (10 000 000 bytes in 7.2, 16 000 000 later).
LONG_UPDATE_PROBE_BYTES = 16 * 1024 * 1024 + 64 * 1024
# Each Graph Store request into the staging graph: bounded, so that no single request of a
# 1M-triple load holds the server's loader for minutes.
STAGE_PIECE_BYTES = 4 * 1024 * 1024
# The pause before the last step is tried a second time, after the server refused it.
MOVE_RETRY_SECONDS = 2.0
_PROBE_SUBJECT = ox.NamedNode("urn:x-commons-graph:staging-probe")
_PROBE_PREDICATE = ox.NamedNode("urn:x-commons-graph:visible")

# One staged write at a time in this process: they share the one staging graph.
_LOCK = threading.Lock()


def refuses_long_updates(store: RemoteStore) -> bool:
    """Whether the server refuses an update of LONG_UPDATE_PROBE_BYTES (a padded no-op)."""
    operation = f"DROP SILENT GRAPH {STAGING_GRAPH}\n".encode()
    line = b"#" + b" " * 1022 + b"\n"
    padding = line * ((LONG_UPDATE_PROBE_BYTES - len(operation)) // len(line) + 1)
    try:
        _update(store, padding + operation)
    except ServerStatusError:
        return True
    return False


def staging_hidden(store: RemoteStore) -> bool:
    """Whether a statement written to the staging graph stays unseen through the query URL."""
    quad = f"{_PROBE_SUBJECT} {_PROBE_PREDICATE} true"
    with _LOCK:
        _update(store, f"INSERT DATA {{ GRAPH {STAGING_GRAPH} {{ {quad} }} }}".encode())
        try:
            in_graph = _seen(store, f"ASK {{ GRAPH {STAGING_GRAPH} {{ ?s ?p ?o }} }}")
            in_union = _seen(store, f"ASK {{ {quad} }}")
        finally:
            _update(store, _drop())
    return not (in_graph or in_union)


def _seen(store: RemoteStore, query: str) -> bool:
    """Whether a reader finds what `query` asks for; a reader refused the graph does not."""
    try:
        return store.ask(query)
    except (QuerySyntaxError, ServerStatusError):
        return False


def staged_write(
    store: RemoteStore,
    gsp_url: str,
    graph: ox.NamedNode,
    quads: Iterable[ox.Quad],
    *,
    replace: bool,
    blank_nodes: bool,
) -> None:
    """Insert `quads` into `graph` (replacing it when asked) through the staging graph.

    With `blank_nodes`, the N-Triples go in one request: a label names one node within one
    document only, so a node whose statements were split between two requests would become two.
    """
    if graph == STAGING_GRAPH:
        raise ValueError("the staging graph is no target")
    if replace:
        move = f"MOVE {STAGING_GRAPH} TO {graph}"
    else:
        move = f"ADD {STAGING_GRAPH} TO {graph} ;\n{_drop().decode()}"
    with _LOCK:
        _update(store, _drop())
        try:
            for piece in pieces(quads, None if blank_nodes else STAGE_PIECE_BYTES):
                store.http.write(
                    "POST",
                    gsp_url,
                    params=[("graph", STAGING_GRAPH.value)],
                    content=piece,
                    content_type="application/n-triples",
                )
            try:
                _update(store, move.encode())
            except ServerStatusError as error:
                # An answered refusal: that transaction was rolled back and all is still staged,
                # so one more try is safe (Virtuoso bounds each update by its
                # MaxQueryExecutionTime and answered `SR171 Transaction timed out` once under
                # load). A lost answer is not retried: the move may have been made.
                if error.status < 500:
                    raise
                time.sleep(MOVE_RETRY_SECONDS)
                _update(store, move.encode())
        except StoreError:
            # Best effort: a server that is gone keeps the staged part, hidden, until the next
            # staged write drops it (step 1).
            with contextlib.suppress(StoreError):
                _update(store, _drop())
            raise


def pieces(quads: Iterable[ox.Quad], size: int | None = STAGE_PIECE_BYTES) -> Iterator[bytes]:
    """The quads' triples as N-Triples, in bodies of about `size` bytes (whole lines; one body
    when `size` is None)."""
    pending: list[bytes] = []
    length = 0
    for text in ntriples_chunks(quads):
        pending.append(text)
        length += len(text)
        if size is not None and length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


def ntriples_chunks(quads: Iterable[ox.Quad], batch: int = 1000) -> Iterator[bytes]:
    """The quads' triples as N-Triples, `batch` quads at a time (serialised by pyoxigraph)."""
    iterator = iter(quads)
    while part := list(itertools.islice(iterator, batch)):
        yield ox.serialize([q.triple for q in part], format=ox.RdfFormat.N_TRIPLES) or b""


def has_blank_node(quad: ox.Quad) -> bool:
    """Whether the quad's subject or object is a blank node."""
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _drop() -> bytes:
    return f"DROP SILENT GRAPH {STAGING_GRAPH}".encode()


def _update(store: RemoteStore, text: bytes) -> None:
    store.http.write(
        "POST", store.update_url or "", content=text, content_type="application/sparql-update"
    )
