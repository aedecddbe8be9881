"""Turning a pyoxigraph query result into bytes in the negotiated format, rows capped."""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from commons_graph.rdf.formats import Format, ResultFormat
from commons_graph.sparql.executor import QueryAnswer
from commons_graph.sparql.negotiation import choose_graph_format, choose_solutions_format
from commons_graph.sparql.results import write_boolean, write_select


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
