"""HTTP requests for the tests: httpx's module functions and `httpx.Client`, made with the
process's one TLS context (`commons_graph.store.http.tls_context`).

httpx builds a new TLS context, reading the whole CA bundle (about 40 ms), for every client it
makes, and its module functions (`httpx.get`, ...) make one per call: 5 to 8% of the suite's CPU.
These are the same functions with the same semantics (a fresh client per call, so no cookies or
connections kept between calls; every per-call option of httpx's), verifying as httpx does.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import httpx

from commons_graph.store.http import tls_context


def _shared(options: dict[str, Any]) -> dict[str, Any]:
    """`options`, with the shared TLS context unless the caller chose a `verify` of its own."""
    options.setdefault("verify", tls_context())
    return options


# httpx's default is 5 s: on a loaded machine (CI runs two workers beside their servers) an admin
# update on Virtuoso took longer. A test fails on what it asserts, not on the client's patience;
# tests of time limits give their own.
PATIENCE_SECONDS = 60.0


def _patient(options: dict[str, Any]) -> dict[str, Any]:
    """`options` with the shared TLS context and, unless given, a patient timeout."""
    options.setdefault("timeout", PATIENCE_SECONDS)
    return _shared(options)


def client(**kwargs: Any) -> httpx.Client:
    """An `httpx.Client(**kwargs)` (base_url, timeout, cookies, transport, ...)."""
    return httpx.Client(**_patient(kwargs))


def transport(**kwargs: Any) -> httpx.HTTPTransport:
    """An `httpx.HTTPTransport(**kwargs)` (local_address, ...) for `client(transport=...)`."""
    return httpx.HTTPTransport(**_shared(kwargs))


def request(method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.request`: one request from a new client."""
    return httpx.request(method, url, **_patient(kwargs))


def stream(
    method: str, url: httpx.URL | str, **kwargs: Any
) -> AbstractContextManager[httpx.Response]:
    """`httpx.stream`: one streamed request from a new client, closed with the response."""
    return httpx.stream(method, url, **_patient(kwargs))


def get(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.get`."""
    return httpx.get(url, **_patient(kwargs))


def head(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.head`."""
    return httpx.head(url, **_patient(kwargs))


def options(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.options`."""
    return httpx.options(url, **_patient(kwargs))


def post(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.post` (content, data, files, json, ...)."""
    return httpx.post(url, **_patient(kwargs))


def put(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.put`."""
    return httpx.put(url, **_patient(kwargs))


def patch(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.patch`."""
    return httpx.patch(url, **_patient(kwargs))


def delete(url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
    """`httpx.delete`."""
    return httpx.delete(url, **_patient(kwargs))
