"""The map's background: a tile server's URL template and its attribution, from the settings.

The *browser* fetches the tiles (the server never does): the page's CSP allows images from the
configured tile host only, and an empty template means no tiles at all (points on a plain
background).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commons_graph.config import Settings

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"

# scheme://host[:port]/path with {z}, {x} and {y}; `{s}` (Leaflet's subdomains a, b, c) may be
# the host's first label only, which the CSP then allows as `*.rest-of-host`.
_TEMPLATE = re.compile(
    r"^(?P<scheme>https?)://(?P<host>(?:\{s\}\.)?[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])"
    r"(?P<port>:[0-9]{1,5})?(?P<path>/[^\s\"'<>\\]*)$"
)
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_ALLOWED = {"z", "x", "y", "s", "r"}


def check_template(template: str) -> str:
    """`template` if it is a usable tile URL template (or empty), else ValueError."""
    if not template:
        return template
    match = _TEMPLATE.match(template)
    if match is None:
        raise ValueError(
            "a tile URL template is http(s)://host/path with {z}, {x} and {y}, "
            "e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    names = set(_PLACEHOLDER.findall(match.group("path")))
    if not {"z", "x", "y"} <= names or names - _ALLOWED or "{s}" in match.group("path"):
        raise ValueError("a tile URL template needs {z}, {x} and {y} in its path ({s} in its host)")
    return template


def tile_source(template: str) -> str | None:
    """The CSP source that allows the template's tiles (None when there are no tiles)."""
    if not template:
        return None
    match = _TEMPLATE.match(template)
    if match is None:
        return None
    host = match.group("host").replace("{s}.", "*.")
    return f"{match.group('scheme')}://{host}{match.group('port') or ''}"


@dataclass(frozen=True)
class TileLayer:
    """What a map page needs to draw its background, or `url == ""` for none."""

    url: str
    attribution: str
    attribution_url: str

    @property
    def enabled(self) -> bool:
        """Whether the map has tiles at all."""
        return bool(self.url)


def tile_layer(settings: Settings) -> TileLayer:
    """The tile layer the settings configure."""
    return TileLayer(settings.map_tiles, settings.map_attribution, settings.map_attribution_url)


def map_image_sources(settings: Settings) -> tuple[str, ...]:
    """What the CSP's img-src must allow besides this origin: the tile host, if any."""
    source = tile_source(settings.map_tiles)
    return (source,) if source else ()
