"""Change listeners hear of every successful write once, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from commons_graph.rdf.formats import rdf_format
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.errors import StoreError
from commons_graph.store.listeners import StoreChange
from commons_graph.store.text import Stream

G1 = NamedNode("https://example.org/graph/one")
G2 = NamedNode("https://example.org/graph/two")
S = NamedNode("https://example.org/s")
P = NamedNode("https://example.org/p")


def _listen(store: Store) -> list[StoreChange]:
    heard: list[StoreChange] = []
    store.add_change_listener(lambda _store, change: heard.append(change))
    return heard


def test_a_commit_is_heard_once_with_its_graphs(store: Store) -> None:
    heard = _listen(store)
    store.commit(ChangeSet(insert=[Quad(S, P, Literal("a"), G1)], drop_graphs=[G2]))
    assert heard == [StoreChange(frozenset({G1, G2}))]
    assert heard[0].touches(G1) and not heard[0].touches(NamedNode("https://example.org/x"))


def test_a_load_is_heard_with_its_graph(store: Store, tmp_path: Path) -> None:
    heard = _listen(store)
    path = tmp_path / "data.nt"
    path.write_text(f'<{S.value}> <{P.value}> "b" .\n')
    store.load_graph(G1, path, rdf_format("nt"))
    assert heard == [StoreChange(frozenset({G1}))]


def test_a_checked_commit_is_heard_once_with_its_stream_and_amendment(store: Store) -> None:
    heard = _listen(store)
    g3 = NamedNode("https://example.org/graph/three")
    store.commit_checked(
        ChangeSet(insert=[Quad(S, P, Literal("c"), G1)]),
        lambda: ChangeSet(insert=[Quad(S, P, Literal("e"), g3)]),
        stream=Stream(G2, iter([f'<{S.value}> <{P.value}> "f" .\n'.encode()])),
    )
    # Once, however the backend splits the work, with every graph written.
    assert heard == [StoreChange(frozenset({G1, G2, g3}))]
    assert store.count(G2) == 1 and store.count(g3) == 1


def test_a_failed_write_is_not_heard_and_a_failing_listener_fails_nothing(store: Store) -> None:
    heard = _listen(store)

    def broken(_store: Store, _change: StoreChange) -> None:
        raise RuntimeError("listener down")

    store.add_change_listener(broken)
    with pytest.raises((StoreError, ValueError, OSError)):
        store.load_graph(G1, Path("/nonexistent/file.nt"), rdf_format("nt"))
    assert heard == []
    store.commit(ChangeSet(insert=[Quad(S, P, Literal("d"), G1)]))
    assert len(heard) == 1 and store.count(G1) == 1
    store.remove_change_listener(broken)
    assert broken not in store.change_listeners


def test_listeners_run_before_the_generation_moves(store: Store) -> None:
    seen: list[int] = []
    store.add_change_listener(lambda s, _change: seen.append(s.generation))
    before = store.generation
    store.commit(ChangeSet(insert=[Quad(S, P, Literal("g"), G1)]))
    # What is keyed by the generation (response cache, derived values) and read after the bump
    # sees the indexes the listeners keep already up to date.
    assert seen == [before] and store.generation > before
