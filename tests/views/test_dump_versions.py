"""The content version of a store on a SPARQL server: one pass after this process writes, then
kept; every dump hashes what it streams, so another writer's change is caught, never named."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet
from commons_graph.store.content_version import content_version
from commons_graph.store.dialect import Dialect
from commons_graph.store.remote import RemoteStore
from commons_graph.views.dumps import VersionChanged, VersionGone, check_version, stream_dump
from tests.helpers.servers import OxigraphServer

pytestmark = pytest.mark.remote

EX = "http://example.org/"
G = ox.NamedNode(EX + "graph/1")


def _store(server: OxigraphServer) -> RemoteStore:
    return RemoteStore(server.query_url, server.update_url, server.gsp_url, dialect=Dialect())


def _quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(EX + "p"), ox.Literal(f"v{n}"), G)


def test_remote_version_is_computed_once_and_checked_by_each_dump(
    remote_server: OxigraphServer,
) -> None:
    """No pass over the store per dump; a write by another process is found by the next dump,
    which is cut off rather than named by a version it does not hold; then 410 for the old."""
    with _store(remote_server) as serving, _store(remote_server) as other:
        serving.commit(ChangeSet(insert=[_quad(n) for n in range(50)]))
        first = check_version(serving, None)
        assert first == content_version(serving)
        sent: list[httpx.Request] = []
        serving.http.client.event_hooks["request"].append(sent.append)
        assert check_version(serving, first) == first
        assert sent == []  # kept: no pass over the store
        assert len(list(serving.quads())) == 50
        reading = len(sent)  # what one read of every quad asks (store/remote_reading.py)
        dump = b"".join(stream_dump(serving, rdf_format("nq"), version=first))
        assert len(list(ox.parse(dump, format=ox.RdfFormat.N_QUADS))) == 50
        assert len(sent) == 2 * reading  # the dump's own read, nothing else
        other.commit(ChangeSet(insert=[_quad(50)]))  # another process writes
        assert check_version(serving, first) == first  # not known yet
        with pytest.raises(VersionChanged):
            b"".join(stream_dump(serving, rdf_format("nq"), version=first))
        second = check_version(serving, None)
        assert second != first and second == content_version(serving)
        with pytest.raises(VersionGone):
            check_version(serving, first)
        # This process's own write is seen at once.
        serving.commit(ChangeSet(insert=[_quad(51)]))
        assert check_version(serving, None) == content_version(serving) != second
