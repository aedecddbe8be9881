"""`HEAD` on every `GET` route of the app's table: GET's status and headers, no body."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from commons_graph.config import Settings
from tests.helpers.inprocess import InProcess, get_routes, in_process

# A value for each path parameter of the route table, naming something the seed holds.
SAMPLES = {
    "extension": "ttl",
    "name": "values",
    "slug": "ouishare",
    "path": "id/organisation/ouishare",
    "contribution_id": "1",
    "number": "1",
}
# Headers that differ between any two answers, whatever the method.
VARYING = {"date", "set-cookie", "content-length"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder = tmp_path_factory.mktemp("head")
    with in_process(Settings(store=str(folder / "store"))) as started:
        yield started


def concrete(template: str) -> str:
    """The route's path with its parameters filled in from SAMPLES."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLES[m.group(1)], template)


def test_every_get_route_answers_head_as_get(app: InProcess) -> None:
    routes = get_routes(app.app)
    assert {"/", "/sparql", "/search", "/dump.{extension}", "/{path:path}"} <= set(routes)
    for template in routes:
        path = concrete(template)
        for accept in ("text/html", "text/turtle"):
            get = app.get(path, headers={"Accept": accept})
            head = app.head(path, headers={"Accept": accept})
            assert head.status_code == get.status_code, (path, accept)
            assert head.headers.get("content-type") == get.headers.get("content-type"), path
            assert set(head.headers) - VARYING == set(get.headers) - VARYING, path
            assert head.content == b"", path


def test_head_on_a_streamed_dump_stops_early(app: InProcess) -> None:
    """The dump's headers come back without the dump: HEAD sends no body at all."""
    get = app.get("/dump.nq")
    head = app.head("/dump.nq")
    assert get.status_code == head.status_code == 200
    assert len(get.content) > 100_000
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert "content-length" not in head.headers
