"""What a SPARQL server's dialect allows, learnt from its own answers (never from its name).

Four probe queries, sent once per store on first use:

* whether a trailing `VALUES (?v) { (…) }` binds a variable the query does not project (SPARQL
  1.1 says it does; Virtuoso 7.2 refuses it after SELECT and ASK): when it does not, bound
  queries carry their VALUES block inside the WHERE group instead (`sparql_text.bind`);
* how the server writes blank nodes in JSON results: Virtuoso writes `nodeID://b10001`, which
  is not a blank node label pyoxigraph accepts; the prefix is then taken off as the answer
  streams in (`BlankNodeRewriter`), and put back, as an IRI, when such a node is bound in a query
  (`<nodeID://b10001>` is how Virtuoso lets a query name a stored blank node);
* how it answers `ASK {}`: Virtuoso 7.2 answers ASK with one solution of a variable
  `__ASK_RETVAL` (none when false) instead of a boolean; such answers are read as booleans;
* whether it takes Virtuoso's `define sql:big-data-const 1` pragma, without which Virtuoso
  refuses an INSERT DATA of more than about 2000 triples; updates then start with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from commons_graph.store.errors import QuerySyntaxError
from commons_graph.store.http import ServerStatusError

if TYPE_CHECKING:
    from commons_graph.store.remote import RemoteStore

_TRAILING_VALUES_PROBE = "SELECT ?n WHERE { BIND(1 AS ?n) }\nVALUES (?v) { (2) }"
_BLANK_NODE_PROBES = (
    "SELECT ?b WHERE { BIND(BNODE() AS ?b) }",
    # Virtuoso 7.2 has no BNODE(): one it holds (its own graphs have some) is asked for.
    "SELECT ?b WHERE { GRAPH ?g { ?b ?p ?o } FILTER(isBlank(?b)) } LIMIT 1",
)
_ASK_PROBE = "ASK {}"
# Virtuoso compiles the constants of an INSERT/DELETE DATA into SQL, one statement each, and
# refuses more than 10000 lines of it (about 2000 triples) unless told to pass them as one
# vector; a server that accepts this pragma in a query gets it before every update.
BIG_DATA_PRAGMA = "define sql:big-data-const 1"

# Bytes kept back between chunks so that a pattern cut in two by the network is still found:
# longer than any match of _BNODE_VALUE (the prefix is at most _MAX_PREFIX bytes).
_MAX_PREFIX = 64
_KEEP = 192


@dataclass(frozen=True)
class Dialect:
    """What the probes found out about one server."""

    trailing_values: bool = True
    blank_node_prefix: str = ""
    # The one variable of the solutions some servers (Virtuoso) answer an ASK with, instead of
    # a boolean result: one row when true, none when false.
    ask_variable: str = ""
    # Text put before every SPARQL Update ("" for none).
    update_prefix: str = ""

    def as_boolean(self, variables: tuple[str, ...], rows: list[tuple[object, ...]]) -> bool | None:
        """The boolean an ASK answered as solutions stands for (None: these are solutions)."""
        if not self.ask_variable or variables != (self.ask_variable,):
            return None
        value = rows[0][0] if rows else None
        return isinstance(value, ox.Literal) and value.value not in ("0", "false")

    def rewriter(self) -> BlankNodeRewriter | None:
        """The rewriter that makes this server's blank nodes parseable, if it needs one."""
        return BlankNodeRewriter(self.blank_node_prefix) if self.blank_node_prefix else None

    @classmethod
    def probe(cls, store: RemoteStore) -> Dialect:
        """Ask the server the probe queries (four small requests)."""
        return cls(
            trailing_values=_trailing_values(store),
            blank_node_prefix=_bnode_prefix(store),
            ask_variable=_ask_variable(store),
            update_prefix=_update_prefix(store),
        )


def _trailing_values(store: RemoteStore) -> bool:
    """Whether a trailing VALUES binding an unprojected variable is answered as SPARQL says."""
    try:
        with store.http.read(
            store.query_url,
            data=[("query", _TRAILING_VALUES_PROBE)],
            accept="application/sparql-results+json",
        ) as response:
            answer = json.loads(response.read())
    except (QuerySyntaxError, ServerStatusError, ValueError):
        return False
    return len(answer.get("results", {}).get("bindings", [])) == 1


def _update_prefix(store: RemoteStore) -> str:
    """The big-data pragma when the server understands it, else nothing."""
    try:
        with store.http.read(
            store.query_url,
            data=[("query", f"{BIG_DATA_PRAGMA}\n{_ASK_PROBE}")],
            accept="application/sparql-results+json",
        ):
            pass
    except (QuerySyntaxError, ServerStatusError):
        return ""
    return BIG_DATA_PRAGMA + "\n"


def _ask_variable(store: RemoteStore) -> str:
    """The variable the server answers `ASK {}` with, when it answers with solutions."""
    try:
        with store.http.read(
            store.query_url, data=[("query", _ASK_PROBE)], accept="application/sparql-results+json"
        ) as response:
            answer = json.loads(response.read())
        names = answer["head"]["vars"] if "boolean" not in answer else []
    except (QuerySyntaxError, ServerStatusError, ValueError, KeyError, TypeError):
        return ""
    return str(names[0]) if isinstance(names, list) and len(names) == 1 else ""


def _bnode_prefix(store: RemoteStore) -> str:
    """What the server writes before its blank node labels in JSON results ("" for nothing)."""
    for probe in _BLANK_NODE_PROBES:
        try:
            with store.http.read(
                store.query_url, data=[("query", probe)], accept="application/sparql-results+json"
            ) as response:
                answer = json.loads(response.read())
            value = answer["results"]["bindings"][0]["b"]["value"]
        except (QuerySyntaxError, ServerStatusError, ValueError, KeyError, IndexError, TypeError):
            continue
        if not isinstance(value, str) or _valid_label(value):
            return ""
        # The longest prefix ending in ':' or '/' after which the rest is a valid label.
        for cut in range(len(value) - 1, 0, -1):
            if value[cut - 1] in ":/" and _valid_label(value[cut:]) and cut <= _MAX_PREFIX:
                return value[:cut]
        return ""
    return ""


def _valid_label(label: str) -> bool:
    try:
        ox.BlankNode(label)
    except ValueError:
        return False
    return True


class BlankNodeRewriter:
    """Takes a server's prefix off the blank node labels of JSON and XML results as they stream."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        escaped = re.escape(prefix.encode())
        # JSON: "type": "bnode", "value": "nodeID://b1"; XML: <bnode>nodeID://b1</bnode>.
        self._pattern = re.compile(
            rb'("type"\s{0,8}:\s{0,8}"bnode"\s{0,8},\s{0,8}"value"\s{0,8}:\s{0,8}"|<bnode>)'
            + escaped
        )

    def whole(self, body: bytes) -> bytes:
        """A whole answer rewritten."""
        return self._pattern.sub(rb"\1", body)

    def chunks(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """A streamed answer rewritten, chunk by chunk (a few bytes are held back each time)."""
        pending = b""
        for chunk in chunks:
            pending = self._pattern.sub(rb"\1", pending + chunk)
            if len(pending) > _KEEP:
                yield pending[:-_KEEP]
                pending = pending[-_KEEP:]
        if pending:
            yield pending

    def term(self, term: object) -> str:
        """How a query names `term`: a blank node as the IRI the server knows it by."""
        if isinstance(term, ox.BlankNode):
            return f"<{self.prefix}{term.value}>"
        return str(term)
