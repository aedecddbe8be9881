"""A response leaves in one write (web/http_protocol.py `OneWrite`), and nothing else changes:
heads of bodiless answers, streamed answers, `100 Continue`, kept-alive and pipelined requests,
on real sockets under the protocol `serve` runs."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from commons_graph.web.http_protocol import OneWrite, bounded_protocol

# Bounds every wait of these tests.
PATIENCE = 10.0


class Gate:
    """Set by the test, awaited by the app (across threads)."""

    def __init__(self) -> None:
        self.event = threading.Event()

    async def wait(self) -> None:
        deadline = time.monotonic() + PATIENCE
        while not self.event.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)


GATE = Gate()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """`/small`: a small answer; `/stream`: a head, then a body once the gate opens;
    `/echo`: the request body; `/304`: a bodiless answer."""
    if scope["type"] != "http":
        return
    path = scope["path"]
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if path == "/304":
        await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", b'"x"')]})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await GATE.wait()
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await send({"type": "http.response.body", "body": b"last"})
        return
    payload = body if path == "/echo" else b"hello"
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        http=bounded_protocol(PATIENCE, PATIENCE, 100),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    yield "127.0.0.1", server.servers[0].sockets[0].getsockname()[1]
    server.should_exit = True
    thread.join(timeout=30)


def connect(address: tuple[str, int]) -> socket.socket:
    client = socket.create_connection(address, timeout=PATIENCE)
    return client


def read_until(client: socket.socket, ending: bytes, have: bytes = b"") -> bytes:
    """Bytes from `client` until `have` ends with `ending` (bounded by the socket's timeout)."""
    while not have.endswith(ending):
        chunk = client.recv(65536)
        if not chunk:
            break
        have += chunk
    return have


def test_answers_on_a_kept_alive_connection_arrive_whole(address: tuple[str, int]) -> None:
    with connect(address) as client:
        for _ in range(3):
            client.sendall(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = read_until(client, b"hello")
            assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
            assert b"content-length: 5\r\n" in answer and answer.endswith(b"\r\n\r\nhello")


def test_pipelined_requests_are_answered_in_order(address: tuple[str, int]) -> None:
    with connect(address) as client:
        client.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
            b"HEAD /small HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
        )
        answer = read_until(client, b"two")
        first, second, third = answer.split(b"HTTP/1.1 200 OK\r\n")[1:]
        assert first.endswith(b"\r\n\r\none") and third.endswith(b"\r\n\r\ntwo")
        # HEAD: the head alone, written when no body followed.
        assert second.endswith(b"content-length: 5\r\n\r\n")


def test_the_head_of_a_bodiless_answer_is_sent(address: tuple[str, int]) -> None:
    with connect(address) as client:
        client.sendall(b"HEAD /small HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_until(client, b"\r\n\r\n").startswith(b"HTTP/1.1 200 OK\r\n")
        client.sendall(b"GET /304 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = read_until(client, b"\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 304 Not Modified\r\n") and b'etag: "x"' in answer


def test_a_streamed_answer_s_head_is_not_held_for_its_body(address: tuple[str, int]) -> None:
    """The head leaves within the loop's next turn, before a body that comes later."""
    GATE.event.clear()
    with connect(address) as client:
        client.sendall(b"GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        head = read_until(client, b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"transfer-encoding: chunked" in head
        GATE.event.set()
        rest = read_until(client, b"0\r\n\r\n")
        assert rest == b"5\r\nfirst\r\n4\r\nlast\r\n0\r\n\r\n"


def test_100_continue_comes_before_the_answer(address: tuple[str, int]) -> None:
    with connect(address) as client:
        client.sendall(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
        )
        assert read_until(client, b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        client.sendall(b"body")
        answer = read_until(client, b"body")
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"\r\n\r\nbody")


class Recording:
    """An asyncio transport's writing side, recorded."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return name


def test_head_and_body_are_one_write() -> None:
    loop = asyncio.new_event_loop()
    try:
        transport = Recording()
        one = OneWrite(transport, loop)  # type: ignore[arg-type]
        one.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        one.write(b"HTTP/1.1 200 OK\r\n\r\n")
        one.write(b"body")
        one.write(b"more")
        loop.run_until_complete(asyncio.sleep(0))
        assert transport.writes == [
            b"HTTP/1.1 100 Continue\r\n\r\n",
            b"HTTP/1.1 200 OK\r\n\r\nbody",
            b"more",
        ]
        # Anything else is the transport's; closing writes a head still held.
        assert one.get_extra_info("peername") == "peername"
        held = OneWrite(transport, loop)  # type: ignore[arg-type]
        held.write(b"HTTP/1.1 500 Internal Server Error\r\n\r\n")
        held.close()
        assert transport.writes[-1].startswith(b"HTTP/1.1 500") and transport.closed
        # A head held when the connection is gone is dropped, not written.
        gone = OneWrite(transport, loop)  # type: ignore[arg-type]
        gone.write(b"HTTP/1.1 200 OK\r\n\r\n")
        loop.run_until_complete(asyncio.sleep(0))
        assert transport.writes[-1].startswith(b"HTTP/1.1 500")
    finally:
        loop.close()
