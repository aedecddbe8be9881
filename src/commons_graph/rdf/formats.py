"""The one table of RDF and SPARQL result formats, shared by conneg, dumps and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat

from commons_graph.errors import BadInputError


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, file extensions and media types."""

    name: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...]
    rdflib_name: str
    supports_datasets: bool = False

    @property
    def media_type(self) -> str:
        """The registered media type."""
        return self.media_types[0]

    @property
    def extension(self) -> str:
        """The usual file extension, without the dot."""
        return self.extensions[0]

    @property
    def oxigraph(self) -> RdfFormat:
        """The pyoxigraph format object."""
        return RdfFormat.from_media_type(self.media_type)  # type: ignore[return-value]


RDF_FORMATS: tuple[Format, ...] = (
    Format("turtle", ("ttl",), ("text/turtle", "application/x-turtle"), "turtle"),
    Format("ntriples", ("nt",), ("application/n-triples", "text/plain"), "nt"),
    Format("nquads", ("nq",), ("application/n-quads",), "nquads", supports_datasets=True),
    Format("trig", ("trig",), ("application/trig",), "trig", supports_datasets=True),
    Format("jsonld", ("jsonld", "json"), ("application/ld+json",), "json-ld", True),
    Format("rdfxml", ("rdf", "owl", "xml"), ("application/rdf+xml",), "xml"),
)

_SHORT_NAMES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "rdf": "rdfxml", "xml": "rdfxml"}


@dataclass(frozen=True)
class ResultFormat:
    """One SPARQL query results serialisation (SELECT and ASK)."""

    name: str
    extension: str
    media_types: tuple[str, ...]

    @property
    def media_type(self) -> str:
        """The registered media type."""
        return self.media_types[0]

    @property
    def oxigraph(self) -> QueryResultsFormat:
        """The pyoxigraph format object."""
        return QueryResultsFormat.from_media_type(self.media_type)  # type: ignore[return-value]


RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "srj", ("application/sparql-results+json", "application/json")),
    ResultFormat("xml", "srx", ("application/sparql-results+xml", "application/xml")),
    ResultFormat("csv", "csv", ("text/csv",)),
    ResultFormat("tsv", "tsv", ("text/tab-separated-values",)),
)


class UnknownFormatError(BadInputError):
    """A format name, file extension or media type that the project does not handle."""


def rdf_format(name_or_extension: str) -> Format:
    """The RDF format called `name_or_extension` (`ttl`, `turtle`, `jsonld`, …)."""
    key = name_or_extension.lower().lstrip(".")
    key = _SHORT_NAMES.get(key, key)
    for fmt in RDF_FORMATS:
        if key == fmt.name or key in fmt.extensions:
            return fmt
    names = ", ".join(f.extension for f in RDF_FORMATS)
    raise UnknownFormatError("rdf.unknown_format", name=name_or_extension, names=names)


def rdf_format_for_path(path: Path) -> Format:
    """The RDF format of a file, from its extension."""
    try:
        return rdf_format(path.suffix)
    except UnknownFormatError:
        names = ", ".join("." + f.extension for f in RDF_FORMATS)
        raise UnknownFormatError(
            "rdf.unknown_extension", file=str(path), extension=path.suffix, names=names
        ) from None


def rdf_format_for_media_type(media_type: str) -> Format | None:
    """The RDF format registered for `media_type`, if any."""
    bare = media_type.split(";")[0].strip().lower()
    return next((f for f in RDF_FORMATS if bare in f.media_types), None)


def result_format(name_or_media_type: str) -> ResultFormat:
    """The SPARQL results format called `name_or_media_type`."""
    key = name_or_media_type.split(";")[0].strip().lower()
    for fmt in RESULT_FORMATS:
        if key in (fmt.name, fmt.extension) or key in fmt.media_types:
            return fmt
    raise UnknownFormatError("rdf.unknown_results_format", name=name_or_media_type)
