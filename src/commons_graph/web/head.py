"""`HEAD` on every `GET` route: the route answers as for GET, the body is not sent.

Routes are declared for GET only; this layer runs a HEAD request as a GET and sends the status
and headers with an empty body. A streamed answer (the dumps) is stopped at its first chunk: it
costs what the route does before its first chunk, not the whole dump.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyDropped(OSError):
    """Raised into a streaming answer to stop it once HEAD's headers are sent."""


class HeadAsGet:
    """ASGI middleware: HEAD requests are answered by the GET route, without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        sent = False

        async def send_head(message: Message) -> None:
            nonlocal sent
            if sent:
                raise _BodyDropped("HEAD: the body is not sent")
            if message["type"] != "http.response.body":
                await send(message)
                return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            sent = True
            if message.get("more_body", False):
                raise _BodyDropped("HEAD: the body is not sent")

        try:
            await self.app({**scope, "method": "GET"}, receive, send_head)
        except (_BodyDropped, ClientDisconnect):
            # Starlette turns an OSError from `send` into ClientDisconnect: both mean the
            # streamed body was cut short on purpose, after the answer was complete.
            if not sent:
                raise
