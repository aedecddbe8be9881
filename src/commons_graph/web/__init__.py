"""The web layer: create_app (the composition root), services, request deps, routers, pages."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.web.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
