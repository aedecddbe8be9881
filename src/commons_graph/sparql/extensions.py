"""The extension functions the endpoint evaluates (GeoSPARQL), found by running each once.

The service description declares only what works: each candidate is called on the store with
sample arguments, and is declared when it answers a value (an unsupported function is an error
or leaves its variable unbound). Run once per store, on constants: no data is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.errors import CommonsGraphError
from commons_graph.store.base import Store

GEOF = "http://www.opengis.net/def/function/geosparql/"
_WKT = "<http://www.opengis.net/ont/geosparql#wktLiteral>"
_POINT = f'"POINT(2.35 48.85)"^^{_WKT}'
_FAR = f'"POINT(-43.2 -22.9)"^^{_WKT}'
_SQUARE = f'"POLYGON((2 48, 3 48, 3 49, 2 49, 2 48))"^^{_WKT}'
_METRE = "<http://www.opengis.net/def/uom/OGC/1.0/metre>"


@dataclass(frozen=True)
class Extension:
    """A function the endpoint may evaluate, with a call that shows whether it does."""

    iri: str
    call: str
    label: str


def _geof(name: str, args: str, label: str) -> Extension:
    return Extension(GEOF + name, f"<{GEOF}{name}>({args})", label)


CANDIDATES: tuple[Extension, ...] = (
    _geof("distance", f"{_POINT}, {_FAR}, {_METRE}", "geodesic distance (with a unit of measure)"),
    _geof("sfWithin", f"{_POINT}, {_SQUARE}", "Simple Features within"),
    _geof("sfContains", f"{_SQUARE}, {_POINT}", "Simple Features contains"),
    _geof("sfIntersects", f"{_POINT}, {_SQUARE}", "Simple Features intersects"),
    _geof("sfDisjoint", f"{_FAR}, {_SQUARE}", "Simple Features disjoint"),
    _geof("sfEquals", f"{_POINT}, {_POINT}", "Simple Features equals"),
    _geof("sfTouches", f"{_POINT}, {_SQUARE}", "Simple Features touches"),
    _geof("sfOverlaps", f"{_SQUARE}, {_SQUARE}", "Simple Features overlaps"),
    _geof("sfCrosses", f"{_POINT}, {_SQUARE}", "Simple Features crosses"),
    _geof("envelope", _POINT, "envelope of a geometry"),
    _geof("buffer", f"{_POINT}, 10, {_METRE}", "buffer around a geometry"),
    _geof("convexHull", _POINT, "convex hull of a geometry"),
    _geof("area", f"{_SQUARE}, {_METRE}", "area of a geometry"),
    _geof("getSRID", _POINT, "spatial reference system of a geometry"),
)


def supported(store: Store, candidates: tuple[Extension, ...] = CANDIDATES) -> list[Extension]:
    """The candidates the store evaluates: each one answers a value for its sample call."""
    found = []
    for extension in candidates:
        try:
            rows = store.select(f"SELECT ?v WHERE {{ BIND({extension.call} AS ?v) }}").rows
        except (CommonsGraphError, RuntimeError):
            # pyoxigraph raises RuntimeError for an unknown function; a remote server answers
            # an error (StoreError, QuerySyntaxError): either way, not supported.
            continue
        if rows and rows[0][0] is not None:
            found.append(extension)
    return found
