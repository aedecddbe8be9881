"""The embedded backend: pyoxigraph on disk (RocksDB), persistent and transactional."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from commons_graph.formats import Format
from commons_graph.prefixes import PREFIXES
from commons_graph.rdfio import parse_rdf
from commons_graph.store.base import (
    ChangeSet,
    QueryResult,
    QuerySyntaxError,
    SelectResult,
    Store,
    StoreError,
    Term,
    bind,
    file_changes,
)

# Above this size a file is checked in a first streaming pass and then bulk-loaded, instead of
# being held in memory: a million parsed quads as Python objects would take about a gigabyte.
_STREAMING_LOAD_BYTES = 32 * 1024 * 1024


class EmbeddedStore(Store):
    """A pyoxigraph store in a folder on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreError(
                    f"the store at {path} is in use by another process "
                    "(is `commons-graph serve` running on it?)"
                ) from None
            raise StoreError(f"cannot open the store at {path}: {error}") from None

    @property
    def native(self) -> ox.Store:
        """The underlying pyoxigraph store, for code that needs its fast paths."""
        return self._store

    def query(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Run any SPARQL query with variables bound to `bindings`."""
        try:
            result = self._store.query(
                bind(query, bindings), use_default_graph_as_union=union_default_graph
            )
        except SyntaxError as error:
            raise QuerySyntaxError(str(error)) from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return list(result)
        variables = tuple(v.value for v in result.variables)
        rows = [tuple(solution[v] for v in variables) for solution in result]
        return SelectResult(variables, rows)

    def commit(self, changes: ChangeSet) -> None:
        """Apply `changes` in one transaction: all of it is stored, or none."""
        if changes.is_empty():
            return
        # One SPARQL Update request is one RocksDB transaction in Oxigraph.
        try:
            self._store.update(changes.to_sparql_update())
        except (SyntaxError, OSError) as error:
            raise StoreError(
                f"the write to {self.path} failed, nothing was stored: {error}"
            ) from None

    def load_graph(
        self, graph: ox.NamedNode, path: Path, fmt: Format, *, replace: bool = True
    ) -> int:
        """Load the file at `path` into `graph` (replacing it by default); returns the count."""
        if path.stat().st_size > _STREAMING_LOAD_BYTES and not fmt.supports_datasets:
            return self._bulk_load_graph(graph, path, fmt, replace)
        changes = file_changes(graph, parse_rdf(path, fmt, base_iri=graph.value), replace=replace)
        self.commit(changes)
        return len(changes.insert)

    def _bulk_load_graph(self, graph: ox.NamedNode, path: Path, fmt: Format, replace: bool) -> int:
        """Load a large file: check it parses first, then bulk-load it into the graph."""
        count = sum(1 for _ in parse_rdf(path, fmt, base_iri=graph.value))
        if replace:
            self.drop_graph(graph)
        self._store.bulk_load(
            path=str(path), format=fmt.oxigraph, to_graph=graph, base_iri=graph.value
        )
        return count

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """Every quad of `graph`, or of the whole store."""
        return iter(self._store.quads_for_pattern(None, None, None, graph))

    def dump(self, output: BinaryIO, fmt: Format, graph: ox.NamedNode | None = None) -> None:
        """Write the whole store (or one graph) to `output` in `fmt`."""
        prefixes = None if fmt.name in ("ntriples", "nquads") else PREFIXES
        if graph is not None:
            self._store.dump(output, fmt.oxigraph, from_graph=graph, prefixes=prefixes)
        elif fmt.supports_datasets:
            self._store.dump(output, fmt.oxigraph, prefixes=prefixes)
        else:
            # Triple formats get the union of all graphs: what a SPARQL client sees.
            triples = (quad.triple for quad in self._store.quads_for_pattern(None, None, None))
            ox.serialize(triples, output, fmt.oxigraph, prefixes=prefixes)

    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs in the store."""
        return sorted(
            (g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)), key=str
        )

    def count(self, graph: ox.NamedNode | None = None) -> int:
        """The number of quads in the store, or in one graph."""
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph))

    def describe_location(self) -> str:
        """Where the store is, for messages."""
        return str(self.path)

    def checkpoint(self, target: Path) -> None:
        """Write a consistent read-only copy of the store to `target` (hard links, fast)."""
        self._store.flush()
        self._store.backup(str(target))

    def close(self) -> None:
        """Flush and release the store."""
        self._store.flush()
        del self._store
