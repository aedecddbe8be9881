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
  refuses an INSERT DATA of more than about 2000 triples; updates then start with it;
* which datatype it answers a GeoSPARQL `wktLiteral` with: Virtuoso 7.2 turns every valid one
  into its own `virtrdf:Geometry`; that datatype is then read back as `geo:wktLiteral`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"
_WKT_PROBE = f'SELECT ?l WHERE {{ BIND(STRDT("POINT(1 2)", <{WKT_LITERAL}>) AS ?l) }}'
# Virtuoso compiles the constants of an INSERT/DELETE DATA into SQL, one statement each, and
# refuses more than 10000 lines of it (about 2000 triples) unless told to pass them as one
# vector; a server that accepts this pragma in a query gets it before every update.
BIG_DATA_PRAGMA = "define sql:big-data-const 1"

# What a blank node's label follows, in JSON ("type": "bnode", "value": "nodeID://b1") or XML
# (<bnode>nodeID://b1</bnode>), up to where the server's prefix starts; at most _CONTEXT bytes.
_BNODE_VALUE = re.compile(
    rb'(?:"type"\s{0,8}:\s{0,8}"bnode"\s{0,8},\s{0,8}"value"\s{0,8}:\s{0,8}"|<bnode>)\Z'
)
_CONTEXT = 80
# Bytes kept back between chunks so that a pattern cut in two by the network is still found:
# longer than any match of _BNODE_VALUE and the prefix (at most _MAX_PREFIX bytes).
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
    # The datatype the server answers a wktLiteral with, when not wktLiteral ("" for none).
    wkt_datatype: str = ""

    def as_boolean(self, variables: tuple[str, ...], rows: list[tuple[object, ...]]) -> bool | None:
        """The boolean an ASK answered as solutions stands for (None: these are solutions)."""
        if not self.ask_variable or variables != (self.ask_variable,):
            return None
        value = rows[0][0] if rows else None
        return isinstance(value, ox.Literal) and value.value not in ("0", "false")

    def rewriter(self) -> BlankNodeRewriter | None:
        """The rewriter that makes this server's blank nodes parseable, if it needs one."""
        if not self.blank_node_prefix and not self.wkt_datatype:
            return None
        return BlankNodeRewriter(self.blank_node_prefix, self.wkt_datatype)

    @classmethod
    def probe(cls, store: RemoteStore) -> Dialect:
        """Ask the server the probe queries (four small requests)."""
        return cls(
            trailing_values=_trailing_values(store),
            blank_node_prefix=_bnode_prefix(store),
            ask_variable=_ask_variable(store),
            update_prefix=_update_prefix(store),
            wkt_datatype=_wkt_datatype(store),
        )


def _probe(store: RemoteStore, query: str) -> Any:
    """The server's JSON answer to a probe query (its errors raised as the store's)."""
    with store.http.read(
        store.query_url, data=[("query", query)], accept="application/sparql-results+json"
    ) as response:
        return json.loads(response.read())


def _trailing_values(store: RemoteStore) -> bool:
    """Whether a trailing VALUES binding an unprojected variable is answered as SPARQL says."""
    try:
        answer = _probe(store, _TRAILING_VALUES_PROBE)
    except (QuerySyntaxError, ServerStatusError, ValueError):
        return False
    return len(answer.get("results", {}).get("bindings", [])) == 1


def _update_prefix(store: RemoteStore) -> str:
    """The big-data pragma when the server understands it, else nothing."""
    try:
        _probe(store, f"{BIG_DATA_PRAGMA}\n{_ASK_PROBE}")
    except (QuerySyntaxError, ServerStatusError, ValueError):
        return ""
    return BIG_DATA_PRAGMA + "\n"


def _wkt_datatype(store: RemoteStore) -> str:
    """The datatype a wktLiteral comes back with, when the server changes it ("" otherwise)."""
    try:
        answer = _probe(store, _WKT_PROBE)
        datatype = answer["results"]["bindings"][0]["l"]["datatype"]
    except (QuerySyntaxError, ServerStatusError, ValueError, KeyError, IndexError, TypeError):
        return ""
    if not isinstance(datatype, str) or datatype == WKT_LITERAL or len(datatype) > _MAX_PREFIX:
        return ""
    return datatype


def _ask_variable(store: RemoteStore) -> str:
    """The variable the server answers `ASK {}` with, when it answers with solutions."""
    try:
        answer = _probe(store, _ASK_PROBE)
        names = answer["head"]["vars"] if "boolean" not in answer else []
    except (QuerySyntaxError, ServerStatusError, ValueError, KeyError, TypeError):
        return ""
    return str(names[0]) if isinstance(names, list) and len(names) == 1 else ""


def _bnode_prefix(store: RemoteStore) -> str:
    """What the server writes before its blank node labels in JSON results ("" for nothing)."""
    for probe in _BLANK_NODE_PROBES:
        try:
            answer = _probe(store, probe)
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
    """Makes a server's JSON and XML results standard as they stream: its prefix taken off blank
    node labels, its own geometry datatype (if any) written `geo:wktLiteral` again.

    Each piece is searched for the prefix and the datatype as plain bytes (C speed) and only
    what precedes a prefix found is matched by a pattern: one regular expression tried at every
    quote of the answer cost more Python CPU than parsing it (a fifth of a Virtuoso test's
    reads of a whole store).
    """

    def __init__(self, prefix: str, wkt_datatype: str = "") -> None:
        self.prefix = prefix
        self._prefix = prefix.encode()
        self._datatype = f'"{wkt_datatype}"'.encode() if wkt_datatype else b""
        self._standard = f'"{WKT_LITERAL}"'.encode()

    def whole(self, body: bytes) -> bytes:
        """A whole answer rewritten."""
        if self._datatype and self._datatype in body:
            body = body.replace(self._datatype, self._standard)
        if not self._prefix or self._prefix not in body:
            return body
        kept: list[bytes] = []
        start = 0
        at = body.find(self._prefix)
        while at >= 0:
            if _BNODE_VALUE.search(body, max(start, at - _CONTEXT), at):
                kept.append(body[start:at])
                start = at + len(self._prefix)
            at = body.find(self._prefix, at + len(self._prefix))
        kept.append(body[start:])
        return b"".join(kept)

    def chunks(self, chunks: Iterator[bytes]) -> Iterator[bytes]:
        """A streamed answer rewritten, chunk by chunk (a few bytes are held back each time)."""
        pending = b""
        for chunk in chunks:
            pending = self.whole(pending + chunk)
            if len(pending) > _KEEP:
                yield pending[:-_KEEP]
                pending = pending[-_KEEP:]
        if pending:
            yield pending

    def term(self, term: object) -> str:
        """How a query names `term`: a blank node as the IRI the server knows it by."""
        if isinstance(term, ox.BlankNode) and self.prefix:
            return f"<{self.prefix}{term.value}>"
        return str(term)
