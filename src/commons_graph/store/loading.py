"""Loading RDF files into a store, each into its own named graph unless one is given."""

from __future__ import annotations

import re
from pathlib import Path

from pyoxigraph import NamedNode

from commons_graph.rdf.formats import rdf_format_for_path
from commons_graph.rdf.namespaces import GRAPH
from commons_graph.store.base import Store


def graph_for_file(path: Path) -> NamedNode:
    """The named graph a file goes to when none is given: one per file name."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", path.name).strip("-") or "file"
    return NamedNode(GRAPH + f"file/{slug}")


def load_file(
    store: Store, path: Path, graph: NamedNode | None = None, replace: bool = True
) -> int:
    """Load one file, all or nothing, into `graph` or its own graph; returns the triple count."""
    fmt = rdf_format_for_path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    return store.load_graph(graph or graph_for_file(path), path, fmt, replace=replace)
