"""Making a SPARQL server query the union of its named graphs, whatever its default graph is.

The project keeps every triple in a named graph, and its queries expect the default graph to be
the union of them all (pyoxigraph's `use_default_graph_as_union`). Servers differ:

* Oxigraph server takes a `union-default-graph` protocol parameter (PARAMETER);
* Virtuoso, GraphDB and Fuseki with `unionDefaultGraph` already query the union (NATIVE);
* any other server is given the union explicitly through the SPARQL 1.1 Protocol dataset
  parameters, every named graph as a `default-graph-uri` and a `named-graph-uri` (DATASET):
  standard and correct everywhere, but it lists the graphs before each query.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commons_graph.store.remote import RemoteStore

# One named-graph triple without blank nodes (a blank node in a query is a variable, so it
# could not be looked up again in the default graph).
_PROBE = """
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(!isBlank(?s) && !isBlank(?o)) } LIMIT 1
"""
_IN_DEFAULT_GRAPH = "ASK { ?s ?p ?o }"


def server_kind(header: str | None) -> str:
    """The server software from its `Server` header: oxigraph, fuseki, virtuoso, graphdb, other."""
    text = (header or "").lower()
    for kind in ("oxigraph", "fuseki", "virtuoso", "graphdb"):
        if kind in text:
            return kind
    return "other"


class UnionMode(enum.Enum):
    """How a server is made to answer on the union of its named graphs."""

    PARAMETER = "parameter"
    NATIVE = "native"
    DATASET = "dataset"

    @classmethod
    def detect(cls, store: RemoteStore) -> UnionMode | None:
        """Find the mode by looking one named-graph triple up in the default graph.

        None while the server holds no named-graph triple to look up: the union is empty then,
        and the next query tries again.
        """
        probe = store.select_dataset(_PROBE)
        if server_kind(store.http.server) == "oxigraph":
            return cls.PARAMETER
        if not probe.rows:
            return None
        s, p, o = probe.rows[0]
        bindings = {"s": s, "p": p, "o": o}
        found = store.query(_IN_DEFAULT_GRAPH, bindings, union_default_graph=False)  # type: ignore[arg-type]
        return cls.NATIVE if found is True else cls.DATASET
