"""The service's public address, for the absolute URLs it writes (VoID, service description).

It comes from the settings (`public_url`) or, when unset, from the address of the socket the
request arrived on, as the server reports it: never from the request's `Host` header, which
the client writes and which would let anyone put their own address into our answers.
"""

from __future__ import annotations

from starlette.requests import Request

_DEFAULT_PORTS = {"http": 80, "https": 443}


def public_base(request: Request) -> str:
    """The service's public base URL, ending with `/`."""
    settings = request.app.state.settings
    if settings.public_url:
        return str(settings.public_url).rstrip("/") + "/"
    scheme = "https" if request.scope.get("scheme") == "https" else "http"
    server = request.scope.get("server") or (settings.host, settings.port)
    host, port = str(server[0]), server[1]
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}/"
    return f"{scheme}://{host}:{port}/"


def public_url(request: Request, path: str) -> str:
    """The absolute public URL of `path` (which starts with `/`)."""
    return public_base(request) + path.lstrip("/")
