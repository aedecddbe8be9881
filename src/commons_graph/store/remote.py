"""The remote backend: a SPARQL 1.1 server (Protocol, Update, Graph Store Protocol) over HTTP."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import httpx
import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.rdf.formats import Format, rdf_format_for_media_type, result_format
from commons_graph.rdf.parsing import parse_rdf
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet, file_changes
from commons_graph.store.dialect import BlankNodeRewriter, Dialect
from commons_graph.store.dumping import write_quads
from commons_graph.store.errors import StoreError
from commons_graph.store.http import (
    Params,
    ResponseReader,
    RetryPolicy,
    SparqlHttp,
    reading_answer,
)
from commons_graph.store.remote_reading import all_quads, graph_quads
from commons_graph.store.results import QueryResult, SelectResult, Term
from commons_graph.store.sealing import refuse_sealed_graphs
from commons_graph.store.sparql_text import bind, query_form
from commons_graph.store.staging import (
    has_blank_node,
    ntriples_chunks,
    refuses_long_updates,
    staged_write,
    staging_hidden,
)
from commons_graph.store.text import Stream, text_quads
from commons_graph.store.union import UnionMode, server_kind

# What the store asks for when it does not know the query form yet: JSON results for SELECT and
# ASK, N-Triples for CONSTRUCT and DESCRIBE; every SPARQL 1.1 server offers both.
_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.7"
)
_RESULTS_JSON = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8"

# Above this size a file is checked in a first streaming pass and then streamed to the server
# (Graph Store Protocol, or one streamed SPARQL Update) instead of being held in memory.
STREAMING_LOAD_BYTES = 32 * 1024 * 1024
_SMALL_WRITE = 1_000
# Above this much SPARQL Update text, an insert into one graph is a large write: on a server
# that refuses long updates (Virtuoso: 10 MB of text, `HT057`) it goes through the Graph Store
# Protocol (store/staging.py).
LARGE_WRITE_BYTES = 8 * 1024 * 1024
_BATCH = 1_000  # quads per GRAPH block: Virtuoso's parser overflows on ~5000


class RemoteStore(Store):
    """A store on a SPARQL 1.1 server, reached by its query, update and graph store URLs."""

    # Other processes may write to the server: caches also expire with time.
    sees_all_writes = False

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        streaming_load_bytes: int = STREAMING_LOAD_BYTES,
        large_write_bytes: int = LARGE_WRITE_BYTES,
        transport: httpx.BaseTransport | None = None,
        dialect: Dialect | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.streaming_load_bytes = streaming_load_bytes
        self.large_write_bytes = large_write_bytes
        # Learnt from the server on the first large write (store/staging.py).
        self._refuses_long_updates: bool | None = None
        self._staging_hidden: bool | None = None
        self.http = SparqlHttp(
            user=user, password=password, timeout=timeout, retry=retry, transport=transport
        )
        self._union: UnionMode | None = None
        # What the server's SPARQL allows: probed on first read unless given.
        self._dialect: Dialect | None = dialect

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """The remote store the settings name (COMMONS_GRAPH_STORE, _STORE_UPDATE, …)."""
        return cls(
            settings.store,
            settings.store_update,
            settings.store_gsp,
            user=settings.store_user,
            password=settings.store_password,
            timeout=settings.store_timeout,
        )

    # Reading

    def query(
        self,
        query: str,
        bindings: Mapping[str, Term] | None = None,
        *,
        union_default_graph: bool = True,
    ) -> QueryResult:
        """Run any SPARQL query on the server with variables bound to `bindings`."""
        params: list[tuple[str, str]] = [("query", self.bind(query, bindings))]
        if union_default_graph:
            params += self.union_params()
        # Graph forms ask for a graph format only: some servers (Virtuoso) otherwise answer a
        # CONSTRUCT with solutions of ?s ?p ?o in the results format listed first.
        graph_form = query_form(query) in ("CONSTRUCT", "DESCRIBE")
        accept = _ACCEPT_GRAPH if graph_form else _ACCEPT
        with self.http.read(self.query_url, data=params, accept=accept) as response:
            body = response.read()
            media_type = response.headers.get("content-type", "")
        return self._parse_answer(body, media_type)

    @property
    def dialect(self) -> Dialect:
        """What this server's SPARQL allows, probed on first use (two small queries)."""
        if self._dialect is None:
            self._dialect = Dialect.probe(self)
        return self._dialect

    @property
    def rewriter(self) -> BlankNodeRewriter | None:
        """What makes this server's blank node labels parseable, if they need it."""
        return self.dialect.rewriter()

    def bind(self, query: str, bindings: Mapping[str, Term] | None) -> str:
        """`query` with `bindings`, in the VALUES form this server answers correctly."""
        if not bindings:
            return query
        rewriter = self.rewriter
        return bind(
            query,
            bindings,
            inline=not self.dialect.trailing_values,
            write=rewriter.term if rewriter else str,
        )

    def select_dataset(
        self, query: str, bindings: Mapping[str, Term] | None = None
    ) -> SelectResult:
        """A SELECT on the server's own dataset (no union of named graphs is asked for)."""
        result = self.query(query, bindings, union_default_graph=False)
        if not isinstance(result, SelectResult):
            raise StoreError("store.select_wrong", url=self.query_url)
        return result

    def _parse_answer(self, body: bytes, media_type: str) -> QueryResult:
        """Solutions, a boolean or triples from the server's answer, by its media type."""
        bare = media_type.split(";")[0].strip().lower()
        try:
            rdf = rdf_format_for_media_type(bare)
            if rdf is not None:
                return [q.triple for q in ox.parse(body, format=rdf.oxigraph)]
            rewriter = self.rewriter
            if rewriter is not None:
                body = rewriter.whole(body)
            fmt = result_format(bare).oxigraph
            parsed = ox.parse_query_results(body, format=fmt)
        except (SyntaxError, ValueError) as error:
            raise StoreError(
                "store.unreadable_results_of",
                url=self.query_url,
                media_type=bare or "no media type",
                detail=str(error),
            ) from None
        if isinstance(parsed, ox.QueryBoolean):
            return bool(parsed)
        variables = tuple(v.value for v in parsed.variables)
        rows = [tuple(solution[v] for v in variables) for solution in parsed]
        boolean = self.dialect.as_boolean(variables, rows)
        if boolean is not None:
            return boolean
        return SelectResult(variables, rows)

    def union_params(self) -> Params:
        """Protocol parameters that make the default graph the union of all named graphs."""
        if self._union is None:
            mode = UnionMode.detect(self)
            if mode is None:
                return []  # no named-graph data yet: the union is empty either way
            self._union = mode
        if self._union is UnionMode.PARAMETER:
            return [("union-default-graph", "")]
        if self._union is UnionMode.NATIVE:
            return []
        graphs = [g.value for g in self.named_graphs()]
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    @property
    def union_mode(self) -> UnionMode | None:
        """How this server is made to query the union of named graphs (None: not known yet)."""
        return self._union

    def _all_quads_pattern(self) -> str:
        """A graph pattern matching every quad, with ?g unbound for the default graph."""
        self.union_params()  # learn the union mode first: it decides the pattern
        if self._union is UnionMode.NATIVE:
            # The server's default graph is the union itself: matching it would count twice.
            return "GRAPH ?g { ?s ?p ?o }"
        return "{ GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o }"

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """Every quad of `graph`, or of the whole store, streamed from the server (as
        N-Triples where that is cheaper for it: store/remote_reading.py)."""
        if graph is not None:
            return graph_quads(self, graph)
        return all_quads(self, self._all_quads_pattern())

    def stream_solutions(self, query: str) -> Iterator[ox.Quad]:
        """The quads a `SELECT ?s ?p ?o ?g` gives, parsed as the answer arrives."""
        rewriter = self.rewriter
        with self.http.read(
            self.query_url, data=[("query", query)], accept=_RESULTS_JSON
        ) as response:
            chunks = response.iter_bytes()
            reader = ResponseReader(rewriter.chunks(chunks) if rewriter else chunks)
            with reading_answer(self.query_url):
                solutions = ox.parse_query_results(reader.file, format=ox.QueryResultsFormat.JSON)
                if not isinstance(solutions, ox.QuerySolutions):
                    raise SyntaxError("a boolean answer, where solutions were asked for")
                if [v.value for v in solutions.variables] == ["s", "p", "o", "g"]:
                    # Unpacked in the answer's order: a third less CPU than four look-ups by
                    # name (whole-store reads, row after row).
                    for s, p, o, g in solutions:
                        yield ox.Quad(s, p, o, g or ox.DefaultGraph())
                    return
                for row in solutions:
                    g = row["g"]
                    yield ox.Quad(row["s"], row["p"], row["o"], g or ox.DefaultGraph())

    def dump(self, output: BinaryIO, fmt: Format, graph: ox.NamedNode | None = None) -> None:
        """Write the whole store (or one graph) to `output` in `fmt`, streamed from the server."""
        write_quads(self.quads(graph), output, fmt)

    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs on the server."""
        if server_kind(self.http.server) == "oxigraph":
            # Oxigraph answers `GRAPH ?g {}` from its graph index, without scanning quads.
            query = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
        else:
            # GROUP BY, not DISTINCT: Virtuoso answers `DISTINCT ?g` from an index that ignores
            # its graph security, listing private graphs whose quads no query can see.
            query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        rows = self.select_dataset(query).rows
        return sorted((row[0] for row in rows if isinstance(row[0], ox.NamedNode)), key=str)

    def count(self, graph: ox.NamedNode | None = None) -> int:
        """The number of quads on the server, or in one graph."""
        if graph is not None:
            # The IRI is written by pyoxigraph (escaped); a trailing VALUES would not do here:
            # it joins after the aggregate, where ?g is out of scope.
            result = self.select_dataset(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
            )
        else:
            result = self.select_dataset(
                f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._all_quads_pattern()} }}"
            )
        value = result.rows[0][0] if result.rows else None
        if not isinstance(value, ox.Literal):
            raise StoreError("store.no_count", url=self.query_url)
        return int(value.value)

    def describe_location(self) -> str:
        """The query URL, for messages."""
        return self.query_url

    # Writing

    def _require_update(self) -> str:
        if not self.update_url:
            raise StoreError("store.read_only", url=self.query_url)
        return self.update_url

    def commit(self, changes: ChangeSet) -> None:
        """Apply `changes` as ONE update: the server applies all of it, or none.

        A large insert into one graph (an import) on a server that refuses long updates
        (Virtuoso: `HT057 … longer than 10Mb`) goes through the Graph Store Protocol instead,
        still all or nothing where the server hides a staging graph (`_write_large`).
        """
        if changes.is_empty():
            return
        url = self._require_update()
        size = len(changes.insert) + len(changes.delete)
        text = self._update_prefix(size) + changes.to_sparql_update()
        content = text.encode("utf-8")
        graph = _single_graph_insert(changes)
        if len(content) > self.large_write_bytes and graph is not None and self._too_long():
            self._write_large(graph, changes.insert, replace=False)
            return
        self.http.write("POST", url, content=content, content_type="application/sparql-update")

    def _too_long(self) -> bool:
        """Whether large writes must avoid one long update here: the server has a Graph Store
        URL and refuses long updates (probed once, with a padded no-op)."""
        if not self.gsp_url:
            return False
        if self._refuses_long_updates is None:
            self._refuses_long_updates = refuses_long_updates(self)
        return self._refuses_long_updates

    def _write_large(
        self,
        graph: ox.NamedNode,
        quads: Iterable[ox.Quad],
        *,
        replace: bool,
        blank_nodes: bool | None = None,
    ) -> None:
        """Insert `quads` into `graph` (or replace it) by the Graph Store Protocol: through the
        staging graph when the server hides it (all or nothing), else straight into `graph`
        (one request, which such a server may commit in part)."""
        assert self.gsp_url is not None
        if self._staging_hidden is None:
            self._staging_hidden = staging_hidden(self)
        if self._staging_hidden:
            if blank_nodes is None:
                quads = list(quads)
                blank_nodes = any(has_blank_node(q) for q in quads)
            staged_write(self, self.gsp_url, graph, quads, replace=replace, blank_nodes=blank_nodes)
            return
        self._put_graph(graph, quads, replace=replace)

    def _put_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], *, replace: bool) -> None:
        """`quads` into `graph` as one Graph Store request of N-Triples (`PUT` replaces the
        graph, `POST` adds to it), spooled to a file first: sent with its length, not in chunks,
        since Virtuoso 7.2 reads a chunked body as empty (it answers 201 and stores nothing)."""
        assert self.gsp_url is not None
        with tempfile.TemporaryFile() as spool:
            for chunk in ntriples_chunks(quads, _BATCH):
                spool.write(chunk)
            spool.seek(0)
            self.http.write(
                "PUT" if replace else "POST",
                self.gsp_url,
                params=[("graph", graph.value)],
                content=spool,
                content_type="application/n-triples",
            )

    def commit_checked(
        self,
        changes: ChangeSet,
        check: Callable[[], ChangeSet],
        *,
        stream: Stream | None = None,
    ) -> None:
        """As every store does (one commit once `check` has run), but a statement the stream
        made and `check` takes back is not deleted when the stream's graph was empty before: it
        never reached the server, and the write stays an insert into one graph (see `commit`)."""
        if stream is None or changes.drop_graphs or changes.delete or self.count(stream.graph):
            super().commit_checked(changes, check, stream=stream)
            return
        inserted = list(changes.insert)
        for piece in stream.pieces:
            inserted.extend(text_quads(piece, stream.graph))
        amendment = check()
        streamed = set(inserted)
        kept = [q for q in amendment.delete if q not in streamed]
        taken_back = set(amendment.delete)
        self.commit(
            replace(
                changes,
                delete=kept,
                insert=[q for q in inserted if q not in taken_back] + amendment.insert,
            )
        )

    def load_graph(
        self, graph: ox.NamedNode, path: Path, fmt: Format, *, replace: bool = True
    ) -> int:
        """Load the file at `path` into `graph` (replacing it by default); returns the count."""
        self._require_update()
        if path.stat().st_size > self.streaming_load_bytes:
            return self._stream_load(graph, path, fmt, replace)
        changes = file_changes(graph, parse_rdf(path, fmt, base_iri=graph.value), replace=replace)
        one_graph = {q.graph_name for q in changes.insert} <= {graph}
        if one_graph and changes.insert and self.gsp_url:
            size = sum(len(chunk) for chunk in ntriples_chunks(changes.insert, _BATCH))
            if size > self.large_write_bytes and self._too_long():
                # More text than one update may hold here: through the Graph Store Protocol.
                self._write_large(graph, changes.insert, replace=replace)
                return len(changes.insert)
        self.commit(changes)
        return len(changes.insert)

    @staticmethod
    def _quads_from_file(graph: ox.NamedNode, path: Path, fmt: Format) -> Iterator[ox.Quad]:
        """The file's quads, those of its default graph moved into `graph`."""
        for quad in parse_rdf(path, fmt, base_iri=graph.value):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
            else:
                yield quad

    def _stream_load(self, graph: ox.NamedNode, path: Path, fmt: Format, replace: bool) -> int:
        """Check the whole file parses, then stream it to the server without holding it."""
        count = 0
        blank_nodes = False
        other_graphs: set[ox.NamedNode] = set()
        for quad in self._quads_from_file(graph, path, fmt):
            count += 1
            blank_nodes = blank_nodes or has_blank_node(quad)
            if quad.graph_name != graph:
                other_graphs.add(quad.graph_name)  # type: ignore[arg-type]
        # This path bypasses ChangeSet, whose check protects sealed graphs: check here too.
        refuse_sealed_graphs(other_graphs)
        quads = self._quads_from_file(graph, path, fmt)
        if self.gsp_url and not other_graphs and count:
            if path.stat().st_size > self.large_write_bytes and self._too_long():
                self._write_large(graph, quads, replace=replace, blank_nodes=blank_nodes)
                return count
            # Graph Store Protocol: the server parses N-Triples, much faster than an update.
            self._put_graph(graph, quads, replace=replace)
        else:
            drops = [graph, *sorted(other_graphs, key=str)] if replace else []
            self.http.write(
                "POST",
                self._require_update(),
                content=_update_chunks(drops, quads, self._update_prefix(count)),
                content_type="application/sparql-update",
            )
        return count

    def _update_prefix(self, size: int) -> str:
        """The dialect's update prefix, for writes of more than _SMALL_WRITE triples only: it
        matters for writes of thousands, and Virtuoso refuses some small forms with it (a
        conditional INSERT … WHERE { FILTER NOT EXISTS { VALUES … } }: `SP031 … add define
        sql:big-data-const 0`). A small write never needs the probes either."""
        if size <= _SMALL_WRITE:
            return ""
        return self.dialect.update_prefix

    def close(self) -> None:
        """Close the connections to the server."""
        self.http.close()


def _single_graph_insert(changes: ChangeSet) -> ox.NamedNode | None:
    """The one named graph `changes` only inserts into (nothing dropped, deleted or sealed)."""
    if changes.drop_graphs or changes.delete or changes.seal_graphs:
        return None
    graphs = {q.graph_name for q in changes.insert}
    if len(graphs) != 1:
        return None
    (graph,) = graphs
    return graph if isinstance(graph, ox.NamedNode) else None


def _batches(quads: Iterable[ox.Quad]) -> Iterator[list[ox.Quad]]:
    iterator = iter(quads)
    while batch := list(itertools.islice(iterator, _BATCH)):
        yield batch


def _update_chunks(
    drops: list[ox.NamedNode], quads: Iterable[ox.Quad], prefix: str = ""
) -> Iterator[bytes]:
    """One SPARQL Update (drops, then one INSERT DATA), a batch at a time.

    N-Triples lines are valid SPARQL triples, so pyoxigraph serialises and escapes every term.
    """
    drop = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in drops)
    yield (prefix + drop).encode() + b"INSERT DATA {\n"
    for batch in _batches(quads):
        for name, run in itertools.groupby(batch, key=lambda q: q.graph_name):
            triples = ox.serialize([q.triple for q in run], format=ox.RdfFormat.N_TRIPLES)
            yield f"GRAPH {name} {{\n".encode() + triples + b"}\n"  # type: ignore[operator]
    yield b"}\n"
