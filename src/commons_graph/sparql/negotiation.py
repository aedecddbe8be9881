"""Choosing the serialisation of a query result from the client's Accept header or `format`."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import RDF_FORMATS, RESULT_FORMATS, Format, ResultFormat

# Graph results (CONSTRUCT, DESCRIBE) come as triples: dataset formats and the ambiguous
# text/plain alias of N-Triples are not offered.
GRAPH_FORMATS: tuple[Format, ...] = tuple(
    f for f in RDF_FORMATS if f.name in ("turtle", "ntriples", "jsonld", "rdfxml")
)

SOLUTION_MEDIA_TYPES: tuple[str, ...] = tuple(t for f in RESULT_FORMATS for t in f.media_types)
GRAPH_MEDIA_TYPES: tuple[str, ...] = tuple(
    t for f in GRAPH_FORMATS for t in f.media_types if t != "text/plain"
)
ALL_MEDIA_TYPES = SOLUTION_MEDIA_TYPES + GRAPH_MEDIA_TYPES

# `format=` values for links; `json` and `xml` mean the results format for SELECT/ASK and the
# RDF one for CONSTRUCT/DESCRIBE, so each maps to media types for both query forms.
FORMAT_PARAMETER: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "srj": ("application/sparql-results+json",),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srx": ("application/sparql-results+xml",),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "ttl": ("text/turtle",),
    "turtle": ("text/turtle",),
    "nt": ("application/n-triples",),
    "ntriples": ("application/n-triples",),
    "jsonld": ("application/ld+json",),
    "rdf": ("application/rdf+xml",),
    "rdfxml": ("application/rdf+xml",),
}

_TEXT_TYPES = ("text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples")


@dataclass(frozen=True)
class Choice:
    """The media type to answer with and the format that writes it."""

    media_type: str
    format: ResultFormat | Format

    @property
    def content_type(self) -> str:
        """The Content-Type header value."""
        if self.media_type in _TEXT_TYPES:
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


def accept_for_format(name: str) -> str | None:
    """An Accept header equivalent to the `format` parameter `name`, or None if unknown."""
    media_types = FORMAT_PARAMETER.get(name.strip().lower())
    return ", ".join(media_types) if media_types else None


def acceptable_at_all(accept: str | None) -> bool:
    """Whether the client accepts at least one result format of any query form."""
    return negotiate(accept, ALL_MEDIA_TYPES) is not None


def choose_solutions_format(accept: str | None) -> Choice | None:
    """The format for SELECT or ASK results (JSON when the client does not mind)."""
    chosen = negotiate(accept, SOLUTION_MEDIA_TYPES)
    if chosen is None:
        return None
    return Choice(chosen, next(f for f in RESULT_FORMATS if chosen in f.media_types))


def choose_graph_format(accept: str | None) -> Choice | None:
    """The format for CONSTRUCT or DESCRIBE results (Turtle when the client does not mind)."""
    chosen = negotiate(accept, GRAPH_MEDIA_TYPES)
    if chosen is None:
        return None
    return Choice(chosen, next(f for f in GRAPH_FORMATS if chosen in f.media_types))
