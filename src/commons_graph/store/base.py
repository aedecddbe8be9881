"""The one store interface that every backend implements."""

from __future__ import annotations

import functools
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import NamedNode, Quad, Triple

from commons_graph.rdf.formats import Format
from commons_graph.store.changes import ChangeSet
from commons_graph.store.errors import QuerySyntaxError
from commons_graph.store.listeners import ChangeListener, ChangeRecorder, notify
from commons_graph.store.results import QueryResult, SelectResult, Term
from commons_graph.store.sealing import refuse_sealed_graphs
from commons_graph.store.text import Stream, text_quads


def _refusing_sealed_target(load: Callable[..., int]) -> Callable[..., int]:
    """Wrap a backend's `load_graph` so that it refuses a sealed graph before reading."""

    @functools.wraps(load)
    def guarded(self: Store, graph: NamedNode, *args: Any, **kwargs: Any) -> int:
        refuse_sealed_graphs([graph])
        return load(self, graph, *args, **kwargs)

    return guarded


# How deep in write calls each thread is: commit_checked may call commit, and a backend's
# load_graph may commit too; only the outermost call is one write to tell listeners of.
_DEPTH = threading.local()


def _counting_writes(write: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a backend's write method so that every call, even a failed one, bumps `generation`,
    and the outermost successful one is told to the store's change listeners."""

    @functools.wraps(write)
    def counted(self: Store, *args: Any, **kwargs: Any) -> Any:
        depth = getattr(_DEPTH, "value", 0)
        recorder = ChangeRecorder(write.__name__, args, kwargs)
        _DEPTH.value = depth + 1
        try:
            result = write(self, *recorder.args, **recorder.kwargs)
        except BaseException:
            self.generation += 1
            raise
        finally:
            _DEPTH.value = depth
        # The listeners (indexes kept in step) first, then the new generation: whatever is
        # keyed by the generation (response cache, derived values) and read after the bump sees
        # the store and its indexes both up to date.
        if depth == 0 and self.change_listeners:
            notify(self, self.change_listeners, recorder.change())
        self.generation += 1
        return result

    return counted


class Store(ABC):
    """A quad store: SPARQL queries, atomic writes, named graphs, bulk load and export."""

    # Bumped after every write made through this object, so that caches and query snapshots
    # know when to refresh; a store others may write to too (a remote server) says so.
    generation: int = 0
    sees_all_writes: bool = True
    # Called after every successful write (see store/listeners.py), in the writer's thread.
    change_listeners: tuple[ChangeListener, ...] = ()

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Call `listener(store, change)` after each successful write through this object."""
        self.change_listeners = (*self.change_listeners, listener)

    def remove_change_listener(self, listener: ChangeListener) -> None:
        """Stop calling `listener`."""
        self.change_listeners = tuple(x for x in self.change_listeners if x is not listener)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Bulk and streaming loads may bypass ChangeSet: refuse a sealed target graph up front.
        if "load_graph" in cls.__dict__:
            load = _counting_writes(cls.__dict__["load_graph"])
            cls.load_graph = _refusing_sealed_target(load)  # type: ignore[method-assign]
        for name in ("commit", "commit_checked"):
            if name in cls.__dict__:
                setattr(cls, name, _counting_writes(cls.__dict__[name]))

    @abstractmethod
    def query(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Run any SPARQL query with variables bound to `bindings` (terms, never text)."""

    def select(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> SelectResult:
        """Run a SELECT query."""
        result = self.query(query, bindings, union_default_graph=union_default_graph)
        if not isinstance(result, SelectResult):
            raise QuerySyntaxError("store.expected_select")
        return result

    def ask(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> bool:
        """Run an ASK query."""
        result = self.query(query, bindings, union_default_graph=union_default_graph)
        if not isinstance(result, bool):
            raise QuerySyntaxError("store.expected_ask")
        return result

    def construct(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        result = self.query(query, bindings, union_default_graph=union_default_graph)
        if not isinstance(result, list):
            raise QuerySyntaxError("store.expected_graph")
        return result

    @abstractmethod
    def commit(self, changes: ChangeSet) -> None:
        """Apply `changes` in one transaction: all of it is stored, or none."""

    def commit_checked(
        self,
        changes: ChangeSet,
        check: Callable[[], ChangeSet],
        *,
        stream: Stream | None = None,
    ) -> None:
        """Apply `changes`, then insert the statements of `stream`, amended by what `check()`
        returns (called once `stream` is exhausted), all or nothing.

        For large writes produced piece by piece whose last corrections take time to find (an
        import's rows, then its validation): a backend may write each piece as it comes and
        while `check` runs, then the amendment; if anything fails, even `stream` itself,
        nothing is stored. Blank nodes are written as new ones, as by SPARQL Update.
        """
        inserted = list(changes.insert)
        if stream is not None:
            for piece in stream.pieces:
                inserted.extend(text_quads(piece, stream.graph))
        self.commit(replace(changes, insert=inserted).amended(check()))

    @abstractmethod
    def load_graph(self, graph: NamedNode, path: Path, fmt: Format, *, replace: bool = True) -> int:
        """Load the file at `path` into `graph` (replacing it by default); returns the count.

        All or nothing: a syntax error anywhere in the file leaves the store unchanged.
        """

    @abstractmethod
    def quads(self, graph: NamedNode | None = None) -> Iterable[Quad]:
        """Every quad of `graph`, or of the whole store."""

    @abstractmethod
    def dump(self, output: BinaryIO, fmt: Format, graph: NamedNode | None = None) -> None:
        """Write the whole store (or one graph) to `output` in `fmt`."""

    @abstractmethod
    def named_graphs(self) -> list[NamedNode]:
        """The named graphs in the store."""

    @abstractmethod
    def count(self, graph: NamedNode | None = None) -> int:
        """The number of quads in the store, or in one graph."""

    @abstractmethod
    def describe_location(self) -> str:
        """Where the store is, for messages (a path or a URL)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release the store's resources."""

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple | Quad]) -> None:
        """Atomically replace the content of `graph` by `triples`."""
        self.commit(ChangeSet().replace_graph(graph, triples))

    def drop_graph(self, graph: NamedNode) -> None:
        """Atomically remove `graph` and everything in it."""
        self.commit(ChangeSet(drop_graphs=[graph]))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
