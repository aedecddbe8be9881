"""Headers that make every answer safe to show in a browser: CSP, no sniffing, no framing.

The policy allows the project's own assets only: scripts and styles from /static (no inline
script or style anywhere in the templates), requests to this origin only (the query editor
posts to /sparql), forms that submit here, no plugins, no framing by any site.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The vendored editor's results table (YASR's column resizer) adds two fixed <style> elements:
# its layout rules when a table is drawn, and `*{cursor:col-resize!important}` while a column
# is dragged. They are allowed by the SHA-256 of their text, and nothing else inline is.
EDITOR_STYLE_HASHES = (
    "sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=",
    "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=",
)
_STYLE_SOURCES = " ".join(["'self'"] + [f"'{digest}'" for digest in EDITOR_STYLE_HASHES])


def content_security_policy(img_sources: tuple[str, ...] = ()) -> str:
    """The policy, with images also allowed from `img_sources` (the map's tile host)."""
    # `img-src data:`: the vendored editor draws some icons from data: URIs in its stylesheet.
    images = " ".join(["'self'", "data:", *img_sources])
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src {_STYLE_SOURCES}; "
        f"img-src {images}; font-src 'self'; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


CONTENT_SECURITY_POLICY = content_security_policy()
SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    # frame-ancestors says it to current browsers; X-Frame-Options to older ones.
    ("x-frame-options", "DENY"),
    # Other sites learn that a visitor came from here, not which page (or query) they read.
    ("referrer-policy", "strict-origin-when-cross-origin"),
)


def encoded_security_headers(img_sources: tuple[str, ...] = ()) -> tuple[tuple[bytes, bytes], ...]:
    """SECURITY_HEADERS as ASGI header pairs, the CSP allowing images from `img_sources` too."""
    policy = content_security_policy(img_sources)
    return tuple(
        (name.encode(), (policy if name == "content-security-policy" else value).encode())
        for name, value in SECURITY_HEADERS
    )


class SecurityHeaders:
    """ASGI middleware: adds SECURITY_HEADERS to every HTTP answer that does not set its own
    (the CSP allowing images from `img_sources` too)."""

    def __init__(self, app: ASGIApp, img_sources: tuple[str, ...] = ()) -> None:
        self.app = app
        self._encoded = encoded_security_headers(img_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        encoded = self._encoded

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in encoded if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
