"""Content negotiation: Accept-style headers (RFC 9110 q-values), and choosing a media type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    position: int

    def matches(self, media_type: str) -> bool:
        """Whether this range covers `media_type`."""
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        """Exact types beat `type/*`, which beats `*/*`."""
        return (self.type != "*") + (self.subtype != "*")


@dataclass(frozen=True)
class Weighted:
    """One entry of an Accept-style header (Accept, Accept-Language): its value and q-value."""

    value: str
    q: float
    position: int


def parse_weighted(header: str | None) -> list[Weighted]:
    """The entries of an Accept-style header, lower-cased, with their q-values (RFC 9110 12.4.2);
    a malformed q-value counts as 0, and q-values are kept within [0, 1]."""
    entries = []
    for position, item in enumerate((header or "").split(",")):
        value, *params = item.strip().split(";")
        value = value.strip().lower()
        if not value:
            continue
        q = 1.0
        for param in params:
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(number)))
                except ValueError:
                    q = 0.0
        entries.append(Weighted(value, q, position))
    return entries


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; an absent header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for entry in parse_weighted(header):
        main, _, sub = entry.value.partition("/")
        if main:
            ranges.append(MediaRange(main, sub or "*", entry.q, entry.position))
    return ranges


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives `media_type`: that of the most specific matching range."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: (r.specificity, -r.position)).q


def negotiate(header: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers (ties go to the server's order), or None."""
    if header is not None and len(header) > _REMEMBERED_LENGTH:
        return _choose(header, tuple(offered))
    return _remembered(header, tuple(offered))


def _choose(header: str | None, offered: tuple[str, ...]) -> str | None:
    """`negotiate`, worked out."""
    ranges = parse_accept(header)
    best, best_q = None, 0.0
    for media_type in offered:
        q = quality(ranges, media_type)
        if q > best_q:
            best, best_q = media_type, q
    return best


# Clients send the same few Accept headers again and again: parsing them was a tenth of a
# SPARQL lookup's time. Bounded in entries and in length (real headers are a few hundred
# characters at most), so headers made up by a client cannot make it large.
_REMEMBERED_LENGTH = 512
_remembered = lru_cache(maxsize=1024)(_choose)
