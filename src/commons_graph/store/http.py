"""HTTP to a SPARQL server: one keep-alive client, authentication, bounded retries, clear errors."""

from __future__ import annotations

import functools
import html
import io
import re
import ssl
import time
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, cast

import httpx

from commons_graph.store.errors import QuerySyntaxError, StoreError

Params = Sequence[tuple[str, str]]

# Statuses worth a second try on an idempotent read: the server or a proxy in front of it is
# restarting or overloaded. 500 is not among them: it usually means this query fails every time.
_RETRY_STATUSES = frozenset({502, 503, 504})


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one TLS context for HTTP clients, made on first use: httpx's default
    (certificates and host names verified against certifi's bundle, or $SSL_CERT_FILE or
    $SSL_CERT_DIR as they are then), which httpx would otherwise build, reading the whole CA
    bundle (about 40 ms), for every client."""
    return httpx.create_ssl_context()


class UnreachableError(StoreError):
    """The server could not be reached: the request was not evaluated, so a read may retry."""


class ServerTimeoutError(StoreError):
    """The server did not answer in time."""


class ServerStatusError(StoreError):
    """The server answered with an error status; `status` is it."""


class ServerAuth(httpx.Auth):
    """HTTP authentication with whichever scheme the server asks for: Basic or Digest.

    Nothing is sent before the server challenges (no password in clear to a Digest server);
    the scheme it names is then remembered, so later requests authenticate at once.
    """

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Answer the server's challenge, or authenticate at once once the scheme is known."""
        if self.scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self.scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        self.scheme = "digest" if challenge.startswith("digest") else "basic"
        yield from self.auth_flow(request)


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how patiently, idempotent reads are retried."""

    attempts: int = 3
    first_delay: float = 0.2

    def delays(self) -> Iterator[float]:
        """The pause before each retry: doubling from `first_delay`, `attempts - 1` of them."""
        return (self.first_delay * 2**n for n in range(self.attempts - 1))


class SparqlHttp:
    """The HTTP side of a remote store: sends requests, retries reads, turns failures into lines."""

    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.auth = ServerAuth(user, password or "") if user else None
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.server: str | None = None
        # One client for the life of the store: connections are kept alive between requests,
        # which is most of the cost of a small query.
        self.client = httpx.Client(
            auth=self.auth,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
            transport=transport,
            headers={"User-Agent": "commons-graph"},
            verify=tls_context(),
        )

    def close(self) -> None:
        """Close the kept-alive connections."""
        self.client.close()

    @contextmanager
    def read(
        self,
        url: str,
        *,
        data: Params,
        accept: str,
        timeout: float | None = None,
        query: bool = True,
    ) -> Iterator[httpx.Response]:
        """POST an idempotent form (a query) and yield the streamed, successful response.

        Connection failures and 502/503/504 are retried with backoff; the body is read lazily.
        """
        delays = self.retry.delays()
        while True:
            try:
                response = self._send(url, data=data, accept=accept, timeout=timeout)
            except UnreachableError:
                delay = next(delays, None)
                if delay is None:
                    raise
                time.sleep(delay)
                continue
            if response.status_code in _RETRY_STATUSES:
                delay = next(delays, None)
                if delay is not None:
                    response.close()
                    time.sleep(delay)
                    continue
            try:
                self.check(url, response, query=query)
                yield response
            finally:
                response.close()
            return

    def write(
        self,
        method: str,
        url: str,
        *,
        content: bytes | Iterable[bytes],
        content_type: str,
        params: Params = (),
    ) -> None:
        """Send a write (update or upload) exactly once: a write is never retried."""
        if self.auth is not None and self.auth.scheme is None and not isinstance(content, bytes):
            # A streamed body cannot be sent twice, so learn the scheme before streaming it.
            self.discover_auth(url)
        request = self.client.build_request(
            method,
            url,
            params=list(params),
            content=content,
            headers={"Content-Type": content_type},
        )
        response = self._send_request(url, request)
        try:
            self.check(url, response, query=False)
        finally:
            response.close()

    def discover_auth(self, url: str) -> None:
        """Make a bodiless request so that the server names its authentication scheme."""
        try:
            # HEAD: on a Graph Store URL a GET could send back the whole dataset.
            self.client.head(url).close()
        except httpx.HTTPError as error:
            raise StoreError("store.unreachable", url=url, reason=unreachable(error)) from None

    def _send(
        self, url: str, *, data: Params, accept: str, timeout: float | None
    ) -> httpx.Response:
        request = self.client.build_request(
            "POST",
            url,
            data=dict_or_pairs(data),
            headers={"Accept": accept},
            timeout=self.client.timeout if timeout is None else httpx.Timeout(timeout),
        )
        return self._send_request(url, request)

    def _send_request(self, url: str, request: httpx.Request) -> httpx.Response:
        try:
            response = self.client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as error:
            # Nothing was evaluated: the server was never reached, or it closed a kept-alive
            # connection before reading the request.
            raise UnreachableError(
                "store.unreachable", url=url, reason=unreachable(error)
            ) from None
        except httpx.TimeoutException:
            seconds = request.extensions.get("timeout", {}).get("read") or self.timeout
            raise ServerTimeoutError(
                "store.server_timeout", url=url, seconds=f"{seconds:g}"
            ) from None
        except httpx.HTTPError as error:
            raise StoreError("store.unreachable", url=url, reason=unreachable(error)) from None
        if self.server is None:
            self.server = response.headers.get("server", "")
        return response

    def check(self, url: str, response: httpx.Response, *, query: bool) -> None:
        """Raise the one-line error a failed response deserves; a 400 on a query is the query's."""
        if response.status_code < 400:
            return
        response.read()
        detail = first_line(response.text)
        if query and response.status_code == 400:
            if detail:
                raise QuerySyntaxError("store.query_syntax", detail=detail)
            raise QuerySyntaxError("store.server_rejected_query")
        answer = f"{response.status_code} {response.reason_phrase}".strip()
        key = "store.server_answered"
        if response.status_code in (401, 403):
            key = "store.server_refused_credentials"
        detail = f": {detail}" if detail else ""
        raise ServerStatusError(
            key, status=response.status_code, url=url, answer=answer, detail=detail
        )


def dict_or_pairs(data: Params) -> dict[str, str | list[str]]:
    """Form fields for httpx, which takes repeated fields (default-graph-uri…) as lists."""
    fields: dict[str, str | list[str]] = {}
    for name, value in data:
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


def unreachable(error: httpx.HTTPError) -> str:
    """Why the SPARQL server could not be reached, in plain words."""
    reason = str(error) or type(error).__name__
    # httpx passes on the OS message, e.g. "[Errno 111] Connection refused".
    if "] " in reason and reason.startswith("["):
        reason = reason.split("] ", 1)[1]
    return f"{reason[:1].lower()}{reason[1:]}"


def first_line(text: str) -> str:
    """The first non-blank line of a server's error body, kept short; of an HTML page (Virtuoso
    answers errors so), its text: `Error 22023 HT057: The STRING session … is longer than 10Mb`."""
    if text.lstrip().startswith("<"):
        lines = [html.unescape(line).strip() for line in _TAG.sub("\n", text[:4000]).splitlines()]
        return " ".join(dict.fromkeys(line for line in lines if line))[:300]
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


# A tag or a declaration (`<!DOCTYPE …>`) of an HTML error page.
_TAG = re.compile(r"<[^>]{0,2000}>")


@contextmanager
def reading_answer(url: str) -> Iterator[None]:
    """An answer from `url` that cannot be parsed, or whose connection broke off while it was
    read, as the store's errors."""
    try:
        yield
    except SyntaxError as error:
        raise StoreError("store.unreadable_results", url=url, detail=str(error)) from None
    except httpx.HTTPError as error:
        raise StoreError("store.broke_off", url=url, detail=str(error)) from None


class ResponseReader(io.RawIOBase):
    """A streamed HTTP body as a binary file for pyoxigraph's parsers; keeps a copy if asked."""

    def __init__(self, chunks: Iterator[bytes], *, keep: bool = False) -> None:
        self._chunks = chunks
        self._pending = b""
        self.kept: list[bytes] | None = [] if keep else None

    @property
    def file(self) -> IO[bytes]:
        """This reader, typed as the binary file pyoxigraph's parsers take."""
        return cast("IO[bytes]", self)

    def readable(self) -> bool:
        """It is."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill `buffer` from the next chunks; 0 at the end of the body."""
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            if self.kept is not None:
                self.kept.append(chunk)
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def drain(self) -> bytes:
        """Read the rest of the body and give the whole of it (the reader must keep a copy)."""
        assert self.kept is not None, "drain() needs a reader made with keep=True"
        self.kept.extend(self._chunks)
        return b"".join(self.kept)
