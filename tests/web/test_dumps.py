"""Whole-store dumps over HTTP: every format round-trips to the store's quads; gzip on request."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from rdflib import Dataset, Graph, URIRef

from tests.helpers.inprocess import in_process
from tests.helpers.pages import (
    Site,
    in_process_site,
    parse_dataset,
    parse_graph,
    same_graph,
    seed_site,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-side site, shared by this module's tests."""
    yield from in_process_site(tmp_path_factory.mktemp("site"), tmp_path_factory)


def graphs_of(dataset: Dataset) -> dict[str, Graph]:
    """The named graphs of a dataset, by name, without the empty default graph."""
    found: dict[str, Graph] = {}
    for s, p, o, g in dataset.quads():
        name = str(g.identifier if hasattr(g, "identifier") else g)
        found.setdefault(name, Graph()).add((s, p, o))
    return found


@pytest.fixture(scope="module")
def expected(site: Site) -> dict[str, Graph]:
    """The store's named graphs, by name (rdflib's, made once: tests only read them)."""
    return graphs_of(site.dataset())


# The named graphs parsed from a dump's bytes, by format and bytes: a dump two tests fetch
# (the same bytes) is parsed once. Only read.
_PARSED: dict[tuple[str, bytes], dict[str, Graph]] = {}


def parsed_graphs(body: bytes, rdflib_format: str) -> dict[str, Graph]:
    """`graphs_of` the dataset rdflib parses from `body`, once per format and bytes."""
    key = (rdflib_format, body)
    if key not in _PARSED:
        _PARSED[key] = graphs_of(parse_dataset(body, rdflib_format))
    return _PARSED[key]


@pytest.mark.parametrize(("extension", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt")])
def test_triple_dumps_hold_every_triple_of_the_store(
    site: Site, extension: str, rdflib_format: str
) -> None:
    response = site.get(f"/dump.{extension}", accept="*/*")
    assert response.status_code == 200
    assert same_graph(parse_graph(response.content, rdflib_format), site.union(), strict=False)


@pytest.mark.parametrize(
    ("extension", "rdflib_format", "media_type"),
    [
        ("nq", "nquads", "application/n-quads"),
        ("trig", "trig", "application/trig"),
        ("jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_quad_dumps_keep_every_named_graph(
    site: Site, expected: dict[str, Graph], extension: str, rdflib_format: str, media_type: str
) -> None:
    response = site.get(f"/dump.{extension}", accept="*/*")
    assert response.headers["content-type"].split(";")[0] == media_type
    got = parsed_graphs(response.content, rdflib_format)
    assert set(got) == set(expected)
    for name, graph in expected.items():
        assert same_graph(got[name], graph, strict=False), name
    assert URIRef("https://w3id.org/commons-graph/graph/import/sample") in {
        URIRef(name) for name in got
    }


@pytest.mark.slow
def test_the_nquads_dump_is_isomorphic_to_the_store(site: Site, expected: dict[str, Graph]) -> None:
    response = site.get("/dump.nq", accept="*/*")
    got = parsed_graphs(response.content, "nquads")
    for name, graph in expected.items():
        assert same_graph(got[name], graph, strict=True), name


def test_dumps_are_gzipped_when_the_client_accepts_it(site: Site) -> None:
    with site.client.stream(
        "GET", "/dump.nq", headers={"Accept-Encoding": "gzip", "Accept": "*/*"}
    ) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["vary"]
        raw = b"".join(response.iter_raw())
    plain = site.get("/dump.nq", accept="*/*", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(raw) == plain.content


def test_gzip_refused_with_q_zero_is_not_used(site: Site) -> None:
    response = site.get("/dump.ttl", accept="*/*", **{"Accept-Encoding": "gzip;q=0, br"})
    assert "content-encoding" not in response.headers


def test_dumps_are_streamed_in_chunks(site: Site) -> None:
    with site.client.stream("GET", "/dump.nt", headers={"Accept-Encoding": "identity"}) as response:
        # A streamed response has no Content-Length: it is sent chunk by chunk as it is written.
        assert "content-length" not in response.headers
        chunks = list(response.iter_raw())
    assert sum(len(c) for c in chunks) > 0


def test_unknown_dump_formats_are_404(site: Site) -> None:
    assert site.get("/dump.csv", accept="application/json").status_code == 404


def test_a_dump_names_its_version_and_can_be_cited(site: Site) -> None:
    response = site.get("/dump.nq", accept="*/*")
    version = response.headers["etag"].strip('"')
    cited = f"{site.url}/dump.nq?version={version}"
    assert response.headers["content-location"] == cited
    assert f'<{cited}>; rel="canonical"' in response.headers["link"]
    assert version[:12] in response.headers["content-disposition"]
    again = site.get(f"/dump.nq?version={version}", accept="*/*")
    assert again.status_code == 200
    assert again.content == response.content
    unchanged = site.get("/dump.nq", accept="*/*", **{"If-None-Match": f'"{version}"'})
    assert unchanged.status_code == 304


def test_gzip_files_hold_the_same_dump(site: Site) -> None:
    packed = site.get("/dump.trig.gz", accept="*/*")
    assert packed.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in packed.headers
    plain = site.get("/dump.trig", accept="*/*", **{"Accept-Encoding": "identity"})
    assert gzip.decompress(packed.content) == plain.content


@pytest.mark.parametrize("asked", ["0" * 32, "f" * 32])
def test_an_earlier_version_is_gone_410(site: Site, asked: str) -> None:
    response = site.get(f"/dump.ttl?version={asked}", accept="application/json")
    assert response.status_code == 410
    body = response.json()
    assert body["ok"] is False and body["status"] == 410
    assert asked in body["errors"][0]["message"]
    assert "no longer available" in body["errors"][0]["message"]


@pytest.mark.parametrize("asked", ["latest", "../etc", "0" * 31, "G" * 32, "x" * 5000])
def test_a_version_that_names_none_is_404(site: Site, asked: str) -> None:
    assert site.get(f"/dump.ttl?version={asked}", accept="application/json").status_code == 404


def test_after_a_write_the_old_version_is_gone(tmp_path_factory: pytest.TempPathFactory) -> None:
    import pyoxigraph as ox

    settings, _quads = seed_site(tmp_path_factory.mktemp("own"), tmp_path_factory)
    with in_process(settings) as own:
        first = own.get("/dump.nt").headers["etag"].strip('"')
        store = own.app.state.services.store
        graph = ox.NamedNode("https://w3id.org/commons-graph/graph/test/extra")
        thing = ox.NamedNode("https://w3id.org/commons-graph/id/commons/extra")
        store.replace_graph(graph, [ox.Triple(thing, thing, thing)])
        second = own.get("/dump.nt").headers["etag"].strip('"')
        assert second != first
        assert own.get(f"/dump.nt?version={first}").status_code == 410
        store.drop_graph(graph)
        # The same content is the same version again (a hash of the quads, not a counter).
        assert own.get(f"/dump.nt?version={first}").status_code == 200
