"""Single-pattern lookups: recognised by a narrow grammar, answered without any SPARQL parser.

Such a query (every statement about one resource, the commonest linked-data question) is answered
in the server process, without the round trip to a killable worker: its one triple pattern is
read here into RDF terms and matched by an index scan that yields one statement at a time, so
the work stops with the rows asked for (a LIMIT one past the rows wanted). No SPARQL text from
the request reaches a parser in the server process: this is what keeps the lookup path off the
network (the workers have a sandbox instead, `sparql/sandbox.py`). The scan is either
`Store.quads_for_pattern` or, for JSON, Oxigraph's own evaluation and writer run on a text this
module writes itself from the terms read (`Lookup.native_text`: a projection, one pattern of
IRIs and variables, a LIMIT; nothing else can be in it). The recogniser is deliberately narrow
(prefixes, SELECT, one pattern of IRIs, prefixed names and variables, LIMIT): anything else, even
an equivalent query written differently, goes to the workers, where the time limit applies.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.sparql.grammar import IRIREF
from commons_graph.sparql.results import json_rows

# The SPARQL grammar's IRIREF and a conservative subset of prefixed names and variables.
_IRI = IRIREF
_PREFIX_NAME = r"(?:[A-Za-z][A-Za-z0-9_-]*)?"
_PREFIXED = rf"{_PREFIX_NAME}:[A-Za-z0-9_][A-Za-z0-9_-]*"
_VARIABLE = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_NODE = rf"(?:{_IRI}|{_PREFIXED}|{_VARIABLE})"
_PREFIX = rf"PREFIX\s+{_PREFIX_NAME}:\s*{_IRI}"
_SINGLE_PATTERN = re.compile(
    rf"\s*(?P<prologue>(?:{_PREFIX}\s*)*)"
    rf"SELECT\s+(?P<projection>\*|{_VARIABLE}(?:\s+{_VARIABLE})*)\s*"
    rf"(?:WHERE\s*)?\{{\s*(?P<s>{_NODE})\s+(?P<p>{_NODE}|(?-i:a))\s+(?P<o>{_NODE})\s*\.?\s*\}}"
    r"\s*(?P<clause>LIMIT\s+(?P<limit>\d{1,9})\s*)?",
    re.IGNORECASE,
)
_PREFIX_DECLARATION = re.compile(
    rf"PREFIX\s+(?P<name>{_PREFIX_NAME}):\s*<(?P<iri>[^>]*)>", re.IGNORECASE
)

Node = ox.NamedNode | str  # an IRI, or a variable's name
Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]


def is_single_pattern_select(query: str) -> bool:
    """Whether `query` is a SELECT of one triple pattern, without filters, joins or ordering."""
    return _SINGLE_PATTERN.fullmatch(query) is not None


@dataclass(frozen=True)
class Lookup:
    """A single-pattern SELECT, read into terms: what it projects, matches, and keeps."""

    variables: tuple[str, ...]
    pattern: tuple[Node, Node, Node]
    limit: int | None

    def solutions(self, store: ox.Store) -> Iterator[Row]:
        """The query's solutions on `store`, the default graph being the union of all graphs
        (as `use_default_graph_as_union`: one solution per matching quad), LIMIT applied."""
        s, p, o = (None if isinstance(node, str) else node for node in self.pattern)
        quads = store.quads_for_pattern(s, p, o, None)
        if self.limit is not None:
            quads = itertools.islice(quads, self.limit)
        positions = {
            node: index for index, node in enumerate(self.pattern) if isinstance(node, str)
        }
        for quad in quads:
            terms = (quad.subject, quad.predicate, quad.object)
            yield tuple(
                terms[positions[name]] if name in positions else None for name in self.variables
            )

    @property
    def binds_every_variable(self) -> bool:
        """Whether every projected variable is in the pattern (so bound in every solution)."""
        names = {node for node in self.pattern if isinstance(node, str)}
        return set(self.variables) <= names

    def native_text(self, limit: int) -> str:
        """The lookup as a SPARQL text written here from its terms, with `limit` as its LIMIT.

        Only this text, never the request's, reaches Oxigraph's parser in the server process:
        variable names the grammar accepted (`[A-Za-z_][A-Za-z0-9_]*`), IRIs written by
        Oxigraph itself (`str(NamedNode)`, in `<>`), braces and a number.
        """
        projection = " ".join("?" + name for name in self.variables)
        nodes = " ".join("?" + n if isinstance(n, str) else str(n) for n in self.pattern)
        return f"SELECT {projection} WHERE {{ {nodes} }} LIMIT {int(limit)}"

    def solutions_json(self, store: ox.Store, limit: int) -> tuple[bytes, int]:
        """At most `limit` solutions (as `solutions` gives them) written as SPARQL JSON by
        Oxigraph's own writer, and how many there are."""
        text = self.native_text(limit)
        results = store.query(text, use_default_graph_as_union=True)
        assert isinstance(results, ox.QuerySolutions)
        body = results.serialize(format=ox.QueryResultsFormat.JSON)
        assert body is not None
        return body, json_rows(body)


def parse_lookup(query: str) -> Lookup | None:
    """`query` read as a single-pattern lookup, or None if it is not one (or is anything
    unusual: an undeclared prefix, a relative IRI, a variable used twice), for the workers."""
    match = _SINGLE_PATTERN.fullmatch(query)
    if match is None:
        return None
    prefixes = {m["name"]: m["iri"] for m in _PREFIX_DECLARATION.finditer(match["prologue"])}
    pattern: list[Node] = []
    for part in ("s", "p", "o"):
        node = _node(match[part], prefixes)
        if node is None:
            return None
        pattern.append(node)
    names = [node for node in pattern if isinstance(node, str)]
    if not names or len(set(names)) != len(names):
        return None
    if match["projection"] == "*":
        # Oxigraph lists the variables of SELECT * in name order.
        variables = tuple(sorted(names))
    else:
        variables = tuple(v[1:] for v in match["projection"].split())
        if len(set(variables)) != len(variables):
            return None
    limit = int(match["limit"]) if match["limit"] is not None else None
    return Lookup(variables, (pattern[0], pattern[1], pattern[2]), limit)


def _node(text: str, prefixes: dict[str, str]) -> Node | None:
    """One node of the pattern as a term or a variable name; None if it cannot be read here."""
    if text == "a":
        return RDF_TYPE
    if text[0] in "?$":
        return text[1:]
    if text[0] == "<":
        iri = text[1:-1]
    else:
        name, _, local = text.partition(":")
        if name not in prefixes:
            return None
        iri = prefixes[name] + local
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None  # a relative IRI, or one Oxigraph would not accept: the worker says why
