"""Writing a stream of quads in any dump format (what a store without a native dump does)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from commons_graph.rdf.formats import Format
from commons_graph.rdf.prefixes import PREFIXES


def write_quads(quads: Iterable[ox.Quad], output: BinaryIO, fmt: Format) -> None:
    """Serialise `quads` to `output` in `fmt`; triple formats get the union of their graphs."""
    prefixes = None if fmt.name in ("ntriples", "nquads") else PREFIXES
    if fmt.supports_datasets:
        ox.serialize(quads, output, fmt.oxigraph, prefixes=prefixes)
    else:
        # Triple formats get the union of all graphs: what a SPARQL client sees.
        ox.serialize((q.triple for q in quads), output, fmt.oxigraph, prefixes=prefixes)
