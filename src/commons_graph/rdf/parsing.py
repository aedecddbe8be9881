"""Safe RDF parsing: fixed base IRI, no XML entities, errors that say where."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from commons_graph.errors import BadInputError
from commons_graph.rdf.formats import Format

_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class RdfSyntaxError(BadInputError):
    """An RDF document that does not parse; the message names the source and position."""


# The tokens that matter for nesting, everything else skipped by the regex engine in one pass:
# strings, IRIs, comments and escapes (whose brackets do not count), then the brackets. No
# alternative can match the same text two ways, so the scan is linear in the input.
_TURTLE_TOKENS = re.compile(
    rb'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    rb'|"(?:[^"\\\n\r]++|\\.)*+"'
    rb"|'(?:[^'\\\n\r]++|\\.)*+'"
    rb"|<<|>>"
    rb'|<[^<>\s"{}|^`\\]*+>'
    rb"|#[^\n\r]*+"
    rb"|\\."
    rb"|[\[\](){}]",
    re.DOTALL,
)
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]', re.DOTALL)
_OPENING = frozenset((b"[", b"(", b"{", b"<<"))
_CLOSING = frozenset((b"]", b")", b"}", b">>"))


def nesting_depth(source: bytes, fmt: Format, stop_at: int | None = None) -> int:
    """How deep brackets nest in a Turtle, N-Triples or JSON document (blank node property
    lists, collections, triple terms, JSON arrays and objects), by one linear scan of the bytes,
    so that a document too deep for a recursive parser is refused before one sees it; the scan
    stops as soon as the depth passes `stop_at`."""
    tokens = _JSON_TOKENS if fmt.name == "jsonld" else _TURTLE_TOKENS
    depth = deepest = 0
    for match in tokens.finditer(source):
        token = match.group()
        if token in _OPENING:
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    break
        elif token in _CLOSING:
            depth = max(0, depth - 1)
    return deepest


def parse_rdf(
    source: bytes | Path,
    fmt: Format,
    base_iri: str,
    *,
    name: str | None = None,
    lenient: bool = False,
) -> Iterator[ox.Quad]:
    """Parse RDF from bytes or a file, refusing XML DOCTYPE/ENTITY declarations; `lenient`
    leaves IRIs unchecked (twice as fast), for a pass whose input is checked by another."""
    label = name or (str(source) if isinstance(source, Path) else "input")
    if fmt.name == "rdfxml":
        head = source.read_bytes() if isinstance(source, Path) else source
        if _XML_DECLARATIONS.search(head):
            raise RdfSyntaxError("rdf.xml_declarations", label=label)
    try:
        if isinstance(source, Path):
            yield from ox.parse(
                path=str(source), format=fmt.oxigraph, base_iri=base_iri, lenient=lenient
            )
        else:
            yield from ox.parse(source, format=fmt.oxigraph, base_iri=base_iri, lenient=lenient)
    except SyntaxError as error:
        raise RdfSyntaxError("rdf.syntax", label=label, detail=str(error)) from None
    except OSError as error:
        detail = str(error.strerror or error)
        raise RdfSyntaxError("rdf.unreadable", label=label, detail=detail) from None
