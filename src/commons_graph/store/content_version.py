"""The version of a store's content: a hash of every quad, the same across restarts and copies.

A dump names the version it was written from, so that a citation can say which data it used.
The hash is order-free (the sum of a hash of each quad, modulo 2^128), so it needs one pass over
the quads and no sorting; two stores holding the same quads (blank node labels included) have
the same version, and any added, removed or changed statement gives another one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

from pyoxigraph import Quad

from commons_graph.store.base import Store

_MODULUS = 1 << 128
_VERSION = re.compile(r"^[0-9a-f]{32}$")


class VersionHash:
    """The content version of the quads it is given one by one, in any order."""

    def __init__(self) -> None:
        self._total = 0

    def add(self, quad: Quad) -> None:
        """Count `quad` in."""
        digest = hashlib.blake2b(str(quad).encode("utf-8"), digest_size=16).digest()
        self._total = (self._total + int.from_bytes(digest, "big")) % _MODULUS

    def seen(self, quads: Iterable[Quad]) -> Iterator[Quad]:
        """`quads`, passed on, each counted in on its way."""
        for quad in quads:
            self.add(quad)
            yield quad

    @property
    def version(self) -> str:
        """The version of the quads counted so far: 32 lowercase hex digits."""
        return f"{self._total:032x}"


def content_version(store: Store) -> str:
    """The version of the store's content: 32 lowercase hex digits."""
    hashed = VersionHash()
    for quad in store.quads():
        hashed.add(quad)
    return hashed.version


def is_version(text: str) -> bool:
    """Whether `text` is written as a content version (it may still not be this store's)."""
    return bool(_VERSION.match(text))
