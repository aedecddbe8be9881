"""Values computed from a store's content, kept until that content may have changed."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from commons_graph.store.base import Store

T = TypeVar("T")

# A store with no write counter this process can see (a remote server that others may write
# to) gets its values recomputed this often.
UNKNOWN_STATE_TTL_SECONDS = 30.0


class StoreDerived(Generic[T]):
    """`compute(store)`, recomputed after each write (and every 30 s when others may write)."""

    def __init__(self, store: Store, compute: Callable[[Store], T]) -> None:
        self.store = store
        self._compute = compute
        self._lock = threading.Lock()
        self._key: object = object()
        self._value: T | None = None

    def _state_key(self) -> object:
        if self.store.sees_all_writes:
            return self.store.generation
        return (self.store.generation, int(time.monotonic() // UNKNOWN_STATE_TTL_SECONDS))

    def get(self) -> T:
        """The value for the store's current content."""
        key = self._state_key()
        with self._lock:
            if key != self._key or self._value is None:
                self._value = self._compute(self.store)
                self._key = key
            return self._value


_BY_STORE: weakref.WeakKeyDictionary[Store, dict[str, StoreDerived[Any]]] = (
    weakref.WeakKeyDictionary()
)
_BY_STORE_LOCK = threading.Lock()


def derived(store: Store, name: str, compute: Callable[[Store], T]) -> T:
    """The value `name` of `store`, computed by `compute` and kept until the store changes."""
    with _BY_STORE_LOCK:
        values = _BY_STORE.setdefault(store, {})
        holder = values.get(name)
        if holder is None:
            holder = values[name] = StoreDerived(store, compute)
    return holder.get()  # type: ignore[no-any-return]
