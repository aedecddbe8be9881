"""Exports of a list (or of any ordered IRIs of a kind): CSV, JSON, Turtle, N-Triples, JSON-LD,
streamed in chunks, with the licences and attributions of the data they contain.

Only the IRIs of the list are held; labels are read a chunk at a time and facet values come
from the kind's list index. Columns (CSV) and keys (JSON): `iri`, `label`, `kind`,
`kind_iri`, then for each other facet of the kind `<facet>` (labels) and `<facet>_iri`;
several values are joined with " | " (labels) and " " (IRIs) in CSV, lists in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.errors import BadInputError
from commons_graph.places import PLACE_BASE
from commons_graph.rdf.namespaces import CC, DCTERMS, RDF_TYPE, RDFS_LABEL
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.store.base import Store
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.facet_values import FACET_BASE
from commons_graph.views.kinds import Kind
from commons_graph.views.labels import fetch_labels, short_name
from commons_graph.views.listing import Filters, ListIndex, facet_labels, list_index

# Rows are read and written this many at a time: one label query per chunk.
CHUNK = 500
# The licence of everything not imported (the seed and members' contributions).
SITE_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SITE_ATTRIBUTION = "commons-graph contributors"

# Export formats by their ?format= name: media type, file extension.
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "ttl": ("text/turtle; charset=utf-8", "ttl"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "jsonld"),
}
# Accept media types -> format name, in the server's order of preference after HTML.
EXPORT_MEDIA_TYPES: dict[str, str] = {
    "text/csv": "csv",
    "application/json": "json",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
}
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    """An export ready to send: its media type, file name, licences and streamed body."""

    media_type: str
    filename: str
    licences: list[DatasetInfo]
    body: Iterator[bytes]


def safe_cell(text: str) -> str:
    """`text` made inert in a spreadsheet: a leading formula character gets a `'` before it."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def licences_of(
    store: Store, kind: Kind, index: ListIndex, iris: Sequence[str], lang: str
) -> list[DatasetInfo]:
    """The datasets the resources `iris` come from (licence, attribution), and the site's own
    licence for the rest."""
    by_member = index.facet_values.get("dataset")
    if by_member is not None:
        found = {d for iri in iris for d in by_member.get(iri, ())}
        datasets = datasets_of_graphs(store, found, lang) if found else []
        imported = sum(1 for iri in iris if by_member.get(iri))
    else:
        datasets = datasets_of_graphs(store, iris[:CHUNK], lang) if iris else []
        imported = 0
    site = DatasetInfo(iri="", title=None, license=SITE_LICENCE, attribution=SITE_ATTRIBUTION)
    return datasets if iris and imported == len(iris) else [*datasets, site]


def columns(kind: Kind) -> list[str]:
    """The CSV columns (and JSON keys) of an export of `kind`."""
    names = ["iri", "label", "kind", "kind_iri"]
    for facet in kind.facets:
        if facet != "kind":
            names += [facet, f"{facet}_iri"]
    return names


@dataclass(frozen=True)
class _Row:
    iri: str
    label: str
    # The label statements as the store holds them (RDF exports only).
    labels: list[ox.Triple]
    # Facet name -> the IRIs of its values (tuples shared by the index between members).
    facets: dict[str, tuple[str, ...]]


@dataclass
class _Chunk:
    rows: list[_Row]
    # Labels of the facet values of every chunk so far.
    value_label: Callable[[str], str]


def _rows(
    store: Store, kind: Kind, index: ListIndex, iris: Sequence[str], lang: str, *, rdf: bool
) -> Iterator[_Chunk]:
    """The rows of `iris`, a chunk at a time: label and facet values. CSV and JSON take labels
    from the list index (no query per chunk); RDF reads the label statements themselves."""
    facets = list(kind.facets)
    kinds = None if "kind" in facets else tuple(kind.roots[:1])
    # Facets without any value are left out of the rows (their cells stay empty).
    by_name = [(name, found) for name in facets if (found := index.facet_values.get(name))]
    # Labels from the index when `iris` keep its order (a list's selection); else, and for
    # RDF (which carries every language's label statements), read a chunk at a time.
    along = None if rdf else index.labels_along(lang, iris)
    for start in range(0, len(iris), CHUNK):
        chunk = iris[start : start + CHUNK]
        known = along[start : start + CHUNK] if along is not None else None
        values_of = [{name: by_member.get(iri, ()) for name, by_member in by_name} for iri in chunk]
        wanted = {v for found in values_of for values_ in found.values() for v in values_}
        label_of = facet_labels(store, index, [*wanted, *(kinds or ())], lang)
        by_subject: dict[str, list[ox.Triple]] = {}
        stored = fetch_labels(store, chunk, lang) if known is None else None
        for triple in stored.triples if stored else ():
            if isinstance(triple.subject, ox.NamedNode):
                by_subject.setdefault(triple.subject.value, []).append(triple)
        rows = []
        for at, (iri, values) in enumerate(zip(chunk, values_of, strict=True)):
            if kinds:
                values["kind"] = kinds
            label = (known[at] if known is not None else stored.get(iri) if stored else None) or (
                short_name(iri)
            )
            rows.append(_Row(iri, label, by_subject.get(iri, []), values))
        yield _Chunk(rows, label_of)


def csv_cell(text: str) -> str:
    """One CSV field as `csv.writer` writes it (RFC 4180, minimal quoting): quoted, with its
    quotes doubled, when it holds a comma, a quote or a line break."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(kind: Kind, chunks: Iterator[_Chunk]) -> Iterator[bytes]:
    header = columns(kind)
    yield (",".join(csv_cell(name) for name in header) + "\r\n").encode()
    names = ["kind", *(f for f in kind.facets if f != "kind")]
    # Many members share the same few combinations of values: their two cells are made once,
    # as CSV text; a row is then a join of strings (4x fewer steps than csv.writer's per
    # field, the export's largest cost).
    cells: dict[tuple[str, ...], str] = {}
    empty = ",,"
    for chunk in chunks:
        lines = []
        for row in chunk.rows:
            line = [csv_cell(row.iri), ",", csv_cell(safe_cell(row.label))]
            for name in names:
                found = row.facets.get(name)
                if not found:
                    line.append(empty)
                    continue
                pair = cells.get(found)
                if pair is None:
                    labels = " | ".join(chunk.value_label(v) for v in found)
                    pair = cells[found] = (
                        "," + csv_cell(safe_cell(labels)) + "," + csv_cell(" ".join(found))
                    )
                line.append(pair)
            line.append("\r\n")
            lines.append("".join(line))
        yield "".join(lines).encode()


def _json(
    kind: Kind,
    chunks: Iterator[_Chunk],
    head: Mapping[str, object],
) -> Iterator[bytes]:
    names = ["kind", *(f for f in kind.facets if f != "kind")]
    opening = json.dumps(dict(head), ensure_ascii=False)[:-1]
    yield (opening + ', "items": [').encode()
    first = True
    for chunk in chunks:
        parts = []
        for row in chunk.rows:
            item: dict[str, object] = {"iri": row.iri, "label": row.label}
            for name in names:
                found = row.facets.get(name, ())
                item[name] = [{"iri": iri, "label": chunk.value_label(iri)} for iri in found]
            parts.append(json.dumps(item, ensure_ascii=False))
        if parts:
            yield (("" if first else ",") + "\n" + ",\n".join(parts)).encode()
            first = False
    yield b"\n]}\n"


def _triples(kind: Kind, row: _Row) -> list[ox.Triple]:
    subject = ox.NamedNode(row.iri)
    triples = [ox.Triple(subject, RDF_TYPE, ox.NamedNode(iri)) for iri in row.facets["kind"]]
    if "kind" in kind.facets and kind.kind_property and kind.kind_property != RDF_TYPE.value:
        prop = ox.NamedNode(kind.kind_property)
        triples = [ox.Triple(subject, prop, t.object) for t in triples]
        triples.append(ox.Triple(subject, RDF_TYPE, ox.NamedNode(kind.roots[0])))
    triples += row.labels or [ox.Triple(subject, RDFS_LABEL, ox.Literal(row.label))]
    for name, found in row.facets.items():
        if name == "kind":
            continue
        path = kind.dimension(name).path
        # Values read through one property are written with it; keyed values (places and
        # words, normalised) are not statements of the store and are left to the CSV/JSON.
        if path.count("<") == 1 and path.startswith("<"):
            prop = ox.NamedNode(path[1:-1])
            triples += [
                ox.Triple(subject, prop, ox.NamedNode(iri)) for iri in found if not _is_keyed(iri)
            ]
    return triples


def _is_keyed(iri: str) -> bool:
    return iri.startswith((PLACE_BASE, FACET_BASE))


def _about(document: str, licences: list[DatasetInfo]) -> list[ox.Triple]:
    """The export document's licences and attributions, as triples."""
    subject = ox.NamedNode(document)
    license_ = ox.NamedNode(DCTERMS + "license")
    triples = []
    for info in licences:
        triples.append(ox.Triple(subject, license_, ox.NamedNode(info.license)))
        if info.attribution:
            name = ox.NamedNode(CC + "attributionName")
            triples.append(ox.Triple(subject, name, ox.Literal(info.attribution)))
        if info.iri:
            source = ox.NamedNode(DCTERMS + "source")
            triples.append(ox.Triple(subject, source, ox.NamedNode(info.iri)))
    return triples


# Turtle prefixes, declared once at the top; minted IRIs are written whole (as views/rdf.py
# does).
_TURTLE_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "cgid"} | {"cc": CC}


def _without_prefixes(turtle: bytes) -> bytes:
    """A Turtle chunk without the @prefix lines its serialiser repeats (declared at the top)."""
    lines = turtle.split(b"\n")
    at = 0
    while at < len(lines) and lines[at].startswith(b"@prefix "):
        at += 1
    return b"\n".join(lines[at:])


def _rdf_lines(
    kind: Kind,
    chunks: Iterator[_Chunk],
    document: str,
    licences: list[DatasetInfo],
    fmt: ox.RdfFormat,
) -> Iterator[bytes]:
    prefixes = _TURTLE_PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    yield ox.serialize(_about(document, licences), format=fmt, prefixes=prefixes) or b""
    for chunk in chunks:
        triples = [t for row in chunk.rows for t in _triples(kind, row)]
        written = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        yield _without_prefixes(written) if prefixes else written


def _term_json(term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return {"@value": term.value, "@type": term.datatype.value}
        return {"@value": term.value}
    raise ValueError("only IRIs and literals are exported")


def _node(triples: list[ox.Triple]) -> dict[str, object]:
    subject = triples[0].subject
    assert isinstance(subject, ox.NamedNode)
    node: dict[str, object] = {"@id": subject.value}
    for triple in triples:
        if triple.predicate == RDF_TYPE:
            types = node.setdefault("@type", [])
            assert isinstance(types, list)
            assert isinstance(triple.object, ox.NamedNode)
            types.append(triple.object.value)
        else:
            found = node.setdefault(triple.predicate.value, [])
            assert isinstance(found, list)
            found.append(_term_json(triple.object))
    return node


def _jsonld(
    kind: Kind, chunks: Iterator[_Chunk], document: str, licences: list[DatasetInfo]
) -> Iterator[bytes]:
    about = _about(document, licences)
    head = json.dumps(_node(about), ensure_ascii=False) if about else ""
    yield ('{"@graph": [\n' + head).encode()
    first = not head
    for chunk in chunks:
        parts = [json.dumps(_node(_triples(kind, row)), ensure_ascii=False) for row in chunk.rows]
        if parts:
            yield (("" if first else ",\n") + ",\n".join(parts)).encode()
            first = False
    yield b"\n]}\n"


def export_iris(
    store: Store,
    kind: Kind,
    lang: str,
    iris: Sequence[str],
    fmt: str,
    *,
    document: str,
    filters: Filters | None = None,
    name: str | None = None,
    index: ListIndex | None = None,
    about: Mapping[str, object] | None = None,
) -> Export:
    """An export of `iris` (resources of `kind`, in this order) in `fmt`; `document` is the
    absolute URL of the export (the subject of its licence statements in RDF). `index` gives
    the facet values (the kind's list index by default: a search passes its hits'), `about`
    what the JSON head says besides a list's metadata."""
    if fmt not in EXPORT_FORMATS:
        offered = ", ".join(EXPORT_FORMATS)
        raise BadInputError("view.error.export_format", format=fmt[:32], offered=offered)
    index = index or list_index(store, kind)
    licences = licences_of(store, kind, index, iris, lang)
    media_type, extension = EXPORT_FORMATS[fmt]
    chunks = _rows(store, kind, index, iris, lang, rdf=fmt in ("ttl", "nt", "jsonld"))
    body: Iterator[bytes]
    if fmt == "csv":
        body = _csv(kind, chunks)
    elif fmt == "json":
        head = metadata(kind, lang, len(iris), licences, filters or {}) | dict(about or {})
        body = _json(kind, chunks, head)
    elif fmt == "jsonld":
        body = _jsonld(kind, chunks, document, licences)
    else:
        rdf_format = ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.N_TRIPLES
        body = _rdf_lines(kind, chunks, document, licences, rdf_format)
    return Export(media_type, f"{name or kind.key}.{extension}", licences, body)


def export_list(
    store: Store,
    kind: Kind,
    lang: str,
    filters: Filters,
    fmt: str,
    *,
    document: str,
) -> Export:
    """The whole list of `kind` passing `filters` (every page), in `fmt`."""
    iris = list_index(store, kind).select(kind, lang, filters).members
    return export_iris(store, kind, lang, iris, fmt, document=document, filters=filters)


def metadata(
    kind: Kind,
    lang: str,
    total: int,
    licences: list[DatasetInfo],
    filters: Mapping[str, Sequence[str]],
) -> dict[str, object]:
    """What an export is: its list, filters, size, columns, and the licences to respect."""
    return {
        "kind": kind.key,
        "lang": lang,
        "filters": {name: list(values) for name, values in filters.items()},
        "total": total,
        "columns": columns(kind),
        "licences": [licence_json(info) for info in licences],
    }


def licence_json(info: DatasetInfo) -> dict[str, str | None]:
    """One licence entry of an export's metadata."""
    return {
        "licence": info.license,
        "attribution": info.attribution,
        "dataset": info.iri or None,
        "title": info.title,
    }
