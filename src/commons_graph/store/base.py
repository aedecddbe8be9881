"""The one store interface that every backend implements."""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from commons_graph.errors import BadInputError, CommonsGraphError, ConflictError
from commons_graph.rdf.formats import Format
from commons_graph.rdf.namespaces import GRAPH, ID

Term = NamedNode | BlankNode | Literal | Triple
Row = tuple[Term | None, ...]


class StoreError(CommonsGraphError):
    """The store could not be opened, read or written; the message says why in one line."""


class QuerySyntaxError(BadInputError):
    """A SPARQL query or update that does not parse."""


class SealedGraphError(ConflictError):
    """A write that would change a sealed (published, immutable) named graph."""

    status = 409


# Sealed graphs never change once created: every named graph under these prefixes holds a
# published #CodeSocial version (content or publication record). The guard lives here, in the
# one class every backend's writes go through, so no caller above the store can bypass it.
SEALED_GRAPH_PREFIXES: tuple[str, ...] = (str(GRAPH["codesocial/"]),)


def is_sealed_graph(graph: object) -> bool:
    """Whether `graph` is a sealed named graph (never dropped, deleted from or added to)."""
    return isinstance(graph, NamedNode) and graph.value.startswith(SEALED_GRAPH_PREFIXES)


def refuse_sealed_graphs(graphs: Iterable[object]) -> None:
    """Raise SealedGraphError if any of `graphs` is sealed (for writes outside ChangeSet)."""
    sealed = sorted({g.value for g in graphs if is_sealed_graph(g)})  # type: ignore[attr-defined]
    if sealed:
        raise SealedGraphError("store.sealed_graph", graphs=", ".join(sealed))


# What a sealed graph is about: `…/id/codesocial/<slug>/…` (versions, `latest`, their fragments).
# Statements about these are written by publishing only, into the sealed graphs it creates, so
# that nothing said elsewhere sits beside a published version in the public union.
_PUBLISHING_ONLY = re.compile(re.escape(str(ID["codesocial/"])) + r"[^/#]+/")


def refuse_publishing_only_subjects(quads: Iterable[Quad], creating: Iterable[object]) -> None:
    """Raise SealedGraphError if a quad outside the sealed graphs being created (`creating`)
    is about a #CodeSocial version IRI (for every write path, admins' included)."""
    sealed = set(creating)
    for quad in quads:
        subject = quad.subject
        if (
            isinstance(subject, NamedNode)
            and _PUBLISHING_ONLY.match(subject.value)
            and quad.graph_name not in sealed
        ):
            raise SealedGraphError("store.publishing_only", subject=subject.value)


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query, materialised."""

    variables: tuple[str, ...]
    rows: list[Row]

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as a mapping from variable name to bound term."""
        return [
            {
                var: value
                for var, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]


QueryResult = SelectResult | bool | list[Triple]
"""What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""


@dataclass
class ChangeSet:
    """One all-or-nothing write: graphs to drop, then quads to delete, then quads to insert."""

    drop_graphs: list[NamedNode] = field(default_factory=list)
    delete: list[Quad] = field(default_factory=list)
    insert: list[Quad] = field(default_factory=list)
    # Sealed graphs this change creates (publishing): their quads are inserted only if none of
    # them exists yet, checked by the server in the same transaction (see `to_sparql_update`).
    seal_graphs: list[NamedNode] = field(default_factory=list)

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple | Quad]) -> ChangeSet:
        """Add the replacement of `graph`'s content by `triples` to this change."""
        self.drop_graphs.append(graph)
        self.insert.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        return self

    def amended(self, amendment: ChangeSet) -> ChangeSet:
        """This change followed by `amendment` (which drops no graph), as one change."""
        if amendment.drop_graphs:
            raise ValueError("an amendment cannot drop graphs")
        taken_back = set(amendment.delete)
        return ChangeSet(
            drop_graphs=list(self.drop_graphs),
            # Deleting a quad that is not there does nothing: taking back one that was already
            # stored before this change still removes it, as applying both in turn would.
            delete=self.delete + amendment.delete,
            insert=[q for q in self.insert if q not in taken_back] + amendment.insert,
            seal_graphs=list(self.seal_graphs),
        )

    def is_empty(self) -> bool:
        """Whether committing this change would do nothing."""
        return not (self.drop_graphs or self.delete or self.insert)

    def check_sealed(self) -> None:
        """Refuse any drop, delete or insert touching a sealed graph, except its creation."""
        creating = set(self.seal_graphs)
        refuse_sealed_graphs(self.drop_graphs)
        # Each graph once: an import inserts hundreds of thousands of quads into one graph.
        refuse_sealed_graphs({q.graph_name for q in self.delete})
        refuse_sealed_graphs({q.graph_name for q in self.insert} - creating)
        refuse_publishing_only_subjects(self.insert, creating)

    def to_sparql_update(self) -> str:
        """This change as one SPARQL Update request (terms serialised, never pasted).

        Every backend's commit calls this, so it is where sealed graphs are protected.
        """
        self.check_sealed()
        creating = set(self.seal_graphs)
        plain = [q for q in self.insert if q.graph_name not in creating]
        sealed = [q for q in self.insert if q.graph_name in creating]
        parts = [f"DROP SILENT GRAPH {graph}" for graph in self.drop_graphs]
        if self.delete:
            parts.append("DELETE DATA {\n" + _quad_block(self.delete) + "}")
        if plain:
            parts.append("INSERT DATA {\n" + _quad_block(plain) + "}")
        if sealed:
            # Conditional on the server's state in the same transaction: when any of the graphs
            # already exists, nothing is inserted (a concurrent publisher got there first).
            graphs = " ".join(str(g) for g in self.seal_graphs)
            parts.append(
                "INSERT {\n" + _quad_block(sealed) + "} WHERE {\n"
                f"  FILTER NOT EXISTS {{ VALUES ?sealed {{ {graphs} }} "
                "GRAPH ?sealed { ?s ?p ?o } }\n}"
            )
        return " ;\n".join(parts)


_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind(query: str, bindings: Mapping[str, Term] | None) -> str:
    """`query` with a trailing VALUES clause binding each variable to its term.

    Terms are written in their N-Triples form by pyoxigraph, which escapes them, so a value
    can never change the query's structure: this binds terms, it does not paste strings.
    """
    if not bindings:
        return query
    names = list(bindings)
    for name in names:
        if not _VARIABLE_NAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    variables = " ".join(f"?{name}" for name in names)
    values = " ".join(str(bindings[name]) for name in names)
    return f"{query}\nVALUES ({variables}) {{ ({values}) }}"


def values_block(variable: str, terms: Iterable[Term]) -> str:
    """A VALUES block giving `variable` each of `terms`, for use inside a WHERE clause.

    Like `bind`, terms are written in N-Triples form by pyoxigraph, which escapes them; unlike
    `bind`'s trailing clause, the block sits inside the pattern, so the engine starts from it.
    """
    if not _VARIABLE_NAME.match(variable):
        raise ValueError(f"not a SPARQL variable name: {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(str(term) for term in terms)} }}"


def values_rows(variables: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """A multi-variable VALUES block; each row is a sequence of terms."""
    for name in variables:
        if not _VARIABLE_NAME.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    names = " ".join(f"?{name}" for name in variables)
    body = " ".join("(" + " ".join(str(term) for term in row) + ")" for row in rows)
    return f"VALUES ({names}) {{ {body} }}"


def _refusing_sealed_target(load: Callable[..., int]) -> Callable[..., int]:
    """Wrap a backend's `load_graph` so that it refuses a sealed graph before reading."""

    @functools.wraps(load)
    def guarded(self: Store, graph: NamedNode, *args: Any, **kwargs: Any) -> int:
        refuse_sealed_graphs([graph])
        return load(self, graph, *args, **kwargs)

    return guarded


def _counting_writes(write: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a backend's write method so that every call, even a failed one, bumps `generation`."""

    @functools.wraps(write)
    def counted(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return write(self, *args, **kwargs)
        finally:
            self.generation += 1

    return counted


def file_changes(graph: NamedNode, quads: Iterable[Quad], *, replace: bool) -> ChangeSet:
    """The change that loads a file's quads: its default graph into `graph`, its named graphs
    kept, and (when replacing) every graph it fills emptied first."""
    changes = ChangeSet(drop_graphs=[graph] if replace else [])
    other_graphs: set[NamedNode] = set()
    for quad in quads:
        if isinstance(quad.graph_name, NamedNode):
            other_graphs.add(quad.graph_name)
        else:
            quad = Quad(quad.subject, quad.predicate, quad.object, graph)
        changes.insert.append(quad)
    if replace:
        changes.drop_graphs.extend(sorted(other_graphs - {graph}, key=str))
    return changes


def _quad_block(quads: Sequence[Quad]) -> str:
    """Quads as the body of an INSERT/DELETE DATA block, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(
            f"{quad.subject} {quad.predicate} {quad.object} ."
        )
    blocks = []
    for graph, lines in by_graph.items():
        body = "\n".join(lines)
        blocks.append(body + "\n" if graph == "DEFAULT" else f"GRAPH {graph} {{\n{body}\n}}\n")
    return "".join(blocks)


@dataclass(frozen=True)
class Stream:
    """Statements for one graph made piece by piece, each piece N-Triples text (an import's
    rows, a batch at a time)."""

    graph: NamedNode
    pieces: Iterable[bytes]


def text_format(graph: NamedNode | None) -> RdfFormat:
    """How statements travel as text: N-Triples when they all belong to `graph`, else N-Quads."""
    return RdfFormat.N_QUADS if graph is None else RdfFormat.N_TRIPLES


def text_quads(data: bytes, graph: NamedNode | None) -> list[Quad]:
    """The statements of N-Triples `data` as quads of `graph`, or of N-Quads `data`."""
    if graph is None:
        return list(parse(data, RdfFormat.N_QUADS))
    return [Quad(q.subject, q.predicate, q.object, graph) for q in parse(data, RdfFormat.N_TRIPLES)]


class Store(ABC):
    """A quad store: SPARQL queries, atomic writes, named graphs, bulk load and export."""

    # Bumped after every write made through this object, so that caches and query snapshots
    # know when to refresh; a store others may write to too (a remote server) says so.
    generation: int = 0
    sees_all_writes: bool = True

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
