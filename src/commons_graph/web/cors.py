"""Cross-origin reads: browser-based SPARQL clients and linked-data tools on other sites.

Researchers query the endpoint from YASGUI instances, notebooks and apps served elsewhere; a
browser lets their scripts read our answers only if we say so (CORS). Reads are what is
shared: GET, HEAD and POST (a query sent as `application/sparql-query` makes the browser ask
first, a preflight), never credentials, so cookies and bearer tokens are not sent cross-origin
and the members' side stays same-origin.
"""

from __future__ import annotations

from typing import Any

from commons_graph.config import Settings

# What a cross-origin script may read beyond the CORS-safelisted response headers.
EXPOSED_HEADERS = ("X-Result-Truncated", "Retry-After", "Link", "Content-Disposition")
# What it may send beyond the safelisted request headers: the query's type and the languages.
ALLOWED_HEADERS = ("Accept", "Accept-Language", "Content-Type")


def allowed_origins(settings: Settings) -> list[str]:
    """The origins of `settings.cors_origins`: `*`, a list, or none."""
    return [o.strip() for o in settings.cors_origins.split(",") if o.strip()]


def cors_options(settings: Settings) -> dict[str, Any] | None:
    """CORSMiddleware's options for `settings`, or None when no origin may read."""
    origins = allowed_origins(settings)
    if not origins:
        return None
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "HEAD", "POST"],
        "allow_headers": list(ALLOWED_HEADERS),
        "expose_headers": list(EXPOSED_HEADERS),
        "allow_credentials": False,
        "max_age": 3600,
    }
