"""Places on a map: the located resources, their GeoJSON, the map's tile settings (no web
imports)."""

from __future__ import annotations

from commons_graph.geo.messages import MESSAGES as _MESSAGES
from commons_graph.i18n.registry import register

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
