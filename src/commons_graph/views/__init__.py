"""The queries behind the web pages: each returns dataclasses or triples, never responses."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.views.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
