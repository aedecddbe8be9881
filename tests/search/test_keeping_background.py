"""The index kept in the keeper's thread: every write is still found by the next read, under
concurrent writes, on close, with a bounded backlog and when an update fails."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from commons_graph.search import keeping
from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import CLEAN, STALE, IndexKeeper, settle
from commons_graph.search.sparql_function import _matched
from commons_graph.store import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.listeners import StoreChange
from tests.search.conftest import EX, LABEL, text


@dataclass
class Kept:
    """An embedded store, its index and the keeper working in the background."""

    store: EmbeddedStore
    index: SearchIndex
    keeper: IndexKeeper
    path: Path

    def write(self, name: str, label: str) -> str:
        """One write: a resource `EX + name` labelled `label` in a graph of its own."""
        graph = NamedNode(f"https://w3id.org/commons-graph/graph/test/{name}")
        subject = NamedNode(EX + name)
        self.store.commit(ChangeSet(insert=[Quad(subject, LABEL, text(label), graph)]))
        return subject.value

    def iris(self, words: str) -> list[str]:
        """The IRIs the index finds for `words` (waiting for the writes already made)."""
        return [iri for _, iri, _ in self.index.ranked(words)]


@pytest.fixture
def kept(tmp_path: Path) -> Iterator[Kept]:
    store = EmbeddedStore(tmp_path / "store")
    path = tmp_path / "search.sqlite"
    index = SearchIndex(path)
    keeper = IndexKeeper(store, index).attach()
    keeper.rebuild()
    try:
        yield Kept(store, index, keeper, path)
    finally:
        keeper.close()
        store.close()


def test_each_write_is_found_by_the_next_search(kept: Kept) -> None:
    assert kept.keeper.background
    for n in range(15):
        iri = kept.write(f"w{n}", f"Quokka number{n}")
        assert kept.iris(f"number{n}") == [iri]
        assert kept.index.suggest(f"number{n}", 3)[0].iri == iri
    assert kept.index.count("quokka") == 15 and kept.keeper.pending == 0


def test_concurrent_writers_are_all_found(kept: Kept) -> None:
    written: list[str] = []
    lock = threading.Lock()

    def writer(who: int) -> None:
        for n in range(8):
            iri = kept.write(f"t{who}-{n}", f"Wombat from writer{who}")
            with lock:
                written.append(iri)

    threads = [threading.Thread(target=writer, args=(who,)) for who in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(written) == 32
    assert set(kept.iris("wombat")) == set(written)
    assert kept.keeper.pending == 0


def test_closing_applies_the_writes_still_waiting(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    index = SearchIndex(tmp_path / "search.sqlite")
    keeper = IndexKeeper(store, index).attach()
    keeper.rebuild()
    kept = Kept(store, index, keeper, tmp_path / "search.sqlite")
    written = {kept.write(f"c{n}", f"Capybara {n}") for n in range(20)}
    keeper.close()  # no read in between: the writes may all be waiting
    reopened = SearchIndex(tmp_path / "search.sqlite")
    try:
        assert {iri for _, iri, _ in reopened.ranked("capybara")} == written
        assert reopened.meta("state") == CLEAN  # in step: the next start need not rebuild
        assert not IndexKeeper(store, reopened).is_stale()
    finally:
        reopened.close()
        store.close()


def test_the_backlog_is_bounded(kept: Kept, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that would leave more graphs waiting than the bound waits for the keeper."""
    monkeypatch.setattr(keeping, "MAX_PENDING_GRAPHS", 0)
    for n in range(5):
        kept.write(f"b{n}", f"Bounded {n}")
        assert kept.keeper.pending == 0


def test_a_failed_update_is_logged_and_marks_the_index_stale(
    kept: Kept, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(keeping, "read_documents", failing)
    with caplog.at_level(logging.WARNING, logger="commons_graph.search"):
        kept.write("f", "Fennec")
        assert kept.iris("fennec") == []  # answered, not hung
    assert "keeping the search index in step with a write failed" in caplog.text
    assert "disk on fire" in caplog.text
    assert kept.index.meta("state") == STALE and kept.keeper.is_stale()
    monkeypatch.undo()
    kept.keeper.close()  # a stale index stays stale: the next start rebuilds it
    assert SearchIndex(kept.path).meta("state") == STALE


def test_query_workers_see_every_write_made_before(kept: Kept) -> None:
    """`settle` (called by the executor before a query) waits for the keeper of that file."""
    iri = kept.write("q", "Pangolin")
    settle(str(kept.path))
    assert _matched(kept.path, "pangolin") == frozenset({iri})
    settle(None)
    settle(str(kept.path.with_name("other.sqlite")))  # no keeper of that file: nothing to do


def test_a_write_that_does_not_say_its_graphs_rebuilds_in_the_background(kept: Kept) -> None:
    kept.keeper.detach()  # written unseen, then told as "anything may have changed"
    iri = kept.write("r", "Axolotl")
    kept.keeper.attach()
    kept.keeper.on_change(kept.store, StoreChange(None))
    assert kept.keeper.flush(60, rebuilds=True)
    assert kept.iris("axolotl") == [iri]


def test_a_write_during_a_background_rebuild_is_kept(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write made while the keeper's thread rebuilds (after the rebuild listed what to
    read) is read again once the rebuild ends."""
    real = keeping.every_document
    written: list[str] = []

    def reading_then_write(store):  # type: ignore[no-untyped-def]
        read = real(store)  # (the embedded store's statements are read at once, here)
        if not written:
            written.append(kept.write("during", "Ocelot"))
        return read

    monkeypatch.setattr(keeping, "every_document", reading_then_write)
    kept.keeper.on_change(kept.store, StoreChange(None))
    assert kept.keeper.flush(60, rebuilds=True)
    assert kept.iris("ocelot") == written
