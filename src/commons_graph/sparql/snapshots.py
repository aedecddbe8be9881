"""Read-only checkpoints of the embedded store for the query workers, made and removed lazily."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

from commons_graph.store.embedded import EmbeddedStore

_LOOK_EVERY_SECONDS = 1.0


def snapshot_root(store_path: Path) -> Path:
    """The folder beside the store that holds its checkpoints: `<store>.snapshots`."""
    return store_path.parent / f"{store_path.name}.snapshots"


class Snapshots:
    """The current checkpoint of a store, a fresh one after each write, old ones cleaned up."""

    def __init__(self, store: EmbeddedStore) -> None:
        self.store = store
        self.root = snapshot_root(store.path)
        # Checkpoints left by an earlier run belong to no worker any more.
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self._lock = threading.Lock()
        self._users: Counter[Path] = Counter()
        self._serial = 0
        self._generation: int | None = None
        self._current: Path | None = None
        self._layout: frozenset[str] = frozenset()
        self._looked = 0.0

    def current(self) -> Path:
        """The checkpoint holding every write so far, made now if the store changed (or was
        compacted)."""
        with self._lock:
            return self._current_locked()

    def _current_locked(self) -> Path:
        """`current`, the caller holding the lock."""
        generation = self.store.generation
        if self._current is None or generation != self._generation or self._layout_changed():
            self._serial += 1
            target = self.root / f"{generation}-{self._serial}"
            self.store.checkpoint(target)
            # The checkpoint's own files: taking it may have flushed new ones.
            self._layout = _table_files(target)
            self._looked = time.monotonic()
            previous, self._current, self._generation = self._current, target, generation
            if previous is not None:
                self._remove_if_unused(previous)
        return self._current

    def _layout_changed(self) -> bool:
        """Whether RocksDB compacted files of the last checkpoint away (at most one look a
        second).

        RocksDB compacts in the background, after a bulk load above all; a checkpoint keeps
        the files it was taken from, and queries on an uncompacted one cost half as much again
        (the benchmark's aggregate at 1M: ~200 ms of CPU against ~130 ms), so the workers get
        a fresh checkpoint once the compaction has rewritten the files.
        """
        now = time.monotonic()
        if now - self._looked < _LOOK_EVERY_SECONDS:
            return False
        self._looked = now
        # A compaction deletes the files it merged; new files alone come from writes (which
        # bump the generation) or from flushes of what the checkpoint already holds.
        return not self._layout <= _table_files(self.store.path)

    def take(self) -> Path:
        """The current checkpoint, held until released (by the worker that opens it)."""
        with self._lock:
            path = self._current_locked()
            self._users[path] += 1
            return path

    def take_at_once(self) -> Path | None:
        """`take` if that costs nothing (the current checkpoint holds every write, its files
        need no look this second, nobody holds the lock), else None: the event loop calls it,
        and leaves making a checkpoint or listing files to a thread."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            current = self._current
            if (
                current is None
                or self.store.generation != self._generation
                or time.monotonic() - self._looked >= _LOOK_EVERY_SECONDS
            ):
                return None
            self._users[current] += 1
            return current
        finally:
            self._lock.release()

    def release(self, path: Path) -> None:
        """Drop a hold on `path` (its worker moved on or was killed, or its request ended)."""
        with self._lock:
            self._users[path] -= 1
            if self._users[path] <= 0:
                del self._users[path]
                if path != self._current:
                    self._remove_if_unused(path)

    def _remove_if_unused(self, path: Path) -> None:
        """Delete an old checkpoint no worker has open (caller holds the lock)."""
        if self._users.get(path, 0) == 0:
            shutil.rmtree(path, ignore_errors=True)

    def existing(self) -> list[Path]:
        """The checkpoint folders on disk, for tests and diagnostics."""
        return sorted(p for p in self.root.iterdir() if p.is_dir())

    def close(self) -> None:
        """Delete every checkpoint."""
        with self._lock:
            shutil.rmtree(self.root, ignore_errors=True)
            self._current = None


def _table_files(folder: Path) -> frozenset[str]:
    """The names of a RocksDB folder's table files (immutable: rewritten means renamed)."""
    return frozenset(entry.name for entry in os.scandir(folder) if entry.name.endswith(".sst"))
