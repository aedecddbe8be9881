"""Serialising triples for people's tools: pyoxigraph for speed, compact JSON-LD via rdflib."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import Graph

from commons_graph.rdf.conversion import rdflib_graph
from commons_graph.rdf.formats import Format
from commons_graph.rdf.prefixes import PREFIXES

# `cgid:organisation\/ouishare` is legal Turtle but unreadable: minted IRIs are written whole.
_SKIPPED_PREFIXES = frozenset({"cgid"})


def used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """The project prefixes whose namespace some IRI of `triples` is in."""
    iris = {
        term.value
        for triple in triples
        for term in (triple.subject, triple.predicate, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    for triple in triples:
        if isinstance(triple.object, ox.Literal):
            iris.add(triple.object.datatype.value)
    return {
        name: namespace
        for name, namespace in PREFIXES.items()
        if name not in _SKIPPED_PREFIXES and any(iri.startswith(namespace) for iri in iris)
    }


def serialise(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    """`triples` in `fmt`; JSON-LD comes compacted with an inline context of prefixes."""
    listed = list(triples)
    prefixes = used_prefixes(listed)
    if fmt.name == "jsonld":
        graph = rdflib_graph(listed, Graph())
        # The context is inline: a JSON-LD processor never has to fetch anything.
        text = graph.serialize(format="json-ld", context=prefixes, auto_compact=True)
        return json.dumps(json.loads(text), ensure_ascii=False, indent=2).encode()
    if fmt.name in ("ntriples", "nquads"):
        return ox.serialize(listed, format=fmt.oxigraph) or b""
    return ox.serialize(listed, format=fmt.oxigraph, prefixes=prefixes) or b""
