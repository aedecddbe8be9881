"""The embedded backend: pyoxigraph on disk (RocksDB), persistent and transactional."""

from __future__ import annotations

import itertools
import logging
import shutil
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from commons_graph.rdf.formats import Format
from commons_graph.rdf.parsing import RdfSyntaxError, parse_rdf
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet, file_changes
from commons_graph.store.errors import QuerySyntaxError, StoreError
from commons_graph.store.parallel_load import bulk_load_file
from commons_graph.store.results import QueryResult, SelectResult, Term
from commons_graph.store.sealing import refuse_sealed_graphs
from commons_graph.store.sparql_text import bind, values_block
from commons_graph.store.text import Stream, text_format

log = logging.getLogger(__name__)

# Above this size a file is bulk-loaded straight from disk instead of being parsed into Python
# objects first: a million parsed quads would take about a gigabyte.
_STREAMING_LOAD_BYTES = 32 * 1024 * 1024

# From this many inserted quads a write goes through Oxigraph's bulk loader, about three times
# faster than one transaction (172k quads of the Co-operatives UK import: 1.2 s instead of
# 3.8 s), and is made all-or-nothing by a checkpoint put back if it fails (`_restorable`).
_BULK_INSERT_QUADS = 20_000

# Formats the bulk loader may read straight from a file: RDF/XML goes through `parse_rdf`, which
# refuses DOCTYPE and ENTITY declarations.
_BULK_FILE_FORMATS = frozenset({"ntriples", "nquads", "turtle", "trig"})


class EmbeddedStore(Store):
    """A pyoxigraph store in a folder on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._checkpoint = path.with_name(path.name + ".rollback")
        if self._checkpoint.is_dir() and not path.exists():
            self._checkpoint.rename(path)  # a rollback stopped between its two renames
        self._store = _open(path)
        if self._checkpoint.is_dir():
            log.warning("%s: an interrupted bulk write is undone", path)
            self._put_back_checkpoint()

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
            raise QuerySyntaxError("store.query_syntax", detail=str(error)) from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QueryTriples):
            return list(result)
        variables = tuple(v.value for v in result.variables)
        # A solution iterates over its values in the order of the variables, None for one
        # unbound (pyoxigraph: "unpacking also works"): indexing it by each name took about
        # twice as long (100k rows of 4 variables in memory: 0.58-0.71 s against 0.28-0.34 s).
        rows = [tuple(solution) for solution in result]
        return SelectResult(variables, rows)

    def commit(self, changes: ChangeSet) -> None:
        """Apply `changes` all or nothing: in one transaction, or in bulk under a checkpoint."""
        if changes.is_empty():
            return
        if len(changes.insert) >= _BULK_INSERT_QUADS and not changes.seal_graphs:
            self._commit_in_bulk(changes)
            return
        # One SPARQL Update request is one RocksDB transaction in Oxigraph.
        try:
            self._store.update(changes.to_sparql_update())
        except (SyntaxError, OSError) as error:
            raise StoreError(
                "store.write_failed", folder=str(self.path), detail=str(error)
            ) from None

    def commit_checked(
        self,
        changes: ChangeSet,
        check: Callable[[], ChangeSet],
        *,
        stream: Stream | None = None,
    ) -> None:
        """Apply `changes` and the statements of `stream`, amended by `check()`, all or
        nothing; a large write goes to the bulk loader in a second thread, piece by piece as
        they come and while `check` runs in this one."""
        pieces = iter(stream.pieces if stream is not None else ())
        # Pieces are gathered until they are worth the bulk loader (or run out).
        first: list[bytes] = []
        size = len(changes.insert)
        while size < _BULK_INSERT_QUADS and (piece := next(pieces, None)) is not None:
            first.append(piece)
            size += piece.count(b"\n")
        if size < _BULK_INSERT_QUADS or changes.seal_graphs:
            # Small (or creating a sealed graph): one transaction, as on any backend.
            rest = None if stream is None else Stream(stream.graph, itertools.chain(first, pieces))
            super().commit_checked(changes, check, stream=rest)
            return
        changes.check_sealed()
        if stream is not None:
            refuse_sealed_graphs([stream.graph])
        with (
            self._failing_as_store_error(),
            self._restorable(),
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-write") as pool,
        ):
            # Removals first, here: the bulk writes submitted below must come after them.
            self._remove(changes)
            nquads = ox.serialize(changes.insert, format=ox.RdfFormat.N_QUADS) or b""
            writes = [pool.submit(self._bulk_write, nquads, None)]
            try:
                for piece in itertools.chain(first, pieces):
                    assert stream is not None
                    writes.append(pool.submit(self._bulk_write, piece, stream.graph))
                amendment = check()
            except BaseException:
                pool.shutdown(cancel_futures=True)  # the checkpoint is put back once it stops
                raise
            for write in writes:
                write.result()
            if not amendment.is_empty():
                self._store.update(amendment.to_sparql_update())

    def _bulk_write(self, data: bytes, graph: ox.NamedNode | None) -> None:
        """Insert N-Triples `data` into `graph`, or N-Quads `data`, with the bulk loader.

        Given as text, it parses them without holding the GIL (Python objects would keep the
        other thread waiting: bulk_extend holds it throughout); lenient, since the terms were
        checked when they were made (~15% faster).
        """
        if data:
            self._store.bulk_load(data, text_format(graph), to_graph=graph, lenient=True)

    def _commit_in_bulk(self, changes: ChangeSet) -> None:
        """A large change: removals in a transaction, then the insertions by the bulk loader."""
        changes.check_sealed()
        with self._failing_as_store_error(), self._restorable():
            self._remove(changes)
            self._store.bulk_extend(changes.insert)

    @contextmanager
    def _failing_as_store_error(self) -> Iterator[None]:
        """Report Oxigraph's own errors in a write as a StoreError saying nothing was stored."""
        try:
            yield
        except (SyntaxError, OSError) as error:
            raise StoreError(
                "store.write_failed", folder=str(self.path), detail=str(error)
            ) from None

    def _remove(self, changes: ChangeSet) -> None:
        """The graph drops and deletions of `changes`, in one transaction."""
        removals = ChangeSet(drop_graphs=changes.drop_graphs, delete=changes.delete)
        if not removals.is_empty():
            self._store.update(removals.to_sparql_update())

    @contextmanager
    def _restorable(self) -> Iterator[None]:
        """Undo whatever the block wrote if it fails, or at the next opening if the process dies.

        Oxigraph's bulk loader is not transactional; a checkpoint of the store taken before
        (hard links to its immutable files: milliseconds) is put back in its place instead.
        Pages served by this process may see such a write in progress; query workers read
        their own checkpoints, and other processes cannot open the store meanwhile.
        """
        partial = self._checkpoint.with_name(self._checkpoint.name + "-partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(self._checkpoint, ignore_errors=True)
        self._store.flush()
        self._store.backup(str(partial))
        # Renamed only once complete: from here on, an opening that finds it undoes the write.
        partial.rename(self._checkpoint)
        try:
            yield
            self._store.flush()
        except BaseException as error:
            _release_frames(error)
            self._put_back_checkpoint()
            raise
        shutil.rmtree(self._checkpoint)

    def _put_back_checkpoint(self) -> None:
        """Replace the store by the checkpoint taken before the last bulk write."""
        del self._store  # the only reference: RocksDB is closed and its lock released
        discarded = self.path.with_name(self.path.name + ".discarded")
        shutil.rmtree(discarded, ignore_errors=True)
        self.path.rename(discarded)
        self._checkpoint.rename(self.path)
        shutil.rmtree(discarded)
        self._store = _open(self.path)

    def load_graph(
        self, graph: ox.NamedNode, path: Path, fmt: Format, *, replace: bool = True
    ) -> int:
        """Load the file at `path` into `graph` (replacing it by default); returns the count."""
        if path.stat().st_size > _STREAMING_LOAD_BYTES and fmt.name in _BULK_FILE_FORMATS:
            return self._bulk_load_file(graph, path, fmt, replace)
        changes = file_changes(graph, parse_rdf(path, fmt, base_iri=graph.value), replace=replace)
        self.commit(changes)
        return len(changes.insert)

    def _bulk_load_file(self, graph: ox.NamedNode, path: Path, fmt: Format, replace: bool) -> int:
        """Load a large file with the bulk loader, straight from disk, all or nothing."""
        filled = {graph}
        if fmt.supports_datasets:
            filled |= _graphs_named_in(path, fmt, graph.value)
        refuse_sealed_graphs(filled)
        before = len(self._store)
        with self._failing_as_store_error(), self._restorable():
            if replace:
                for target in filled:
                    self._store.remove_graph(target)
            try:
                bulk_load_file(self._store, path, fmt, graph, base_iri=graph.value)
            except SyntaxError as error:
                raise RdfSyntaxError("rdf.syntax", label=str(path), detail=str(error)) from None
        return len(self._store) - before if not replace else self._count_graphs(filled)

    def _count_graphs(self, graphs: set[ox.NamedNode]) -> int:
        """The number of quads in `graphs`, counted by Oxigraph."""
        block = values_block("g", sorted(graphs, key=str))
        result = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {block} GRAPH ?g {{ ?s ?p ?o }} }}")
        count = result.rows[0][0]
        return int(count.value) if isinstance(count, ox.Literal) else 0

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


def _release_frames(error: BaseException | None) -> None:
    """Drop the locals of the finished frames `error` (and what it was raised from) went
    through: one may hold the pyoxigraph store, which must be closed to be put back."""
    while error is not None:
        traceback.clear_frames(error.__traceback__)
        error = error.__context__


def _graphs_named_in(path: Path, fmt: Format, base_iri: str) -> set[ox.NamedNode]:
    """The named graphs a dataset file fills, which replacing it empties first.

    Read leniently since the load that follows checks the IRIs.
    """
    quads = parse_rdf(path, fmt, base_iri=base_iri, lenient=True)
    return {quad.graph_name for quad in quads if isinstance(quad.graph_name, ox.NamedNode)}


class StoreInUseError(StoreError):
    """Another process (a running `serve`) holds the embedded store's lock."""


def organisation_known_read_only(path: Path, iri: str) -> bool:
    """Whether the store in `path`, held by a running `serve`, types `iri` as an organisation.

    Opened read-only for one ASK and closed at once: RocksDB reads the files as they are (the
    server's writes since are not seen) and writes nothing, so the server is not disturbed.
    """
    from commons_graph.members.organisations import IS_ORGANISATION

    try:
        store = ox.Store.read_only(str(path))
        answer = store.query(
            IS_ORGANISATION,
            substitutions={ox.Variable("organisation"): ox.NamedNode(iri)},
            use_default_graph_as_union=True,  # as every query of the service reads it
        )
    except OSError as error:
        raise StoreError("store.cannot_read_served", folder=str(path), detail=str(error)) from None
    return bool(answer)


def _open(path: Path) -> ox.Store:
    """Open (or create) the store in folder `path`, with a clear error when it is in use."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as error:
        if "lock" in str(error).lower():
            raise StoreInUseError("store.in_use", folder=str(path)) from None
        raise StoreError("store.cannot_open", folder=str(path), detail=str(error)) from None
