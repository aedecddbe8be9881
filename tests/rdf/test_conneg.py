"""Content negotiation: q-values, wildcards, the server's order, and a bounded memory of headers."""

from __future__ import annotations

import pytest

from commons_graph.rdf import conneg
from commons_graph.rdf.conneg import negotiate

OFFERED = ("text/turtle", "application/ld+json", "text/html")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("", "text/turtle"),
        ("*/*", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("text/*;q=0.5, application/ld+json;q=0.4", "text/turtle"),
        ("text/html, */*;q=0.1", "text/html"),
        ("text/*, text/turtle;q=0", "text/html"),  # the most specific range decides
        ("image/png", None),
        ("text/turtle;q=0", None),
        ("TEXT/HTML", "text/html"),
    ],
)
def test_the_clients_preference_then_the_servers_order(accept: str | None, expected: str) -> None:
    assert negotiate(accept, OFFERED) == expected
    assert negotiate(accept, list(OFFERED)) == expected  # any sequence, same answer


def test_headers_are_remembered_within_bounds() -> None:
    """Made-up headers cannot make the memory of parsed headers grow without end."""
    for n in range(3000):
        assert negotiate(f"application/x-{n}, text/html;q=0.{n % 9 + 1}", OFFERED) == "text/html"
    assert conneg._remembered.cache_info().currsize <= 1024
    before = conneg._remembered.cache_info()
    long_header = "application/x-padding;q=0.1, " * 100 + "application/ld+json"
    assert len(long_header) > conneg._REMEMBERED_LENGTH
    assert negotiate(long_header, OFFERED) == "application/ld+json"
    after = conneg._remembered.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
