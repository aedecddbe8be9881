"""Public queries on a remote store: forwarded to the SPARQL server, within time and row limits.

The remote server evaluates the query itself, with its own parser and whatever SERVICE handler
it has: this process cannot take the network away from it. So before forwarding, rdflib reads
the query and one that uses SERVICE, or that mentions `service` and cannot be read, is refused
(sparql/safety.py, failing closed); that is defence in depth, and docs/security.md asks the
deployer to deny the SPARQL server any outbound connection. Graphs named by the dataset
parameters or FROM are passed on as given: the server reads those it does not hold as empty.

The server's answer is passed on byte for byte in the format it chose from the client's
Accept. Only a body big enough to hold more than `max_rows` rows is parsed (as it streams in),
and only a truncated one is serialised again.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections.abc import Iterator

import httpx
import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.rdf.formats import (
    Format,
    ResultFormat,
    UnknownFormatError,
    rdf_format_for_media_type,
    result_format,
)
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.sparql.executor import (
    NotAcceptableError,
    QueryAnswer,
    QueryExecutor,
    QueryRequest,
    QueryTimeoutError,
)
from commons_graph.sparql.negotiation import (
    ALL_MEDIA_TYPES,
    GRAPH_MEDIA_TYPES,
    SOLUTION_MEDIA_TYPES,
    choose_graph_format,
    choose_solutions_format,
)
from commons_graph.sparql.results import write_select
from commons_graph.sparql.safety import check_service
from commons_graph.store.base import Store
from commons_graph.store.errors import QuerySyntaxError, StoreError
from commons_graph.store.http import ResponseReader, ServerStatusError, ServerTimeoutError
from commons_graph.store.remote import RemoteStore
from commons_graph.store.sparql_text import query_form
from commons_graph.store.union import server_kind

# The fewest bytes one row (or triple) takes in each format: a body shorter than
# max_rows * this cannot hold more than max_rows rows, so it is passed on without parsing.
_MIN_ROW_BYTES = {"json": 2, "xml": 9, "ntriples": 20, "nquads": 20}

# Servers whose `timeout` request parameter (in seconds) stops the query on their side.
# Virtuoso's `timeout` is different: it returns the partial results found so far ("anytime
# queries"), which would pass a cut answer off as complete; it is not sent.
_TIMEOUT_PARAMETER = frozenset({"fuseki", "graphdb"})

# Result formats whose blank node labels are rewritten when the server needs it (dialect.py).
_REWRITTEN = frozenset({"application/sparql-results+json", "application/sparql-results+xml"})


class _DeadlinePassed(Exception):
    """Raised from inside a streaming parse when the time limit runs out."""


class RemoteExecutor(QueryExecutor):
    """Forwards public queries to the remote store's SPARQL server."""

    def __init__(self, settings: Settings, store: Store) -> None:
        if not isinstance(store, RemoteStore):
            raise TypeError(f"the remote executor needs a RemoteStore, not {type(store).__name__}")
        self.settings = settings
        self.store = store

    def execute(self, request: QueryRequest, timeout: float, max_rows: int) -> QueryAnswer:
        """Send `request` to the server, stop waiting after `timeout` s, keep `max_rows` rows."""
        deadline = time.monotonic() + timeout
        shape = check_service(request.query, fail_closed=True)
        # The formats the embedded backend would answer with, one per query form: the server
        # picks between them by the query's form, so both backends answer alike.
        solutions = choose_solutions_format(request.accept)
        graph = choose_graph_format(request.accept)
        choices = [c for c in (solutions, graph) if c is not None]
        if not choices:
            raise NotAcceptableError(ALL_MEDIA_TYPES)
        # Only the format of the query's own form, when it is known: Virtuoso answers a
        # CONSTRUCT in the first format listed, a results format included.
        form = query_form(request.query)
        if not form:
            # Not a query (an update such as LOAD spelled as one): refused here, as the
            # embedded store's parser does; Virtuoso would parse it and answer 500.
            raise QuerySyntaxError("sparql.error.not_a_query")
        if form in ("CONSTRUCT", "DESCRIBE"):
            if graph is None:
                raise NotAcceptableError(GRAPH_MEDIA_TYPES)
            choices = [graph]
        elif form in ("SELECT", "ASK"):
            if solutions is None:
                raise NotAcceptableError(SOLUTION_MEDIA_TYPES)
            choices = [solutions]
        accept = ", ".join(c.format.media_type for c in choices)
        params = self._params(request, timeout, shape.dataset)
        rewriter = self.store.rewriter
        try:
            with self.store.http.read(
                self.store.query_url, data=params, accept=accept, timeout=timeout
            ) as response:
                media_type = response.headers.get("content-type", "application/octet-stream")
                bare = media_type.split(";")[0].strip().lower()
                chosen = next((c for c in choices if c.format.media_type == bare), None)
                chunks = _until(deadline, response.iter_bytes())
                if rewriter is not None and bare in _REWRITTEN:
                    # Blank node labels the parsers (and clients) can read, as on the embedded
                    # store: b10001 rather than Virtuoso's nodeID://b10001.
                    chunks = rewriter.chunks(chunks)
                answer = _limit(chunks, media_type, max_rows)
        except (_DeadlinePassed, ServerTimeoutError):
            raise QueryTimeoutError("sparql.error.ran_too_long", seconds=f"{timeout:g}") from None
        except ServerStatusError as error:
            if error.status != 406:
                raise
            # Only one query form was acceptable, and the query is of the other one.
            offered = SOLUTION_MEDIA_TYPES if graph is not None else GRAPH_MEDIA_TYPES
            raise NotAcceptableError(offered) from None
        except httpx.HTTPError as error:
            url = self.store.query_url
            raise StoreError("sparql.error.broke_off", url=url, detail=str(error)) from None
        answer = _as_boolean(answer, self.store.dialect.ask_variable)
        if chosen is None:
            return answer
        return QueryAnswer(answer.body, chosen.content_type, answer.truncated)

    def _params(
        self, request: QueryRequest, timeout: float, names_dataset: bool
    ) -> list[tuple[str, str]]:
        """The protocol parameters: the query, its dataset (the protocol's graphs, else the
        query's FROM, else the union of all graphs), and the server-side time limit."""
        params = [("query", request.query)]
        if request.default_graphs or request.named_graphs:
            params += [("default-graph-uri", g) for g in request.default_graphs]
            params += [("named-graph-uri", g) for g in request.named_graphs]
        elif not names_dataset:
            params += self.store.union_params()
        if server_kind(self.store.http.server) in _TIMEOUT_PARAMETER:
            params.append(("timeout", f"{timeout:g}"))
        return params


def _as_boolean(answer: QueryAnswer, ask_variable: str) -> QueryAnswer:
    """An ASK the server answered as solutions of `ask_variable`, as the boolean result the
    protocol says (JSON or XML); any other answer unchanged."""
    bare = answer.media_type.split(";")[0].strip().lower()
    if not ask_variable or answer.truncated or len(answer.body) > 4096:
        return answer
    if bare == "application/sparql-results+json":
        try:
            parsed = json.loads(answer.body)
            if parsed["head"]["vars"] != [ask_variable]:
                return answer
            value = bool(parsed["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            return answer
        body = json.dumps({"head": {}, "boolean": value}).encode()
        return QueryAnswer(body, answer.media_type)
    if (
        bare == "application/sparql-results+xml"
        and f'name="{ask_variable}"'.encode() in answer.body
    ):
        value = b"<result>" in answer.body
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
        return QueryAnswer(body, answer.media_type)
    return answer


def _until(deadline: float, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks of a body, raising _DeadlinePassed once the deadline is behind us."""
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise _DeadlinePassed
        yield chunk


def _limit(chunks: Iterator[bytes], media_type: str, max_rows: int) -> QueryAnswer:
    """The answer as received, or its first `max_rows` rows when it has more."""
    bare = media_type.split(";")[0].strip().lower()
    rdf = rdf_format_for_media_type(bare)
    results: ResultFormat | None = None
    if rdf is None:
        try:
            results = result_format(bare)
        except UnknownFormatError:
            results = None
    name = rdf.name if rdf is not None else results.name if results is not None else ""
    small = max_rows * _MIN_ROW_BYTES.get(name, 1)
    head: list[bytes] = []
    size = 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > small:
            break
    else:
        return QueryAnswer(b"".join(head), media_type)
    if rdf is None and results is None:
        raise StoreError("sparql.error.no_row_limit", media_type=bare or "no media type")
    reader = ResponseReader(itertools.chain(head, chunks), keep=True)
    try:
        if rdf is not None:
            cut = _cut_triples(reader, rdf, max_rows)
        elif results is not None and results.name == "csv":
            cut = _cut_csv(reader, max_rows)
        else:
            cut = _cut_solutions(reader, results, max_rows)  # type: ignore[arg-type]
    except SyntaxError as error:
        raise StoreError("sparql.error.unreadable", media_type=bare, detail=str(error)) from None
    if cut is None:
        return QueryAnswer(reader.drain(), media_type)
    return QueryAnswer(cut, media_type, truncated=True)


def _cut_solutions(reader: ResponseReader, fmt: ResultFormat, max_rows: int) -> bytes | None:
    """The first `max_rows` solutions re-serialised, or None when there are no more than that."""
    parsed = ox.parse_query_results(reader.file, format=fmt.oxigraph)
    if isinstance(parsed, ox.QueryBoolean):
        return None
    variables = [v.value for v in parsed.variables]
    rows = [tuple(s[v] for v in variables) for s in itertools.islice(parsed, max_rows + 1)]
    if len(rows) <= max_rows:
        return None
    return write_select(variables, rows[:max_rows], fmt)


def _cut_triples(reader: ResponseReader, fmt: Format, max_rows: int) -> bytes | None:
    """The first `max_rows` triples re-serialised, or None when there are no more than that."""
    quads = list(itertools.islice(ox.parse(reader.file, format=fmt.oxigraph), max_rows + 1))
    if len(quads) <= max_rows:
        return None
    kept = quads[:max_rows] if fmt.supports_datasets else [q.triple for q in quads[:max_rows]]
    prefixes = None if fmt.name in ("ntriples", "nquads") else PREFIXES
    return ox.serialize(kept, format=fmt.oxigraph, prefixes=prefixes) or b""


def _cut_csv(reader: ResponseReader, max_rows: int) -> bytes | None:
    """The header and first `max_rows` CSV records, or None when there are no more than that."""
    text = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8", newline="")
    records = list(itertools.islice(csv.reader(text), max_rows + 2))
    if len(records) <= max_rows + 1:
        return None
    output = io.StringIO()
    csv.writer(output, lineterminator="\r\n").writerows(records[: max_rows + 1])
    return output.getvalue().encode("utf-8")
