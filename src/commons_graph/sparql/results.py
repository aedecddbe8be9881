"""Writing SELECT and ASK results in the SPARQL 1.1 result formats (JSON, XML, CSV, TSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _json_string
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from commons_graph.rdf.formats import ResultFormat

if TYPE_CHECKING:  # the store package imports rdflib, which query workers do without
    from commons_graph.store.results import Row, Term

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def write_select(variables: Sequence[str], rows: Iterable[Row], fmt: ResultFormat) -> bytes:
    """Serialise SELECT solutions in `fmt`."""
    writer = {"json": _json_select, "xml": _xml_select, "csv": _csv_select, "tsv": _tsv_select}
    return writer[fmt.name](variables, rows).encode("utf-8")


def write_boolean(value: bool, fmt: ResultFormat) -> bytes:
    """Serialise an ASK answer in `fmt`."""
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt.name == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    # CSV and TSV have no boolean form; tools read a single value column.
    header = "_askResult" if fmt.name == "csv" else "?_askResult"
    return f"{header}\r\n{'true' if value else 'false'}\r\n".encode()


def _json_term(term: Term) -> str:
    """One term as SPARQL JSON text, written directly: the hot path of every answer."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.Literal):
        text = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return text + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            return text + ',"datatype":' + _json_string(datatype) + "}"
        return text + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    # A triple term (RDF 1.2): its parts as the SPARQL 1.2 JSON format nests them.
    return (
        '{"type":"triple","value":{"subject":'
        + _json_term(term.subject)
        + ',"predicate":'
        + _json_term(term.predicate)
        + ',"object":'
        + _json_term(term.object)
        + "}}"
    )


def _json_select(variables: Sequence[str], rows: Iterable[Row]) -> str:
    # Built as text rather than dicts given to json.dumps: half the time, and answers are
    # mostly small, so this is a large part of what a lookup costs.
    names = [_json_string(v) + ":" for v in variables]
    bindings = []
    for row in rows:
        bound = zip(names, row, strict=True)
        pairs = [name + _json_term(term) for name, term in bound if term is not None]
        bindings.append("{" + ",".join(pairs) + "}")
    head = ",".join([_json_string(v) for v in variables])
    return '{"head":{"vars":[' + head + ']},"results":{"bindings":[' + ",".join(bindings) + "]}}"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _xml_select(variables: Sequence[str], rows: Iterable[Row]) -> str:
    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for var, term in zip(variables, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts)


def _csv_select(variables: Sequence[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else _plain(t) for t in row])
    return buffer.getvalue()


def _plain(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_select(variables: Sequence[str], rows: Iterable[Row]) -> str:
    lines = ["\t".join(f"?{v}" for v in variables)]
    # TSV cells use the SPARQL/Turtle term syntax, which pyoxigraph's str() gives.
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def json_rows(body: bytes) -> int:
    """The number of solutions in a compact SPARQL JSON answer whose rows each bind a variable.

    Inside a JSON string every `"` is escaped (`\\"`), so `{"` only ever opens an object, and
    `},{"` only ever separates two rows of `bindings` (terms in a row are separated by
    `,"name":`, the head's variables are strings): rows = separators + 1, unless there are none.
    """
    if b'"bindings":[]' in body:
        return 0
    return body.count(b'},{"') + 1
