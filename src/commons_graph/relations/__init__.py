"""Connections grounded in the data: relations between organisations derived from the facts
they share, kept in their own named graph with PROV saying how each was derived."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.relations.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
