"""The remote store's TLS: one context for the whole process, still verifying certificates and
host names (a real HTTPS server on 127.0.0.1 with a certificate made for the test)."""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from commons_graph.store import StoreError
from commons_graph.store.dialect import Dialect
from commons_graph.store.http import RetryPolicy, tls_context
from commons_graph.store.remote import RemoteStore
from tests.helpers.servers import ScriptedServer

TRUE = (
    200,
    {"Content-Type": "application/sparql-results+json"},
    json.dumps({"head": {}, "boolean": True}).encode(),
)
ASK = "ASK { ?s ?p ?o }"
TESTS = Path(__file__).parents[1]


def remote(url: str) -> RemoteStore:
    """A remote store at `url`, not retrying long and not probing for a dialect."""
    return RemoteStore(
        f"{url}/query", retry=RetryPolicy(attempts=1, first_delay=0.01), dialect=Dialect()
    )


def context_of(store: RemoteStore) -> ssl.SSLContext:
    """The TLS context the store's HTTP client connects with."""
    # httpx keeps it in its connection pool and offers no public way to read it back.
    context: ssl.SSLContext = store.http.client._transport._pool._ssl_context  # type: ignore[attr-defined]
    return context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (not for `localhost`), and its key."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext"]
        + ["subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


@pytest.fixture
def https_server(certificate: tuple[Path, Path]) -> Iterator[ScriptedServer]:
    """A server answering `true` to every query, over TLS with the test's certificate."""
    server = ScriptedServer(TRUE)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.url = server.url.replace("http://", "https://")
    with server:
        yield server


@pytest.fixture
def trusting(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's TLS context made anew while $SSL_CERT_FILE names the test's certificate."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    tls_context.cache_clear()
    try:
        yield
    finally:
        monkeypatch.undo()
        tls_context.cache_clear()


def test_remote_stores_share_one_context_that_verifies() -> None:
    """Two stores connect with the same context, which requires a valid certificate for the
    host it names (no client reads the CA bundle again)."""
    with remote("https://127.0.0.1:1") as one, remote("https://127.0.0.1:2") as two:
        assert context_of(one) is context_of(two) is tls_context()
    assert tls_context().verify_mode == ssl.CERT_REQUIRED
    assert tls_context().check_hostname is True


def test_an_untrusted_certificate_is_refused(https_server: ScriptedServer) -> None:
    """A certificate no authority of the bundle signed: no request reaches the server."""
    refused = "certificate verify failed: self-signed certificate"
    with remote(https_server.url) as store, pytest.raises(StoreError, match=refused):
        store.ask(ASK, union_default_graph=False)
    assert https_server.exchanges == []


@pytest.mark.usefixtures("trusting")
def test_ssl_cert_file_is_honoured_and_host_names_are_checked(
    https_server: ScriptedServer,
) -> None:
    """Trusted through $SSL_CERT_FILE, the certificate is accepted for the address it names and
    refused for another name of the same server."""
    with remote(https_server.url) as store:
        assert store.ask(ASK, union_default_graph=False) is True
    other_name = https_server.url.replace("127.0.0.1", "localhost")
    with remote(other_name) as store, pytest.raises(StoreError, match="[Hh]ostname mismatch"):
        store.ask(ASK, union_default_graph=False)
    assert len(https_server.exchanges) == 1


def test_the_tests_make_their_requests_with_the_shared_context() -> None:
    """No test module calls httpx's own module functions or Client: each would read the CA
    bundle again (docs/development.md, Tests); tests/helpers/http.py offers the same ones."""
    own = re.compile(
        r"\bhttpx\.(get|post|put|patch|delete|head|options|request|stream|Client|HTTPTransport)\("
    )
    helper = TESTS / "helpers" / "http.py"
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != helper
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if own.search(line)
    ]
    assert offenders == []
