"""Derivations left for later: a bulk `load` does not derive the relations itself (seconds to
minutes on a large file, paid again by the server at its start); it leaves a marker beside the
embedded store, and the next command or server that opens the store derives them first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from commons_graph.config import Settings


@dataclass(frozen=True)
class PendingDerivation:
    """The marker file saying that the store's derived relations are out of date."""

    path: Path

    @classmethod
    def of(cls, settings: Settings) -> PendingDerivation | None:
        """The embedded store's marker; None for a remote store (other clients read it
        directly, so its relations are derived at each write, as they always were)."""
        if settings.is_remote:
            return None
        store = settings.store_path
        return cls(store.with_name(f"{store.name}.relations-pending"))

    def mark(self) -> None:
        """Say that the relations must be derived again (before the write that makes it so,
        so that a command stopped midway still leaves the marker)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()

    def is_marked(self) -> bool:
        """Whether a derivation is owed."""
        return self.path.exists()

    def clear(self) -> None:
        """The relations were derived from every fact: nothing is owed any more."""
        self.path.unlink(missing_ok=True)
