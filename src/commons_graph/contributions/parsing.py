"""Reading a contribution: size limits, media type, bundled JSON-LD contexts, fixed base IRI."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from commons_graph.contributions.errors import ContributionError, TooLarge, UnsupportedMediaType
from commons_graph.rdf.formats import Format, rdf_format, rdf_format_for_media_type
from commons_graph.rdf.namespaces import BASE, ID, RDF_TYPE
from commons_graph.rdf.parsing import RdfSyntaxError, nesting_depth, parse_rdf

if TYPE_CHECKING:
    from commons_graph.config import Settings

# Relative IRIs in a contribution resolve against the instances' namespace: `<commons/x>`.
CONTRIBUTION_BASE = str(ID)
ACCEPTED_FORMATS: tuple[Format, ...] = (
    rdf_format("turtle"),
    rdf_format("ntriples"),
    rdf_format("jsonld"),
)
SHACL = "http://www.w3.org/ns/shacl#"

# JSON-LD contexts a contribution may name: each is answered from a bundled copy, never fetched.
# (pyoxigraph itself refuses remote contexts without a loader; we inline these before parsing.)
CONTEXT_URL = BASE + "contributions/context.jsonld"
_BUNDLED_CONTEXTS = {CONTEXT_URL: "commons-graph.jsonld"}


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """The bundled JSON-LD context document for an allowed URL."""
    path = Path(__file__).with_name("contexts") / _BUNDLED_CONTEXTS[url]
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def allowed_contexts() -> list[str]:
    """The context URLs contributions may use."""
    return sorted(_BUNDLED_CONTEXTS)


def media_format(content_type: str | None) -> Format:
    """The RDF format of a request body, or 415."""
    accepted = ", ".join(f.media_type for f in ACCEPTED_FORMATS)
    fmt = rdf_format_for_media_type(content_type or "")
    if fmt is None or fmt not in ACCEPTED_FORMATS:
        raise UnsupportedMediaType(
            "contribution.media_type", media_type=content_type or "-", accepted=accepted
        )
    return fmt


def check_size(length: int, limit: int) -> None:
    """Refuse a body over the limit (413) before reading or parsing it."""
    if length > limit:
        raise TooLarge("contribution.too_large", limit=limit)


@dataclass(frozen=True)
class ContributionLimits:
    """What one contribution may hold: each bounds the work of parsing, checking and hashing it."""

    max_bytes: int = 1_000_000
    max_statements: int = 10_000
    max_blank_nodes: int = 1_000
    max_depth: int = 32

    @classmethod
    def from_settings(cls, settings: Settings) -> ContributionLimits:
        """The limits the service is configured with."""
        return cls(
            max_bytes=settings.max_contribution_bytes,
            max_statements=settings.max_contribution_statements,
            max_blank_nodes=settings.max_contribution_blank_nodes,
            max_depth=settings.max_contribution_depth,
        )


def parse_contribution(
    body: bytes, fmt: Format, limits: ContributionLimits | int
) -> list[ox.Triple]:
    """The triples of a contribution body (`limits`, or just its largest size in bytes);
    refuses named graphs, shapes, triple terms, empty bodies and anything over the limits."""
    if isinstance(limits, int):
        limits = ContributionLimits(max_bytes=limits)
    check_size(len(body), limits.max_bytes)
    # Before any recursive parser (json, the JSON-LD and Turtle parsers) sees the body.
    if nesting_depth(body, fmt, stop_at=limits.max_depth) > limits.max_depth:
        raise ContributionError("contribution.too_deep", status=422, limit=limits.max_depth)
    if fmt.name == "jsonld":
        body = _inline_contexts(body)
    try:
        quads = _read(body, fmt, limits.max_statements)
    except RdfSyntaxError as error:
        detail = str(error).removeprefix("contribution: ")
        if "LoadDocumentCallback" in detail:
            raise ContributionError("contribution.remote_context", context="?") from None
        raise ContributionError("contribution.syntax", detail=detail) from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise ContributionError("contribution.named_graphs")
    triples = list(dict.fromkeys(q.triple for q in quads))
    if not triples:
        raise ContributionError("contribution.empty")
    _refuse_triple_terms(triples)
    _count_blank_nodes(triples, limits.max_blank_nodes)
    _refuse_shapes(triples)
    return triples


def _read(body: bytes, fmt: Format, max_statements: int) -> list[ox.Quad]:
    """The quads of the body, parsing no further than one past `max_statements` (then 413)."""
    quads: list[ox.Quad] = []
    for quad in parse_rdf(body, fmt, CONTRIBUTION_BASE, name="contribution"):
        quads.append(quad)
        if len(quads) > max_statements:
            raise TooLarge("contribution.too_many_statements", limit=max_statements)
    return quads


def _refuse_triple_terms(triples: list[ox.Triple]) -> None:
    """RDF 1.2 triple terms (`<<( … )>>`, reifiers `<< … >>`, annotations) are not accepted:
    the shapes, the store's history and the content hash speak RDF 1.1."""
    if any(isinstance(t.object, ox.Triple) for t in triples):
        raise ContributionError("contribution.triple_terms", status=422)


def _count_blank_nodes(triples: list[ox.Triple], limit: int) -> None:
    nodes = {t.subject for t in triples if isinstance(t.subject, ox.BlankNode)}
    nodes.update(t.object for t in triples if isinstance(t.object, ox.BlankNode))
    if len(nodes) > limit:
        raise ContributionError("contribution.too_many_blank_nodes", status=422, limit=limit)


def _refuse_shapes(triples: list[ox.Triple]) -> None:
    """Contributions are checked against the service's shapes only, so they may carry none."""
    for triple in triples:
        predicate = triple.predicate.value
        is_shape_type = (
            predicate == RDF_TYPE.value
            and isinstance(triple.object, ox.NamedNode)
            and triple.object.value.startswith(SHACL)
        )
        if predicate.startswith(SHACL) or is_shape_type:
            raise ContributionError("contribution.shapes_refused")


def _inline_contexts(body: bytes) -> bytes:
    """The JSON-LD document with allowed context URLs replaced by their bundled copies."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ContributionError("contribution.syntax", detail=f"JSON: {error}") from None
    return json.dumps(_walk(document)).encode("utf-8")


def _walk(node: Any) -> Any:
    if isinstance(node, list):
        return [_walk(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "@context":
            result[key] = _context(value)
        else:
            result[key] = _walk(value)
    return result


def _context(value: Any) -> Any:
    """A context value with every referenced URL resolved from the allow-list."""
    if isinstance(value, str):
        if value not in _BUNDLED_CONTEXTS:
            raise ContributionError("contribution.remote_context", context=value)
        return bundled_context(value)["@context"]
    if isinstance(value, list):
        return [_context(item) for item in value]
    if isinstance(value, dict):
        inlined: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@import":
                if not isinstance(item, str) or item not in _BUNDLED_CONTEXTS:
                    raise ContributionError("contribution.remote_context", context=str(item))
                # @import merges the imported context under the local definitions.
                imported = dict(bundled_context(item)["@context"])
                imported.pop("@version", None)
                inlined = {**imported, **inlined}
            elif isinstance(item, dict) and "@context" in item:
                inlined[key] = {**item, "@context": _context(item["@context"])}
            else:
                inlined[key] = item
        return inlined
    return value
