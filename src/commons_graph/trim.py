"""Freed memory given back to the system after a large piece of work.

glibc's allocator keeps what Python and pyoxigraph free in its arenas, so a process that once
read a million statements at once (deriving the relations, rebuilding the search index) stays
that large: at 1M statements, ~60 MB of the relations' facts alone came back with
`malloc_trim`. Elsewhere (another C library) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable

log = logging.getLogger("commons_graph")


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _malloc_trim()


def give_back() -> None:
    """Return the allocator's free pages to the system (glibc; a no-op elsewhere)."""
    if _TRIM is not None:
        try:
            _TRIM(0)
        except Exception:  # never worth failing the work that came before
            log.debug("malloc_trim failed", exc_info=False)
