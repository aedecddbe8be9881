"""Stores: one interface, an embedded and a remote backend."""

from __future__ import annotations

from commons_graph.config import Settings
from commons_graph.i18n.registry import register
from commons_graph.store.base import ChangeSet, SelectResult, Store, StoreError
from commons_graph.store.messages import MESSAGES as _MESSAGES

__all__ = ["ChangeSet", "SelectResult", "Store", "StoreError", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open the store the settings select: a folder, or a SPARQL server by URL."""
    if settings.is_remote:
        from commons_graph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    from commons_graph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_path)


# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
