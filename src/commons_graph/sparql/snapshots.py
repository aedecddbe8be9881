"""Read-only checkpoints of the embedded store for the query workers, made and removed lazily."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from pathlib import Path

from commons_graph.store.embedded import EmbeddedStore


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

    def current(self) -> Path:
        """The checkpoint holding every write so far, made now if the store changed."""
        with self._lock:
            generation = self.store.generation
            if self._current is None or generation != self._generation:
                self._serial += 1
                target = self.root / f"{generation}-{self._serial}"
                self.store.checkpoint(target)
                previous, self._current, self._generation = self._current, target, generation
                if previous is not None:
                    self._remove_if_unused(previous)
            return self._current

    def acquire(self, path: Path) -> None:
        """Note that a worker opened `path`."""
        with self._lock:
            self._users[path] += 1

    def release(self, path: Path) -> None:
        """Note that a worker closed `path` (it moved on, or it was killed)."""
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
