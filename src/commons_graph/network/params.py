"""The bounds of network requests, and the reading of their parameters (every one checked)."""

from __future__ import annotations

from collections.abc import Iterable

from commons_graph.errors import BadInputError
from commons_graph.network.links import ALL_KINDS

MAX_DEPTH = 3
MAX_IRI_LENGTH = 2048
# A kinds parameter longer than this is refused before it is split.
MAX_KINDS_TEXT = 400
MAX_PATH_LENGTH = 8
MAX_ALTERNATIVES = 5


def read_iri(text: str | None, name: str) -> str:
    """An absolute http(s) IRI from a parameter, or a 400."""
    if not text:
        raise BadInputError("network.error.missing", path=name)
    if len(text) > MAX_IRI_LENGTH:
        raise BadInputError("network.error.too_long", path=name, limit=MAX_IRI_LENGTH)
    scheme, colon, rest = text.partition(":")
    if (
        not colon
        or scheme.lower() not in ("http", "https")
        or not rest.startswith("//")
        or any(c in text for c in ' <>"{}|\\^`')
        or any(ord(c) < 0x21 for c in text)
    ):
        raise BadInputError("network.error.not_iri", path=name, value=text[:200])
    return text


def read_int(text: str | None, name: str, low: int, high: int, default: int) -> int:
    """An integer parameter within [low, high], or a 400."""
    if text is None or text == "":
        return default
    if len(text) > 6 or not text.isdigit():
        raise BadInputError("network.error.not_number", path=name, value=text[:20])
    number = int(text)
    if not low <= number <= high:
        raise BadInputError("network.error.out_of_range", path=name, low=low, high=high)
    return number


def read_kinds(texts: Iterable[str]) -> frozenset[str]:
    """The relation kinds chosen (comma-separated, or the parameter repeated); all when none."""
    chosen: set[str] = set()
    total = 0
    for text in texts:
        total += len(text) + 1
        if total > MAX_KINDS_TEXT:
            raise BadInputError("network.error.too_many_kinds", path="kinds")
        for name in text.split(","):
            name = name.strip()
            if not name:
                continue
            if name not in ALL_KINDS:
                raise BadInputError(
                    "network.error.unknown_kind",
                    path="kinds",
                    value=name[:40],
                    known=", ".join(ALL_KINDS),
                )
            chosen.add(name)
    return frozenset(chosen) if chosen else frozenset(ALL_KINDS)
