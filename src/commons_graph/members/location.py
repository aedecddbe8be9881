"""Where a store's accounts database lives: one file per store, never shared between stores.

Members, their history and the signing secret belong to one store: the history of a store must
only show its own contributions. The file is therefore derived from the store itself:

- embedded store at `DIR/NAME`: `DIR/NAME.accounts.sqlite` (beside its folder, like
  `NAME.snapshots/`), so two stores in one folder have two files;
- remote store: `.commons-graph/accounts/<host>-<port>-<path>-<hash>.sqlite`, keyed by the query
  URL (the hash tells apart URLs that read alike);
- `COMMONS_GRAPH_ACCOUNTS`, when set, wins (recommended for a remote store in production).

Before this rule, every store of a folder (and every remote store) shared `accounts.sqlite`: such
a file is copied, once, to the store's own location when the store already existed, and the
contributions its store does not hold are forgotten from the copy when the store is next opened
(`contributions.journal.recover`). The old file is left for the other stores that shared it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from commons_graph.config import DEFAULT_STORE, Settings

LEGACY_FILE = "accounts.sqlite"
MIGRATED_FROM = "migrated_from"

log = logging.getLogger("commons_graph.members")


def remote_key(url: str) -> str:
    """A file name for the accounts of the remote store whose query URL is `url`."""
    parts = urlsplit(url)
    readable = re.sub(r"[^A-Za-z0-9.]+", "-", f"{parts.netloc}{parts.path}").strip("-.")[:60]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    return f"{readable}-{digest}"


def accounts_path(settings: Settings) -> Path:
    """The accounts database of the store `settings` select."""
    if settings.accounts:
        return Path(settings.accounts).expanduser()
    if settings.is_remote:
        return Path(DEFAULT_STORE).parent / "accounts" / f"{remote_key(settings.store)}.sqlite"
    store = settings.store_path
    return store.with_name(f"{store.name}.accounts.sqlite")


def legacy_path(settings: Settings) -> Path | None:
    """The file this store's accounts were kept in before they had their own, if any."""
    if settings.accounts:
        return None
    if settings.is_remote:
        return Path(DEFAULT_STORE).parent / LEGACY_FILE
    store = settings.store_path
    # A store that does not exist yet has no accounts anywhere: it starts with none.
    if not store.is_dir() or not any(store.iterdir()):
        return None
    return store.parent / LEGACY_FILE


def migrate(settings: Settings) -> Path:
    """The store's accounts path, after copying the shared file there if it is the first time."""
    path = accounts_path(settings)
    legacy = legacy_path(settings)
    if path.exists() or legacy is None or not legacy.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".copying")
    source = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # a consistent copy, even of a file in use
        target.execute(
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        target.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
            (MIGRATED_FROM, str(legacy.resolve())),
        )
        target.commit()
    finally:
        target.close()
        source.close()
    os.replace(partial, path)  # all or nothing: a half copy is never taken for the accounts
    log.warning(
        "the accounts shared in %s were copied to %s, this store's own file; remove the old "
        "file once every store that used it has started once",
        legacy,
        path,
    )
    return path
