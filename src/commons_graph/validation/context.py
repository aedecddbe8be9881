"""What validation reads from the store besides the data: the types of what it points at."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from commons_graph.rdf.conversion import rdflib_graph
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block


def types_from_store(store: Store, iris: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    """The rdf:type statements the store holds about `iris`, in one query (sh:class needs them)."""
    wanted = sorted(set(iris), key=str)
    if not wanted:
        return []
    # The VALUES block inside the pattern: some servers (Virtuoso) refuse one after a CONSTRUCT.
    query = (
        f"CONSTRUCT {{ ?r a ?t }} WHERE {{ {values_block('r', wanted)} ?r a ?t FILTER(isIRI(?t)) }}"
    )
    return store.construct(query)


def context_from_store(store: Store, data: Graph) -> Graph:
    """The types, from the store, of the resources `data` refers to but does not type itself."""
    typed = set(data.subjects(RDF.type, None))
    referenced = {o for o in data.objects() if isinstance(o, URIRef) and o not in typed}
    return rdflib_graph(types_from_store(store, (ox.NamedNode(str(o)) for o in referenced)))


def store_graph(store: Store) -> Graph:
    """The whole store as one rdflib graph, for batch validation."""
    return rdflib_graph(store.quads())
