"""Turning a pyoxigraph query result into bytes in the negotiated format, rows capped."""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from commons_graph.rdf.formats import Format, ResultFormat
from commons_graph.sparql.executor import QueryAnswer
from commons_graph.sparql.negotiation import choose_graph_format, choose_solutions_format
from commons_graph.sparql.results import json_rows, write_boolean, write_select

# SELECT answers up to this size are written as JSON by Oxigraph's writer (~40% of a light
# query's CPU in a worker less than building the rows as Python terms); past it, or when the
# rows cannot be counted in the bytes, `serialise_result` writes them, capped.
NATIVE_JSON_BYTES = 1 << 20


class _Full(Exception):
    """Raised by `_CappedSink` into Oxigraph's writer: the answer is too large for it."""


class _CappedSink:
    """A binary output that keeps at most `cap` bytes, then stops the writer."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.cap:
            raise _Full
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        """Nothing buffered here."""


def native_json(result: ox.QuerySolutions, max_rows: int) -> bytes | None:
    """`result` written as SPARQL JSON by Oxigraph, if it is at most NATIVE_JSON_BYTES long,
    has at most `max_rows` rows and every row binds a variable (so `json_rows` counts them);
    else None, and `result` is spent (evaluate the query again for `serialise_result`)."""
    sink = _CappedSink(NATIVE_JSON_BYTES)
    try:
        # Oxigraph calls only `write` (and `flush`) on the output.
        result.serialize(sink, format=ox.QueryResultsFormat.JSON)  # type: ignore[arg-type]
    except _Full:
        return None
    body = b"".join(sink.parts)
    # `{}` is a row binding nothing (or, in a value, such text: a false alarm costs only the
    # slower writer).
    if b"{}" in body or json_rows(body) > max_rows:
        return None
    return body


@dataclass(frozen=True)
class NotAcceptable:
    """The client accepts no format for this query form; `offered` lists what would do."""

    offered: tuple[str, ...]


def serialise_result(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, accept: str, max_rows: int
) -> QueryAnswer | NotAcceptable:
    """Serialise `result` for a client sending `accept`, keeping at most `max_rows` rows."""
    if isinstance(result, ox.QueryTriples):
        return _serialise_triples(result, accept, max_rows)
    choice = choose_solutions_format(accept)
    if choice is None:
        from commons_graph.sparql.negotiation import SOLUTION_MEDIA_TYPES

        return NotAcceptable(SOLUTION_MEDIA_TYPES)
    assert isinstance(choice.format, ResultFormat)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer(write_boolean(bool(result), choice.format), choice.content_type)
    variables = tuple(v.value for v in result.variables)
    # Materialising one row past the cap tells whether the result was cut. pyoxigraph's own
    # serialiser cannot stop after n rows; ours is slower on big results (see docs/sparql.md).
    rows = [tuple(solution) for solution in islice(result, max_rows + 1)]
    truncated = len(rows) > max_rows
    if truncated:
        del rows[max_rows:]
    body = write_select(variables, rows, choice.format)
    return QueryAnswer(body, choice.content_type, truncated)


def _serialise_triples(
    result: ox.QueryTriples, accept: str, max_rows: int
) -> QueryAnswer | NotAcceptable:
    """CONSTRUCT and DESCRIBE results, capped at `max_rows` triples."""
    choice = choose_graph_format(accept)
    if choice is None:
        from commons_graph.sparql.negotiation import GRAPH_MEDIA_TYPES

        return NotAcceptable(GRAPH_MEDIA_TYPES)
    triples = list(islice(result, max_rows + 1))
    truncated = len(triples) > max_rows
    if truncated:
        del triples[max_rows:]
    buffer = io.BytesIO()
    fmt = choice.format
    assert isinstance(fmt, Format)
    # Imported here: the prefixes come from rdflib namespaces, which SELECT-only workers skip.
    from commons_graph.rdf.prefixes import PREFIXES

    prefixes = None if fmt.name == "ntriples" else PREFIXES
    ox.serialize(triples, buffer, fmt.oxigraph, prefixes=prefixes)
    return QueryAnswer(buffer.getvalue(), choice.content_type, truncated)
