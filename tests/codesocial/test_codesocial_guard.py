"""The store refuses every change to a sealed (published) graph, on every backend."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.store import ChangeSet, SealedGraphError, Store, is_sealed_graph

SEALED = ox.NamedNode("https://w3id.org/commons-graph/graph/codesocial/example/v1")
OPEN = ox.NamedNode("https://w3id.org/commons-graph/graph/contribution/example")
S = ox.NamedNode("https://w3id.org/commons-graph/id/codesocial/example/v1")
P = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def quad(text: str, graph: ox.NamedNode = SEALED) -> ox.Quad:
    """One statement in `graph`."""
    return ox.Quad(S, P, ox.Literal(text), graph)


def seal(store: Store) -> None:
    """Create the sealed graph the only allowed way: a publishing change set."""
    store.commit(ChangeSet(insert=[quad("original")], seal_graphs=[SEALED]))


def test_only_the_codesocial_version_graphs_are_sealed() -> None:
    """The pattern covers version graphs and nothing else."""
    assert is_sealed_graph(SEALED)
    assert is_sealed_graph(ox.NamedNode(SEALED.value + "/publication"))
    assert not is_sealed_graph(OPEN)
    assert not is_sealed_graph(ox.NamedNode("https://w3id.org/commons-graph/graph/seed/x"))


@pytest.mark.parametrize(
    "changes",
    [
        ChangeSet(drop_graphs=[SEALED]),
        ChangeSet(delete=[quad("original")]),
        ChangeSet(insert=[quad("forged")]),
        ChangeSet(insert=[quad("ok", OPEN), quad("forged")]),
    ],
    ids=["drop", "delete", "insert", "insert-among-others"],
)
def test_a_published_graph_never_changes(store: Store, changes: ChangeSet) -> None:
    """Drop, delete and insert on a sealed graph are refused and nothing at all is written."""
    seal(store)
    with pytest.raises(SealedGraphError):
        store.commit(changes)
    assert [q.object for q in store.quads(SEALED)] == [ox.Literal("original")]
    assert store.count(OPEN) == 0


def test_creating_a_sealed_graph_happens_once(store: Store) -> None:
    """A second publishing change for an existing sealed graph inserts nothing (atomically)."""
    seal(store)
    store.commit(ChangeSet(insert=[quad("second")], seal_graphs=[SEALED]))
    assert [q.object for q in store.quads(SEALED)] == [ox.Literal("original")]


def test_loading_a_file_into_a_sealed_graph_is_refused(store: Store, tmp_path: Path) -> None:
    """Bulk and streaming loads, which may bypass ChangeSet, refuse a sealed target too."""
    seal(store)
    path = tmp_path / "forged.nt"
    path.write_text(f'{S} {P} "forged" .\n', encoding="utf-8")
    for replace in (True, False):
        with pytest.raises(SealedGraphError):
            store.load_graph(SEALED, path, rdf_format("nt"), replace=replace)
    assert store.count(SEALED) == 1


@pytest.mark.parametrize(
    "subject",
    [
        "https://w3id.org/commons-graph/id/codesocial/example/v1",
        "https://w3id.org/commons-graph/id/codesocial/example/v2",
        "https://w3id.org/commons-graph/id/codesocial/example/v2#principle-x",
        "https://w3id.org/commons-graph/id/codesocial/example/latest",
    ],
)
def test_version_iris_are_described_by_publishing_only(store: Store, subject: str) -> None:
    """Statements about a version (published or future), `latest` or their fragments go into
    the sealed graphs publishing creates, nowhere else: whoever writes, by whatever path."""
    seal(store)
    forged = ox.Quad(ox.NamedNode(subject), P, ox.Literal("forged"), OPEN)
    with pytest.raises(SealedGraphError):
        store.commit(ChangeSet(insert=[forged]))
    assert store.count(OPEN) == 0
    draft = ox.NamedNode("https://w3id.org/commons-graph/id/codesocial/example")
    part = ox.NamedNode(draft.value + "#model-economic")
    store.commit(
        ChangeSet(insert=[ox.Quad(d, P, ox.Literal("draft"), OPEN) for d in (draft, part)])
    )
    assert store.count(OPEN) == 2
