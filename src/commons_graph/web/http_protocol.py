"""The HTTP/1.1 protocol `serve` runs: uvicorn's, with time limits on headers and bodies and a
cap on open connections.

uvicorn (0.55) times out idle kept-alive connections but not a request whose headers or body
arrive slowly or never: one byte every few seconds keeps a connection, and its file descriptor,
open forever, and a few hundred such connections exhaust the server. Here each connection has
`header_timeout` seconds to deliver a request line and headers (counted from the connection, or
from the first byte of a later request on a kept-alive one; then 408 and close) and
`body_timeout` seconds for the whole body once the headers are in (then close). Past
`max_connections`, a new connection takes the place of the one that has waited longest for its
headers (a slow or idle client); when every connection is busy with a request, the new one is
closed at once.

Each response also leaves in one write: uvicorn writes the status line and headers, then the
body, each a `transport.write` (a system call, a TCP segment); a small answer's two writes were a
sixth of the server's time on a cold lookup (docs/benchmarks.md). Here the head is held until the
first body chunk, at most until the event loop's next turn.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("commons_graph.server")

# File descriptors kept for the store, the query workers and logs, beside the connections.
_RESERVED_FILES = 128

# Most bytes of request line and headers one request may send (httptools sets no limit).
MAX_HEADER_BYTES = 64 * 1024

_TIMEOUT_MESSAGE = b"Request Timeout: the request took too long to arrive.\n"
_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_TIMEOUT_MESSAGE)).encode("ascii") + b"\r\n"
    b"connection: close\r\n\r\n" + _TIMEOUT_MESSAGE
)

_TOO_LARGE_MESSAGE = b"Request Header Fields Too Large.\n"
_HEADERS_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_TOO_LARGE_MESSAGE)).encode("ascii") + b"\r\n"
    b"connection: close\r\n\r\n" + _TOO_LARGE_MESSAGE
)


_CONTINUE = b"HTTP/1.1 100 "


class OneWrite:
    """A response cycle's transport: the head (its first write, a `100 Continue` aside) is held
    and written with the body's first chunk; a head the loop's next turn finds still held (a
    body coming later, or none: HEAD) is written alone then, or when the cycle closes."""

    __slots__ = ("_transport", "_loop", "_held", "_head_seen")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        """Hold the head; write anything else, after the head if it is held."""
        if not self._head_seen:
            if data.startswith(_CONTINUE):
                self._transport.write(data)
                return
            self._head_seen = True
            self._held = data
            self._loop.call_soon(self.flush)
            return
        if self._held is not None:
            data = self._held + data
            self._held = None
        self._transport.write(data)

    def flush(self) -> None:
        """Write the held head, if any (dropped if the connection is closing)."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        """Write what is held, then close."""
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        """Whether the connection is closing."""
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class BoundedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body time limits and a connection cap."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1_000
    # Connections waiting for a request's headers, oldest first (shared by one server's
    # connections: `bounded_protocol` makes a class per server).
    waiting: dict[BoundedHttpProtocol, None] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Accept the connection within the cap and start its header clock."""
        super().connection_made(transport)
        if len(self.connections) > self.max_connections and not self._make_room():
            log.debug("connection refused: %d connections open", len(self.connections))
            transport.abort()
            return
        self._wait_for_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection and its clocks."""
        self._stop_clocks()
        self.waiting.pop(self, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Feed the parser; refuse a request whose headers pass MAX_HEADER_BYTES (431)."""
        super().data_received(data)
        if self._header_timer is None or self.transport.is_closing():
            return
        # Still waiting for headers after this chunk: all of it was request line and headers.
        self._header_bytes += len(data)
        if self._header_bytes > MAX_HEADER_BYTES:
            log.debug("request headers over %d bytes", MAX_HEADER_BYTES)
            self.transport.write(_HEADERS_TOO_LARGE)
            self.transport.close()

    def on_message_begin(self) -> None:
        """First byte of a request: on a kept-alive connection, its header clock starts now."""
        super().on_message_begin()
        if self._header_timer is None:
            self._wait_for_headers()

    def on_headers_complete(self) -> None:
        """Headers in: the body clock starts (stopped at once when there is no body)."""
        self._cancel_header_clock()
        self.waiting.pop(self, None)
        self._header_bytes = 0
        before = self.cycle
        super().on_headers_complete()
        if self.cycle is not None and self.cycle is not before:
            # The new request's answer leaves in one write (the class's docstring).
            self.cycle.transport = OneWrite(self.transport, self.loop)  # type: ignore[assignment]
        if self._body_timer is None and not self.transport.is_closing():
            self._body_timer = self.loop.call_later(self.body_timeout, self._body_too_slow)

    def on_message_complete(self) -> None:
        """The whole request is in: no clock runs while the application answers."""
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """Answered: an idle kept-alive connection may give its place to a new one."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self.waiting[self] = None

    def _wait_for_headers(self) -> None:
        self.waiting[self] = None
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for its headers; False if none."""
        for oldest in self.waiting:
            if oldest is not self:
                log.debug("connection cap reached: closing the oldest idle or slow connection")
                # Counted out now; the transport reports the loss later.
                self.connections.discard(oldest)
                self.waiting.pop(oldest, None)
                oldest._stop_clocks()
                oldest.transport.abort()
                return True
        return False

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        log.debug("request headers not received within %g s", self.header_timeout)
        if self.cycle is None or self.cycle.response_complete:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()

    def _body_too_slow(self) -> None:
        self._body_timer = None
        if self.transport.is_closing():
            return
        log.debug("request body not received within %g s", self.body_timeout)
        if self.cycle is not None and not self.cycle.response_started:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()

    def _cancel_header_clock(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _stop_clocks(self) -> None:
        self._cancel_header_clock()
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None


def bounded_protocol(
    header_timeout: float, body_timeout: float, max_connections: int
) -> type[BoundedHttpProtocol]:
    """A protocol class for one server, with these limits (uvicorn's `http=` takes a class)."""
    return type(
        "BoundedHttpProtocol",
        (BoundedHttpProtocol,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "max_connections": connection_cap(max_connections),
            "waiting": {},
        },
    )


def connection_cap(wanted: int) -> int:
    """`wanted`, lowered to what the process's open-file limit leaves room for: past that limit
    the server could not even accept a connection to close it."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    room = soft - _RESERVED_FILES if soft != resource.RLIM_INFINITY else wanted
    if wanted > room:
        log.warning(
            "max_connections lowered from %d to %d: the open-file limit is %d", wanted, room, soft
        )
    return max(1, min(wanted, room))
