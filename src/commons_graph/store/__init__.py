"""Stores: one interface (base.py), an embedded and a remote backend, and seeding beside them."""

from __future__ import annotations

from commons_graph.config import Settings
from commons_graph.i18n.registry import register
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet, file_changes
from commons_graph.store.errors import QuerySyntaxError, SealedGraphError, StoreError
from commons_graph.store.messages import MESSAGES as _MESSAGES
from commons_graph.store.results import QueryResult, Row, SelectResult, Term
from commons_graph.store.sealing import SEALED_GRAPH_PREFIXES, is_sealed_graph
from commons_graph.store.sparql_text import bind, values_block, values_rows
from commons_graph.store.text import Stream, text_format, text_quads

__all__ = [
    "SEALED_GRAPH_PREFIXES",
    "ChangeSet",
    "QueryResult",
    "QuerySyntaxError",
    "Row",
    "SealedGraphError",
    "SelectResult",
    "Store",
    "StoreError",
    "Stream",
    "Term",
    "bind",
    "file_changes",
    "is_sealed_graph",
    "open_store",
    "text_format",
    "text_quads",
    "values_block",
    "values_rows",
]


def open_store(settings: Settings) -> Store:
    """Open the store the settings select: a folder, or a SPARQL server by URL."""
    if settings.is_remote:
        from commons_graph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from commons_graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_path)


# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
