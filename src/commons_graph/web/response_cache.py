"""Answers reused until the data changes: one ASGI layer, routes opt in with `@cacheable()`.

A route whose answer depends only on the store's content and on the request (method, path,
query string, `Accept`, language, and for `@cacheable(body=True)` the POST body) is marked
`@cacheable()`; this layer then

- keys each request by the store's `generation` (bumped by every write through the store
  interface, read *before* the answer is computed, so an answer computed before a write is kept
  under the old generation and never served after it) and everything that changes the answer;
- answers a repeated request from memory (`x-cache: hit`), and a conditional one whose
  `If-None-Match` names the key's strong `ETag` with `304 Not Modified`, evaluating nothing;
- keeps only complete `200` answers with no cookie set, not marked `no-store`/`private`, not cut
  (`x-result-truncated`), and no larger than the entry cap; streamed answers are copied as they
  go and dropped once over the cap.

Requests that carry a session cookie or an `Authorization` header are never answered from, nor
kept in, the cache: a member's page is computed for that member. With a remote store others may
write to (`sees_all_writes` False), answers live at most `cache_ttl` seconds (0: cache off).
See docs/web.md "Caching".
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import unquote_plus

from fastapi.routing import iter_route_contexts
from starlette.requests import cookie_parser
from starlette.routing import Mount, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commons_graph.i18n import LANGUAGES, negotiate_language
from commons_graph.store.derived import StaleReads, track_stale_reads
from commons_graph.web.answer_store import AnswerStore, StoredAnswer
from commons_graph.web.deps import SESSION_COOKIE
from commons_graph.web.representation import accepts_gzip
from commons_graph.web.sparql_front import PASSED, Passed
from commons_graph.web.update_dispatch import NOT_AN_UPDATE, media_type_of
from commons_graph.web.update_dispatch import _names_update as names_update

F = TypeVar("F", bound=Callable[..., Any])

POLICY_ATTRIBUTE = "__response_cache__"
# Changes when the process starts: an ETag given before a restart (when the data may have been
# changed by a command line load) never matches after it.
_BOOT = os.urandom(8).hex().encode()
_ROUTE_MEMO_SIZE = 4096
_PAGE_VARY = ("Accept", "Accept-Language", "Cookie")
_CACHE_CONTROL = b"no-cache"
# One unsigned 64-bit length per part of a key (`_key` has 11).
_LENGTHS = struct.Struct("<11Q")
_NOT_MODIFIED_VARY = ", ".join(_PAGE_VARY).encode()


@dataclass(frozen=True)
class CachePolicy:
    """How a route's answers are cached: `body` — POST bodies (bounded) vary the answer."""

    body: bool = False


def cacheable(*, body: bool = False) -> Callable[[F], F]:
    """Mark a route's endpoint as answering the same for the same request and store content."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, POLICY_ATTRIBUTE, CachePolicy(body=body))
        return endpoint

    return mark


def policy_of(endpoint: object) -> CachePolicy | None:
    """The cache policy `endpoint` was marked with, if any."""
    return getattr(endpoint, POLICY_ATTRIBUTE, None)


def route_table(
    routes: Sequence[Any],
) -> list[tuple[re.Pattern[str], frozenset[str] | None, CachePolicy | None]]:
    """Every route as (path pattern, methods or None for a mount, policy), in the order the
    router tries them."""
    table: list[tuple[re.Pattern[str], frozenset[str] | None, CachePolicy | None]] = []
    for context in iter_route_contexts(routes):
        path = context.path or ""
        if isinstance(context.route, Mount):
            # A mount answers its whole subtree (static files: never through this cache).
            pattern = re.compile(re.escape(path.rstrip("/")) + "(/.*)?$")
            table.append((pattern, None, None))
            continue
        methods = getattr(context.route, "methods", None) or set()
        pattern, _, _ = compile_path(path)
        table.append((pattern, frozenset(methods), policy_of(context.endpoint)))
    return table


class ResponseCache:
    """ASGI middleware: the response cache in front of the routes marked `@cacheable()`."""

    def __init__(
        self,
        app: ASGIApp,
        answers: AnswerStore,
        not_modified_headers: Sequence[tuple[bytes, bytes]] = (),
        sparql: ASGIApp | None = None,
    ) -> None:
        self.app = app
        # What answers the `/sparql` requests it does not hold: the layers a query needs, not
        # the whole framework (web/sparql_front.py).
        self.sparql = sparql
        self.answers = answers
        # Sent with every 304 too (the security headers: web/security_headers.py).
        self.not_modified_headers = tuple(not_modified_headers)
        self._policies: dict[tuple[str, str], CachePolicy | None] = {}
        self._generation: object = None
        self._table: list[tuple[re.Pattern[str], frozenset[str] | None, CachePolicy | None]] | None
        self._table = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "POST")
            or self.answers.capacity <= 0
        ):
            await self.app(scope, receive, send)
            return
        services = getattr(scope["app"].state, "services", None)
        policy = self._policy(scope) if services is not None else None
        if services is None or policy is None or (scope["method"] == "POST" and not policy.body):
            await self.app(scope, receive, send)
            return
        # The first of repeated headers wins, as with Starlette's `Headers.get`.
        headers: dict[bytes, bytes] = dict(reversed(scope["headers"]))
        cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
        store = services.store
        generation = self._state(store, services.settings.cache_ttl)
        if generation is None or SESSION_COOKIE in cookies or b"authorization" in headers:
            self.answers.stats.bypassed += 1
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            limit = services.settings.max_query_bytes
            chunks, ended = await _read_body(receive, limit)
            if not ended or sum(map(len, chunks)) > limit:
                # Too large to key (or cut off): the route reads and refuses it as it would.
                self.answers.stats.bypassed += 1
                await self.app(scope, _replay(chunks, ended, receive), send)
                return
            body = b"".join(chunks)
            receive = _replay([body], True, receive)
        key = _key(scope, headers, cookies, services.settings.default_language, generation, body)
        etag = b'"' + key.hex().encode() + b'"'
        # An update or a volatile query is never kept nor given an ETag (below), so neither a
        # kept answer nor a 304 can answer one: they are told apart only on a miss, where their
        # cost (decoding the whole query) is small beside evaluating it.
        if _matches(headers.get(b"if-none-match"), etag):
            self.answers.stats.not_modified += 1
            await _send_not_modified(send, etag, self.not_modified_headers)
            return
        if generation != self._generation:
            # Nothing kept under an earlier state can be asked for again: free it now.
            self._generation = generation
            self.answers.clear()
        stored = self.answers.get(key)
        if stored is not None:
            self.answers.stats.hits += 1
            await _send_stored(send, stored)
            return
        if policy.body and (_is_update(scope, headers, body) or _volatile(scope, body)):
            # Updates sent to /sparql go on to /update (web/update_dispatch.py), never here;
            # NOW(), RAND(), UUID()...: each evaluation answers differently.
            self.answers.stats.bypassed += 1
            await self._answer(scope, receive, send, body)
            return
        self.answers.stats.misses += 1
        # An answer made from a derived value older than the store (an index still being
        # rebuilt after a write, store/derived.py) is sent but neither kept nor given an ETag.
        reads = track_stale_reads()
        keeping = self._keeping(send, key, etag, store, generation, reads)
        # A route that keys the body was told apart from updates just above.
        await self._answer(scope, receive, keeping, body, not_an_update=policy.body)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, body: bytes, not_an_update: bool = False
    ) -> None:
        """The request answered by the short stack if it is a `/sparql` one it takes, else
        by the framework (`receive` replays the body read, if any); `not_an_update`: told
        apart already, the short stack's dispatch of updates need not read the body again."""
        if self.sparql is not None and scope["path"] == "/sparql":
            passed = Passed()
            inner = {**scope, PASSED: passed}
            if not_an_update:
                inner[NOT_AN_UPDATE] = True
            await self.sparql(inner, receive, send)
            if not passed.value:
                return
            # Left to the framework, nothing sent: the body is given again.
            if scope["method"] == "POST":
                receive = _replay([body], True, receive)
        await self.app(scope, receive, send)

    def _policy(self, scope: Scope) -> CachePolicy | None:
        """The policy of the route that will answer `scope` (routes tried in the router's order)."""
        memo_key = (scope["method"], scope["path"])
        if memo_key in self._policies:
            return self._policies[memo_key]
        if self._table is None:
            self._table = route_table(scope["app"].router.routes)
        found: CachePolicy | None = None
        for pattern, methods, policy in self._table:
            if pattern.match(scope["path"]) and (methods is None or scope["method"] in methods):
                found = policy
                break
        if len(self._policies) >= _ROUTE_MEMO_SIZE:
            self._policies.clear()
        self._policies[memo_key] = found
        return found

    def _state(self, store: Any, ttl: float) -> object | None:
        """The store's state answers are kept under; None when the cache must not be used."""
        if store.sees_all_writes:
            generation: int = store.generation
            return generation
        if ttl <= 0:
            return None
        return (store.generation, int(time.monotonic() // ttl))

    def _keeping(
        self, send: Send, key: bytes, etag: bytes, store: Any, state: object, reads: StaleReads
    ) -> Send:
        """`send`, adding the ETag to a keepable answer and keeping it once complete."""
        answers = self.answers
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0
        keeping = False

        async def keep(message: Message) -> None:
            nonlocal size, keeping
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                keeping = message["status"] == 200 and _keepable(headers) and not reads.stale
                if keeping:
                    headers = _with_cache_headers(headers, etag)
                    start.update(status=200, headers=tuple(headers))
                    message = {**message, "headers": [*headers, (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keeping:
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > answers.max_entry:
                    keeping = False
                    chunks.clear()
                    answers.stats.too_large += 1
                else:
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        keeping = False
                        # Answers computed while a write went on are not kept (they are
                        # keyed by the state before it, which no request asks for again).
                        if _state_now(store, state) and not reads.stale:
                            answer = StoredAnswer(200, start["headers"], b"".join(chunks), etag)
                            answers.put(key, answer)
                        else:
                            answers.stats.not_kept += 1
            await send(message)

        return keep


def _state_now(store: Any, state: object) -> bool:
    """Whether the store is still in `state` (no write since the answer was begun)."""
    generation = state[0] if isinstance(state, tuple) else state
    return bool(store.generation == generation)


# SPARQL functions whose value changes from one evaluation to the next (a false alarm, e.g. in a
# string, only means that query is not kept).
_VOLATILE = re.compile(r"\b(now|rand|uuid|struuid)\s*\(", re.IGNORECASE)


def _is_update(scope: Scope, headers: dict[bytes, bytes], body: bytes) -> bool:
    """Whether the request is a SPARQL Update (as web/update_dispatch.py tells them)."""
    media_type = media_type_of(headers.get(b"content-type", b"").decode("latin-1"))
    return (
        names_update(scope["query_string"])
        or media_type == "application/sparql-update"
        or (media_type == "application/x-www-form-urlencoded" and names_update(body))
    )


# A letter written as a percent escape (`%6Eow(`); `{`, `|`, `}` and `~` (%7B-%7E) are not.
_ESCAPED_LETTER = re.compile(rb"%(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])")
_VOLATILE_NAMES = (b"now", b"rand", b"uuid")


def _may_be_volatile(encoded: bytes) -> bool:
    """False proves that `encoded` (a query string or body, percent-encoded or not) names no
    volatile function once decoded: without an escaped letter, each letter of the decoded text
    is one letter of `encoded`, in the same order, so a name decoded is a name written."""
    if _ESCAPED_LETTER.search(encoded):
        return True
    lowered = encoded.lower()
    return any(name in lowered for name in _VOLATILE_NAMES)


def _volatile(scope: Scope, body: bytes) -> bool:
    """Whether the query in the URL or body calls a function that answers differently each time."""
    if not _may_be_volatile(scope["query_string"]) and not _may_be_volatile(body):
        # The decoding below is the costly part of a miss (a tenth of a cold lookup).
        return False
    text = unquote_plus(scope["query_string"].decode("latin-1"))
    if body:
        # Decoded whether it is a form or the query itself: the test only looks for names.
        text += "\n" + unquote_plus(body.decode("utf-8", errors="replace"))
    return _VOLATILE.search(text) is not None


def _key(
    scope: Scope,
    headers: dict[bytes, bytes],
    cookies: dict[str, str],
    default_language: str,
    state: object,
    body: bytes,
) -> bytes:
    """A digest of everything the answer depends on."""
    # Parameters as sent (not decoded: two spellings of one value are two keys, which costs a
    # miss, never a wrong answer), stably sorted by name: the order of different parameters
    # never matters, the order of one parameter's values is kept.
    pieces = scope["query_string"].split(b"&")
    pieces.sort(key=lambda piece: piece.partition(b"=")[0])
    chosen: str | None = None
    for piece in pieces:
        if piece.startswith(b"lang="):
            # The last one wins, as in `request.query_params.get`.
            chosen = unquote_plus(piece[5:].decode("latin-1"))
    chosen = chosen or cookies.get("lang")
    if chosen not in LANGUAGES:
        chosen = _language(headers.get(b"accept-language", b""), default_language)
    parts = (
        _BOOT,
        repr(state).encode(),
        scope["method"].encode(),
        scope.get("root_path", "").encode() + scope["path"].encode(),
        b"&".join(pieces),
        b" ".join(headers.get(b"accept", b"").split()),
        # Cross-origin headers depend on it (web/cors.py, inside this layer).
        headers.get(b"origin", b""),
        # GeoJSON and dumps are gzipped for clients that take it (never served to others).
        b"gzip" if _gzip(headers.get(b"accept-encoding", b"")) else b"",
        chosen.encode(),
        headers.get(b"content-type", b"") if body else b"",
        body,
    )
    # The parts' lengths first: no two different requests give the same bytes.
    framed = _LENGTHS.pack(*map(len, parts)) + b"".join(parts)
    return hashlib.blake2b(framed, digest_size=20).digest()


# Clients send the same few Accept-Language and Accept-Encoding headers again and again: each
# distinct short one is parsed once (long ones, rare and possibly hostile, are not kept).
_MEMO_HEADER_BYTES = 256


@lru_cache(maxsize=512)
def _language_memo(accept_language: bytes, default_language: str) -> str:
    return negotiate_language(accept_language.decode("latin-1") or None, default_language)


@lru_cache(maxsize=512)
def _gzip_memo(accept_encoding: bytes) -> bool:
    return accepts_gzip(accept_encoding.decode("latin-1"))


def _language(accept_language: bytes, default_language: str) -> str:
    """The language an `Accept-Language` header negotiates."""
    if len(accept_language) > _MEMO_HEADER_BYTES:
        return negotiate_language(accept_language.decode("latin-1"), default_language)
    return _language_memo(accept_language, default_language)


def _gzip(accept_encoding: bytes) -> bool:
    """Whether an `Accept-Encoding` header takes gzip."""
    if len(accept_encoding) > _MEMO_HEADER_BYTES:
        return accepts_gzip(accept_encoding.decode("latin-1"))
    return _gzip_memo(accept_encoding)


def _matches(header: bytes | None, etag: bytes) -> bool:
    """Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 says)."""
    if not header:
        return False
    for tag in header.split(b","):
        tag = tag.strip()
        if tag.startswith(b"W/"):
            tag = tag[2:]
        if tag == etag:
            return True
    return False


def _keepable(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether an answer with these headers may be kept and given an ETag."""
    for name, value in headers:
        lower = name.lower()
        if lower in (b"set-cookie", b"x-result-truncated", b"etag"):
            return False
        if lower == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
    return True


def _with_cache_headers(
    headers: list[tuple[bytes, bytes]], etag: bytes
) -> list[tuple[bytes, bytes]]:
    """`headers` plus the ETag and a Cache-Control that makes clients revalidate; a page (in
    the caller's language) also varies by `Accept-Language` and `Cookie` (the `lang` cookie)."""
    out: list[tuple[bytes, bytes]] = []
    vary: list[str] = []
    has_cache_control = is_page = False
    for name, value in headers:
        lower = name.lower()
        if lower == b"vary":
            vary += [v.strip() for v in value.decode("latin-1").split(",") if v.strip()]
            continue
        has_cache_control = has_cache_control or lower == b"cache-control"
        is_page = is_page or (lower == b"content-type" and value.startswith(b"text/html"))
        out.append((name, value))
    if is_page:
        seen = {v.lower() for v in vary}
        vary += [v for v in _PAGE_VARY if v.lower() not in seen]
    if vary:
        out.append((b"vary", ", ".join(vary).encode("latin-1")))
    out.append((b"etag", etag))
    if not has_cache_control:
        out.append((b"cache-control", _CACHE_CONTROL))
    return out


async def _send_stored(send: Send, stored: StoredAnswer) -> None:
    """Send a kept answer as it was sent the first time."""
    headers = [*stored.headers, (b"x-cache", b"hit")]
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})


async def _send_not_modified(
    send: Send, etag: bytes, extra: tuple[tuple[bytes, bytes], ...]
) -> None:
    """`304 Not Modified`: the client's copy is the current answer."""
    headers = [
        (b"etag", etag),
        (b"cache-control", _CACHE_CONTROL),
        (b"vary", _NOT_MODIFIED_VARY),
        *extra,
        (b"x-cache", b"revalidated"),
    ]
    await send({"type": "http.response.start", "status": 304, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _read_body(receive: Receive, limit: int) -> tuple[list[bytes], bool]:
    """The request body's chunks, up to the first past `limit` bytes, and whether they are the
    whole body."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return chunks, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return chunks, True
        if size > limit:
            return chunks, False


def _replay(chunks: list[bytes], complete: bool, receive: Receive) -> Receive:
    """A `receive` that gives `chunks` first; unless they are the whole body, the rest follows."""
    pending = list(chunks)

    async def replayed() -> Message:
        if pending:
            chunk = pending.pop(0)
            more = bool(pending) or not complete
            return {"type": "http.request", "body": chunk, "more_body": more}
        return await receive()

    return replayed
