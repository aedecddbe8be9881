"""Reading every quad of a remote store, or of one graph, at the least cost to the server.

Servers write N-Triples far more cheaply than SPARQL JSON results: for the 14,000-quad seed,
Virtuoso 7.2 spends 0.96 s of CPU on `SELECT ?s ?p ?o ?g` as JSON and 0.24 s on the same
quads as N-Triples, one `CONSTRUCT` per graph (its XML drops literals' trailing whitespace,
and its TSV and CSV results do not tell IRIs from literals: neither can stand in for JSON).
A `CONSTRUCT` names no graph, so it reads one graph at a time; one request per graph would
cost more than it saves on a store of thousands of small graphs (each contribution is one),
so only graphs of at least `LARGE_GRAPH_QUADS` quads are read that way, and all the others,
the default graph included, in one `SELECT` as before. Every graph is read exactly once, by
one path or the other: the second query leaves out only the graphs the first part read. The
answers' terms are the same either way (tests/store/test_remote_reading.py compares both on
hostile literals, blank nodes shared between graphs and every backend).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from commons_graph.rdf.formats import rdf_format_for_media_type
from commons_graph.store.errors import StoreError
from commons_graph.store.http import ResponseReader, reading_answer
from commons_graph.store.union import server_kind

if TYPE_CHECKING:
    from commons_graph.store.remote import RemoteStore

# A graph of at least this many quads is read on its own as N-Triples. A request costs
# Virtuoso about 5 ms; a quad as JSON about 50 µs more than as N-Triples.
LARGE_GRAPH_QUADS = 100
# At most this many graphs are read on their own (the rest together): the second query lists
# them in a FILTER, whose length stays bounded.
MAX_LARGE_GRAPHS = 500

_ACCEPT_NTRIPLES = "application/n-triples"
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_WKT_LITERAL = ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")


def large_graphs(store: RemoteStore) -> list[ox.NamedNode]:
    """The named graphs worth a request of their own (the largest first, at most
    `MAX_LARGE_GRAPHS`). GROUP BY, not DISTINCT: Virtuoso's graph security (named_graphs)."""
    sizes: list[tuple[int, ox.NamedNode]] = []
    for graph, count in store.select_dataset(_GRAPH_SIZES).rows:
        if not isinstance(graph, ox.NamedNode) or not isinstance(count, ox.Literal):
            continue
        size = int(count.value)
        if size >= LARGE_GRAPH_QUADS:
            sizes.append((size, graph))
    sizes.sort(key=lambda item: (-item[0], item[1].value))
    return [graph for _, graph in sizes[:MAX_LARGE_GRAPHS]]


def graph_quads(store: RemoteStore, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """Every quad of `graph`, as N-Triples streamed from the server and parsed as they arrive."""
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    # The server's own geometry datatype (Virtuoso) is read back as geo:wktLiteral, as the
    # JSON answers' rewriter does (store/dialect.py).
    wkt = store.dialect.wkt_datatype
    from_datatype = ox.NamedNode(wkt) if wkt else None
    with store.http.read(
        store.query_url, data=[("query", query)], accept=_ACCEPT_NTRIPLES
    ) as response:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        fmt = rdf_format_for_media_type(media_type)
        if fmt is None:
            raise StoreError(
                "store.unreadable_results_of",
                url=store.query_url,
                media_type=media_type or "no media type",
                detail="a graph was asked for",
            )
        reader = ResponseReader(response.iter_bytes())
        with reading_answer(store.query_url):
            for parsed in ox.parse(reader.file, format=fmt.oxigraph, without_named_graphs=True):
                value = parsed.object
                if (
                    from_datatype is not None
                    and isinstance(value, ox.Literal)
                    and value.datatype == from_datatype
                ):
                    value = ox.Literal(value.value, datatype=_WKT_LITERAL)
                yield ox.Quad(parsed.subject, parsed.predicate, value, graph)


def stable_blank_nodes(store: RemoteStore) -> bool:
    """Whether the server names a stored blank node the same in every answer, so that the
    answers of several requests can be put together: Oxigraph writes its stored identifiers,
    and a server that prefixes its labels (Virtuoso's `nodeID://b10001`) names the node itself,
    as the store relies on anyway when it binds one in a query (store/dialect.py). Others (Jena
    Fuseki) number the blank nodes of each answer afresh: `_:b0` of one answer and `_:b0` of
    the next may be different nodes, so every quad is read in one answer there."""
    return bool(store.dialect.blank_node_prefix) or server_kind(store.http.server) == "oxigraph"


def all_quads(store: RemoteStore, pattern: str) -> Iterator[ox.Quad]:
    """Every quad of the store: where blank nodes keep their names from one answer to the
    next, the large graphs one by one as N-Triples, then the rest (the default graph's
    included, ?g unbound in `pattern`) in one SELECT; elsewhere all in that one SELECT."""
    large = large_graphs(store) if stable_blank_nodes(store) else []
    for graph in large:
        yield from graph_quads(store, graph)
    rest = pattern
    if large:
        listed = ", ".join(str(graph) for graph in large)
        rest = f"{pattern} FILTER(!BOUND(?g) || ?g NOT IN ({listed}))"
    yield from store.stream_solutions(f"SELECT ?s ?p ?o ?g WHERE {{ {rest} }}")
