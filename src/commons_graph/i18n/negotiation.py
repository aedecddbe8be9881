"""Choosing the language of a request from its Accept-Language header."""

from __future__ import annotations

from commons_graph.i18n.registry import LANGUAGES
from commons_graph.rdf.conneg import parse_weighted


def negotiate_language(accept_language: str | None, default: str = "en") -> str:
    """The best of the known languages for an Accept-Language header (RFC 9110 q-values)."""
    best, best_q = default, 0.0
    for entry in parse_weighted(accept_language):
        primary = entry.value.split("-")[0]
        if primary == "*":
            primary = default
        # Earlier items win ties, as browsers list preferences in order.
        if primary in LANGUAGES and entry.q > best_q:
            best, best_q = primary, entry.q
    return best
