"""Who the client is: the socket's peer, or what a trusted reverse proxy says it is.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only from the
proxies listed in `COMMONS_GRAPH_TRUSTED_PROXIES` (addresses or CIDR networks); from anyone else
it is ignored, and rotating it buys an attacker nothing. Behind trusted proxies, the client is
the right-most address of the header that is not one of them (uvicorn's proxy middleware, a pure
ASGI layer, so the same under any server).
"""

from __future__ import annotations

from fastapi import Request

from commons_graph.config import Settings


def trusted_proxies(settings: Settings) -> list[str]:
    """The configured proxies, one address or network each."""
    return [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]


def client_address(request: Request) -> str:
    """The client's address, as rate limits count it."""
    return request.client.host if request.client else "unknown"
