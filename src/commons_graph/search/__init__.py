"""Full-text search: an SQLite FTS5 index of the store, kept in step with its writes."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.search.messages import MESSAGES as _MESSAGES

register(_MESSAGES)
