"""The located resources: a WGS84 point for every resource the store places, read once per
store state.

A resource is located by `wgs84:lat` and `wgs84:long` on itself (what the Co-operatives UK
import writes, beside its geometry), else by the WKT `POINT(long lat)` of a geometry it links to
with `geo:hasGeometry`. Values that are not numbers, or out of range, place nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.namespaces import BASE
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.labels import LABEL_PROPERTIES, pick, short_name
from commons_graph.views.sparql import PROLOGUE, as_int

WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEOSPARQL = "http://www.opengis.net/ont/geosparql#"
# Six decimals are 0.11 m at the equator: finer than any address (pages show these).
DECIMALS = 6
# The GeoJSON's: five decimals are 1.1 m at most, finer than the data's places (the
# Co-operatives UK points are postcode centres), and each digit more costs ~0.1 MB gzipped at
# 100k features (random digits do not compress): 2.05 against 1.92 MB for the map. The
# statements keep every digit the source gave.
GEOJSON_DECIMALS = 5

# The graph each point is stated in: with GRAPH_DATASETS, the candidates for crediting a dataset
# (docs/web.md "Map"). Reading each resource's own void:inDataset instead cost twice the time
# (an OPTIONAL per row); a graph's resources are in the datasets some of them name.
_LAT_LONG = f"""
SELECT ?s ?lat ?long ?g WHERE {{
  GRAPH ?g {{ ?s <{WGS84}lat> ?lat ; <{WGS84}long> ?long }}
  FILTER(isIRI(?s))
}}
"""
# Only resources without lat/long: the import writes both, and reading the WKT of 100k
# resources already placed would double the time.
_WKT = f"""
SELECT ?s ?wkt ?g WHERE {{
  GRAPH ?g {{ ?s <{GEOSPARQL}hasGeometry> ?geometry }}
  ?geometry <{GEOSPARQL}asWKT> ?wkt .
  MINUS {{ ?s <{WGS84}lat> ?anyLatitude }}
  FILTER(isIRI(?s) && isLiteral(?wkt))
}}
"""
_GRAPH_DATASETS = """
SELECT DISTINCT ?g ?d WHERE { GRAPH ?g { ?x void:inDataset|dcterms:isPartOf ?d } FILTER(isIRI(?d)) }
"""
# The label properties ranked (?r): a SKOS concept's prefLabel beats its rdfs:label.
_LABEL_UNION = " UNION ".join(
    f"{{ ?s <{p}> ?l BIND({rank} AS ?r) }}" for rank, p in enumerate(LABEL_PROPERTIES)
)
_LABELS = f"""
SELECT ?s ?l ?r WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{
     {{ ?s <{WGS84}lat> ?lat }} UNION {{ ?s <{GEOSPARQL}hasGeometry> ?geometry }}
  }} }}
  {_LABEL_UNION}
  FILTER(isLiteral(?l))
}}
"""
# A WKT point, optionally with a CRS IRI first (GeoSPARQL's default CRS is CRS84: long lat).
_POINT = re.compile(
    r"^\s*(?:<(?P<crs>[^>]*)>\s*)?POINT\s*\(\s*(?P<x>[-+0-9.eE]+)\s+(?P<y>[-+0-9.eE]+)\s*\)\s*$",
    re.IGNORECASE,
)
_CRS84 = {
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",  # axis order lat long: swapped below
}


@dataclass(frozen=True)
class Point:
    """A WGS84 position, rounded to DECIMALS (and as read, for the GeoJSON to round once)."""

    lat: float
    lon: float
    exact: tuple[float, float] | None = field(default=None, compare=False, repr=False)

    @property
    def coordinates(self) -> str:
        """The GeoJSON position `[lon,lat]` with GEOJSON_DECIMALS, as JSON text (RFC 7946:
        longitude first)."""
        lat, lon = self.exact or (self.lat, self.lon)
        return f"[{_number(lon, GEOJSON_DECIMALS)},{_number(lat, GEOJSON_DECIMALS)}]"


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def make_point(lat: object, lon: object) -> Point | None:
    """A point from a latitude and longitude (numbers or their text), or None if invalid."""
    try:
        y, x = float(str(lat)), float(str(lon))
    except ValueError:
        return None
    if not (math.isfinite(y) and math.isfinite(x)) or abs(y) > 90 or abs(x) > 180:
        return None
    return Point(round(y, DECIMALS), round(x, DECIMALS), (y, x))


def parse_wkt_point(text: str) -> Point | None:
    """The point of a WKT `POINT(long lat)` literal (CRS84 unless EPSG:4326 is named)."""
    match = _POINT.match(text[:300])
    if match is None:
        return None
    crs = match.group("crs")
    if crs is not None and crs not in _CRS84:
        return None
    if crs == "http://www.opengis.net/def/crs/EPSG/0/4326":
        return make_point(match.group("x"), match.group("y"))
    return make_point(match.group("y"), match.group("x"))


@dataclass(frozen=True, slots=True)
class Located:
    """A located resource, held as the JSON text the GeoJSON writer joins (writing 100k
    features then costs string joins, not JSON encoding): the Feature's opening up to its
    `iri` property, its label in each site language (JSON strings), where its page is, and the
    graphs or datasets that may credit it."""

    head: str
    labels: tuple[str, ...]
    # For a minted IRI, its path under BASE (JSON-escaped, no quotes): the page is that path on
    # this server. Otherwise the page as a JSON value: the IRI itself when it is http(s), null.
    page_path: str | None
    page_other: str
    sources: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The label in `lang` (falls back as pages do), as a JSON string."""
        index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
        return self.labels[index]


def located(iri: str, point: Point, labels: tuple[str, ...], sources: tuple[str, ...]) -> Located:
    """The Located for `iri` at `point` (labels as plain texts, one per site language)."""
    iri_json = json.dumps(iri, ensure_ascii=False)
    head = (
        '{"type":"Feature","geometry":{"type":"Point","coordinates":'
        f'{point.coordinates}}},"properties":{{"iri":{iri_json}'
    )
    if iri.startswith(BASE):
        return Located(head, labels, iri_json[1 + len(BASE) : -1], "null", sources)
    other = iri_json if iri.lower().startswith(("http://", "https://")) else "null"
    return Located(head, labels, None, other, sources)


class LocatedIndex:
    """Every located resource of the store, by IRI."""

    def __init__(self, items: dict[str, Located]) -> None:
        self.items = items

    def get(self, iri: str) -> Located | None:
        """The located resource `iri`, or None."""
        return self.items.get(iri)

    def __len__(self) -> int:
        return len(self.items)


def _build(store: Store) -> LocatedIndex:
    points: dict[str, Point] = {}
    graphs: dict[str, set[str]] = {}
    wkt_points: dict[str, Point] = {}
    for row in store.select(PROLOGUE + _LAT_LONG).rows:
        subject, lat, lon, graph = row
        if not (isinstance(subject, NamedNode) and isinstance(lat, Literal)):
            continue
        if not isinstance(lon, Literal):
            continue
        point = make_point(lat.value, lon.value)
        if point is None:
            continue
        # Two positions for one resource: the first (in the store's order) wins.
        points.setdefault(subject.value, point)
        _add_graph(graphs, subject.value, graph)
    for row in store.select(PROLOGUE + _WKT).rows:
        subject, wkt, graph = row
        if not (isinstance(subject, NamedNode) and isinstance(wkt, Literal)):
            continue
        if subject.value in points:
            continue
        point = parse_wkt_point(wkt.value)
        if point is None:
            continue
        wkt_points.setdefault(subject.value, point)
        _add_graph(graphs, subject.value, graph)
    points.update(wkt_points)
    datasets: dict[str, set[str]] = {}
    for graph, dataset in store.select(PROLOGUE + _GRAPH_DATASETS).rows:
        if isinstance(graph, NamedNode) and isinstance(dataset, NamedNode):
            datasets.setdefault(graph.value, set()).add(dataset.value)
    texts: dict[str, dict[str, str]] = {}
    rows = store.select(PROLOGUE + _LABELS).rows
    for subject, label, _ in sorted(rows, key=lambda row: as_int(row[2])):
        if not (isinstance(subject, NamedNode) and isinstance(label, Literal)):
            continue
        if subject.value in points:
            texts.setdefault(subject.value, {}).setdefault(label.language or "", label.value)
    # Tuples held once: thousands of resources share one dataset.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    items: dict[str, Located] = {}
    for iri, point in points.items():
        found = texts.get(iri, {})
        fallback = short_name(iri)
        names = [pick(found, lang) or fallback for lang in LANGUAGES] if found else [fallback]
        encoded = [json.dumps(name, ensure_ascii=False) for name in names]
        labels = tuple(encoded) if len(set(encoded)) > 1 else (encoded[0],) * len(LANGUAGES)
        found_in = graphs.get(iri, set())
        candidates = found_in.union(*(datasets.get(graph, ()) for graph in found_in))
        key = tuple(sorted(candidates))
        items[iri] = located(iri, point, labels, shared.setdefault(key, key))
    return LocatedIndex(items)


def _add_graph(graphs: dict[str, set[str]], iri: str, graph: object) -> None:
    if isinstance(graph, NamedNode):
        graphs.setdefault(iri, set()).add(graph.value)


def located_index(store: Store) -> LocatedIndex:
    """The located resources for the store's current content (kept until it changes)."""
    # As the list indexes: after a write the previous index answers while the next is built.
    return derived(store, "geo/located", _build, stale_while_refreshing=True)


_ONE = f"""
SELECT ?lat ?long ?wkt WHERE {{
  {{ ?s <{WGS84}lat> ?lat ; <{WGS84}long> ?long }}
  UNION {{ ?s <{GEOSPARQL}hasGeometry> ?geometry . ?geometry <{GEOSPARQL}asWKT> ?wkt }}
}} LIMIT 20
"""


def point_of(store: Store, iri: str) -> Point | None:
    """The point of one resource, read now (for its page): lat/long first, else its WKT."""
    rows = store.select(PROLOGUE + _ONE, {"s": NamedNode(iri)}).dicts()
    for row in rows:
        lat, lon = row.get("lat"), row.get("long")
        if isinstance(lat, Literal) and isinstance(lon, Literal):
            point = make_point(lat.value, lon.value)
            if point is not None:
                return point
    for row in rows:
        wkt = row.get("wkt")
        if isinstance(wkt, Literal):
            point = parse_wkt_point(wkt.value)
            if point is not None:
                return point
    return None
