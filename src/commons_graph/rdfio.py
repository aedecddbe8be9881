"""Safe RDF parsing: fixed base IRI, no XML entities, errors that say where."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from commons_graph.errors import BadInputError
from commons_graph.formats import Format

_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class RdfSyntaxError(BadInputError):
    """An RDF document that does not parse; the message names the source and position."""


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
            raise RdfSyntaxError(f"{label}: RDF/XML with DOCTYPE or ENTITY declarations is refused")
    try:
        if isinstance(source, Path):
            yield from ox.parse(
                path=str(source), format=fmt.oxigraph, base_iri=base_iri, lenient=lenient
            )
        else:
            yield from ox.parse(source, format=fmt.oxigraph, base_iri=base_iri, lenient=lenient)
    except SyntaxError as error:
        raise RdfSyntaxError(f"{label}: {error}") from None
    except OSError as error:
        raise RdfSyntaxError(f"{label}: cannot read: {error.strerror or error}") from None
