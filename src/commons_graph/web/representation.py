"""Choosing and building a representation: HTML or an RDF format, by extension, ?format, Accept.

The Cool URIs convention of the service: a resource's IRI answers 200 with the representation
the client prefers (`Vary: Accept`), and `Content-Location` names the document served, which
has its own URL (`/id/organisation/ouishare.ttl`); see docs/web.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from commons_graph.rdf.conneg import negotiate
from commons_graph.rdf.formats import RDF_FORMATS, Format, UnknownFormatError, rdf_format
from commons_graph.views.rdf import serialise
from commons_graph.web.errors import HttpError

HTML = "text/html"
# The RDF formats a description is offered in, in the server's order of preference.
DESCRIPTION_FORMATS: tuple[Format, ...] = tuple(
    rdf_format(name) for name in ("ttl", "jsonld", "nt", "rdf", "trig", "nq")
)
# Shown in pages' "this data as ..." line and as <link rel="alternate">.
ALTERNATE_FORMATS: tuple[tuple[str, Format], ...] = (
    ("Turtle", rdf_format("ttl")),
    ("JSON-LD", rdf_format("jsonld")),
    ("N-Triples", rdf_format("nt")),
    ("RDF/XML", rdf_format("rdf")),
)
EXTENSIONS = {fmt.extension: fmt for fmt in DESCRIPTION_FORMATS}


@dataclass(frozen=True)
class Choice:
    """The representation chosen: HTML (`fmt` None) or an RDF format; `negotiated` by Accept."""

    fmt: Format | None
    negotiated: bool

    @property
    def is_html(self) -> bool:
        """Whether the client gets a page."""
        return self.fmt is None


def offered_media_types() -> list[str]:
    """Every media type a description is offered in, HTML first (browsers and `*/*`)."""
    offered = [HTML, *(fmt.media_type for fmt in DESCRIPTION_FORMATS)]
    # Aliases come after every registered type, so that wildcards pick a registered one.
    for fmt in DESCRIPTION_FORMATS:
        offered.extend(fmt.media_types[1:])
    offered.append("application/json")
    return offered


def split_extension(path: str) -> tuple[str, Format | None | str]:
    """`path` without a known document extension, and what the extension asks for."""
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension:
        if extension == "html":
            return stem, HTML
        if extension in EXTENSIONS:
            return stem, EXTENSIONS[extension]
    return path, None


def choose(request: Request, forced: Format | str | None = None) -> Choice:
    """The representation for this request: path extension, then ?format=, then Accept."""
    if forced == HTML:
        return Choice(None, False)
    if isinstance(forced, Format):
        return Choice(forced, False)
    requested = request.query_params.get("format")
    if requested:
        if requested == "html":
            return Choice(None, False)
        try:
            fmt = rdf_format(requested)
        except UnknownFormatError as error:
            raise error from None
        return Choice(fmt, False)
    media_type = negotiate(request.headers.get("accept"), offered_media_types())
    if media_type is None:
        offered = ", ".join(dict.fromkeys([HTML, *(f.media_type for f in DESCRIPTION_FORMATS)]))
        raise HttpError(406, "error.not_acceptable", offered=offered)
    if media_type == HTML:
        return Choice(None, True)
    if media_type == "application/json":
        return Choice(rdf_format("jsonld"), True)
    fmt = next(f for f in RDF_FORMATS if media_type in f.media_types)
    return Choice(fmt, True)


def alternates(document: str, query: str = "") -> list[tuple[str, str, str]]:
    """(name, media type, URL) of each RDF form of the document at path `document`."""
    if query:
        joiner = "&" if "?" in document else "?"
        return [
            (name, fmt.media_type, f"{document}{joiner}format={fmt.extension}")
            for name, fmt in ALTERNATE_FORMATS
        ]
    return [
        (name, fmt.media_type, f"{document}.{fmt.extension}") for name, fmt in ALTERNATE_FORMATS
    ]


def link_header(items: Sequence[tuple[str, str, str]]) -> str:
    """An HTTP Link header listing the alternates."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{media}"' for _, media, url in items)


def rdf_response(
    triples: Iterable[ox.Triple],
    choice: Choice,
    content_location: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """`triples` serialised in the chosen format, with conneg headers when negotiated."""
    assert choice.fmt is not None
    fmt = choice.fmt
    headers = dict(extra_headers or {})
    if choice.negotiated:
        headers["Vary"] = "Accept"
    if content_location:
        headers["Content-Location"] = content_location
    media_type = fmt.media_type
    if fmt.name in ("turtle", "ntriples", "nquads", "trig"):
        media_type += "; charset=utf-8"
    return Response(serialise(triples, fmt), media_type=media_type, headers=headers)


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header accepts gzip (q > 0, by name or by `*`)."""
    codings: dict[str, float] = {}
    for item in (header or "").split(","):
        name, *params = item.strip().split(";")
        q = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip():
            codings[name.strip().lower()] = q
    if "gzip" in codings:
        return codings["gzip"] > 0
    return codings.get("*", 0.0) > 0
