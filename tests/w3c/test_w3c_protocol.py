"""The W3C SPARQL 1.1 Protocol test cases, run against the service on each backend.

The manifest (`sparql11-protocol/manifest.ttl`, a copy with its W3C licence) lists HTTP requests
and what their responses must be. Each test is read from it here, not rewritten by hand: its
`ut:graphData` files are loaded into the named graphs its labels give, its requests are sent with
the path `/sparql/` replaced by the service's `/sparql` (queries) or `/update` (updates, with an
admin's `Authorization: Bearer` token), and the status class, result format and ASK answer are
checked.

The update tests need SPARQL Update for admins at `/update`: while a POST there answers 404 or
405 (no such route) they are skipped, naming the missing route; they run as soon as it exists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from pyoxigraph import NamedNode
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace

from commons_graph.rdf.formats import rdf_format
from tests.helpers import http as fetch
from tests.helpers.backends import BACKENDS, seeded_settings
from tests.helpers.live import LiveServer

HERE = Path(__file__).parent / "sparql11-protocol"
MANIFEST = HERE / "manifest.ttl"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"),
}


@dataclass
class ProtocolRequest:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    boolean: bool | None
    result_format: str | None


@dataclass
class ProtocolTest:
    """One test of the manifest: graphs to load, then requests in order."""

    name: str
    title: str
    graphs: dict[str, Path] = field(default_factory=dict)
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def _read_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(MANIFEST, format="turtle", publicID=BASE)
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        assert isinstance(entry, URIRef)
        test = ProtocolTest(str(entry).split("#")[-1], str(graph.value(entry, MF.name)))
        for data in graph.objects(entry, UT.graphData):
            file = HERE / str(graph.value(data, UT.graph)).rsplit("/", 1)[-1]
            test.graphs[str(graph.value(data, RDFS.label))] = file
        action = graph.value(entry, MF.action)
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            if (header_list := graph.value(request, HT.headers)) is not None:
                for header in Collection(graph, header_list):
                    name = str(graph.value(header, HT.fieldName)).lower()
                    headers[name] = str(graph.value(header, HT.fieldValue))
            body = None
            if (content := graph.value(request, HT.body)) is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(content, CNT.chars)).encode(encoding.lower())
            response = graph.value(request, HT.resp)
            expected = graph.objects(response, MF.expectedStatus)
            statuses = {str(status).removeprefix(HTS) for status in expected}
            boolean = graph.value(response, MF.expectedBoolean)
            result_format = graph.value(response, MF.expectedFormat)
            test.requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=statuses,
                    boolean=None if boolean is None else boolean.toPython(),
                    result_format=None if result_format is None else str(result_format),
                )
            )
        tests.append(test)
    return tests


TESTS = _read_manifest()


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    """The service on each backend, with an admin's token for the update tests."""
    from commons_graph.members.accounts import Accounts

    folder = tmp_path_factory.mktemp("w3c")
    settings = seeded_settings(request, request.param, folder)
    settings = settings.model_copy(update={"accounts": str(folder / "accounts.sqlite")})
    with LiveServer(settings) as live:
        _member, token = Accounts.from_settings(settings).add_member(
            "W3C protocol tests", "https://example.org/w3c-tests", admin=True
        )
        yield live, token


@pytest.fixture(scope="module")
def update_served(server: tuple[LiveServer, str]) -> bool:
    """Whether the service has an update route (a POST without a token is then 401 or 403)."""
    return fetch.post(f"{server[0].url}/update", timeout=60).status_code not in (404, 405)


def _load_graphs(server: LiveServer, graphs: dict[str, Path]) -> None:
    """Put each test file in the named graph its label gives (the public cannot write)."""
    store = server.app.state.services.store
    for name, path in graphs.items():
        store.load_graph(NamedNode(name), path, rdf_format("nt"), replace=True)


def _send(server: LiveServer, token: str, test: ProtocolTest, sent: ProtocolRequest) -> Any:
    route = "/update" if test.is_update and _is_update_request(sent) else "/sparql"
    path = re.sub(r"^/sparql/?", route, sent.path)
    headers = dict(sent.headers)
    if route == "/update":
        headers["authorization"] = f"Bearer {token}"
    return fetch.request(
        sent.method, server.url + path, headers=headers, content=sent.body, timeout=60
    )


def _is_update_request(sent: ProtocolRequest) -> bool:
    """Whether a request of an update test carries the update (its check is a query)."""
    content_type = sent.headers.get("content-type", "")
    body = (sent.body or b"").decode("utf-8", errors="replace")
    return (
        "sparql-update" in content_type
        or "update=" in sent.path
        or body.startswith("update=")
        or "using-" in sent.path
        or (sent.body is not None and "sparql-query" not in content_type and "query=" not in body)
    )


def _boolean(response: httpx.Response) -> bool:
    media_type = response.headers["content-type"].split(";")[0].strip()
    if media_type == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    root = ElementTree.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None
    return node.text == "true"


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(
    server: tuple[LiveServer, str], update_served: bool, test: ProtocolTest
) -> None:
    if test.is_update and not update_served:
        pytest.skip(
            "POST /update (SPARQL Update for admins, issue 18 item 5) is not served yet: "
            "this test runs once it is"
        )
    live, token = server
    _load_graphs(live, test.graphs)
    for sent in test.requests:
        response = _send(live, token, test, sent)
        status_class = f"{response.status_code // 100}xx"
        assert status_class in sent.statuses, (
            f"{test.title}: {sent.method} {sent.path} answered {response.status_code}, "
            f"expected {sorted(sent.statuses)}: {response.text[:300]}"
        )
        if sent.result_format is not None:
            media_type = response.headers["content-type"].split(";")[0].strip()
            assert media_type in RESULT_TYPES[sent.result_format], media_type
        if sent.boolean is not None:
            assert _boolean(response) is sent.boolean, test.title
