"""The network of resources, a graph kept in step with the store: neighbourhoods, paths, bridges."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.network.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
