"""The small map on a located resource's page: its point and the tiles to draw it on."""

from __future__ import annotations

from dataclasses import dataclass

from commons_graph.config import Settings
from commons_graph.geo.points import Point, point_of
from commons_graph.geo.tiles import TileLayer, tile_layer, tile_source
from commons_graph.store.base import Store


@dataclass(frozen=True)
class MiniMap:
    """What `_minimap.html` draws: where, what, and on which tiles."""

    point: Point
    label: str
    tiles: TileLayer
    tile_host: str | None


def minimap(store: Store, iri: str, label: str, settings: Settings) -> MiniMap | None:
    """The small map of resource `iri`, or None when it has no location."""
    point = point_of(store, iri)
    if point is None:
        return None
    layer = tile_layer(settings)
    return MiniMap(point, label, layer, tile_source(layer.url))
