"""Where a store's search index lives: one file per store, beside it like its accounts."""

from __future__ import annotations

from pathlib import Path

from commons_graph.config import DEFAULT_STORE, Settings
from commons_graph.members.location import remote_key


def index_path(settings: Settings) -> Path:
    """The search index of the store `settings` select."""
    if settings.search_index:
        return Path(settings.search_index).expanduser()
    if settings.is_remote:
        if settings.accounts:
            # The place chosen for the store's local files (recommended for a remote store).
            accounts = Path(settings.accounts).expanduser()
            return accounts.with_name(f"{accounts.stem}.search.sqlite")
        return Path(DEFAULT_STORE).parent / "search" / f"{remote_key(settings.store)}.sqlite"
    store = settings.store_path
    return store.with_name(f"{store.name}.search.sqlite")
