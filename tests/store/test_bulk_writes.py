"""Large writes: all or nothing on every backend, by the bulk loader on the embedded store."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import RdfSyntaxError
from commons_graph.store import ChangeSet, SealedGraphError, Store, Stream
from commons_graph.store.embedded import EmbeddedStore

EX = "http://example.org/"
BIG = ox.NamedNode(EX + "graph/big")
KEPT = ox.NamedNode(EX + "graph/kept")
LABEL = ox.NamedNode(EX + "label")
# Above the embedded store's threshold for the bulk loader (20,000 inserted quads).
SIZE = 25_000


def quads(graph: ox.NamedNode, count: int, start: int = 0) -> list[ox.Quad]:
    """`count` distinct quads in `graph`."""
    return [
        ox.Quad(ox.NamedNode(f"{EX}item/{i}"), LABEL, ox.Literal(f"item {i}"), graph)
        for i in range(start, start + count)
    ]


def seeded(store: Store) -> Store:
    """`store` holding one small graph that large writes must leave alone."""
    store.commit(ChangeSet(insert=quads(KEPT, 3)))
    return store


def test_a_large_commit_is_stored_whole(store: Store) -> None:
    seeded(store).commit(ChangeSet(insert=quads(BIG, SIZE)))
    assert store.count(BIG) == SIZE
    assert store.count(KEPT) == 3


def test_an_amendment_takes_back_and_adds(store: Store) -> None:
    """The check's amendment applies after the planned change, as one write."""
    planned = quads(BIG, SIZE)
    taken_back, added = planned[:10], quads(BIG, 5, start=SIZE)
    seeded(store).commit_checked(
        ChangeSet(delete=quads(KEPT, 1), insert=planned),
        lambda: ChangeSet(delete=taken_back, insert=added),
    )
    assert store.count(BIG) == SIZE - 10 + 5
    assert store.count(KEPT) == 2
    assert not store.ask(f"ASK {{ <{EX}item/0> ?p ?o }}")
    assert store.ask(f"ASK {{ <{EX}item/{SIZE}> ?p ?o }}")


def test_a_failing_check_stores_nothing(store: Store) -> None:
    """Even when the planned change was being written while the check ran."""

    def check() -> ChangeSet:
        raise ValueError("row 12: no name")

    with pytest.raises(ValueError, match="no name"):
        seeded(store).commit_checked(ChangeSet(drop_graphs=[KEPT], insert=quads(BIG, SIZE)), check)
    assert store.count(BIG) == 0
    assert store.count(KEPT) == 3
    assert store.named_graphs() == [KEPT]


def pieces(graph_items: int, per_piece: int) -> Iterator[bytes]:
    """`graph_items` statements as N-Triples, `per_piece` to a piece."""
    for start in range(0, graph_items, per_piece):
        count = min(per_piece, graph_items - start)
        yield "".join(
            f"{q.subject} {q.predicate} {q.object} .\n" for q in quads(BIG, count, start)
        ).encode()


def test_a_stream_is_stored_as_it_comes_then_amended(store: Store) -> None:
    """Small pieces first gathered, then written one by one; the check's amendment last."""
    taken_back = quads(BIG, 3)
    seeded(store).commit_checked(
        ChangeSet(delete=quads(KEPT, 1)),
        lambda: ChangeSet(delete=taken_back, insert=quads(BIG, 2, start=SIZE)),
        stream=Stream(BIG, pieces(SIZE, 1_000)),
    )
    assert store.count(BIG) == SIZE - 3 + 2
    assert store.count(KEPT) == 2
    assert not store.ask(f"ASK {{ GRAPH <{BIG.value}> {{ <{EX}item/0> ?p ?o }} }}")
    assert store.ask(f"ASK {{ GRAPH <{BIG.value}> {{ <{EX}item/{SIZE - 1}> ?p ?o }} }}")


def test_a_small_stream_is_one_transaction(store: Store) -> None:
    seeded(store).commit_checked(ChangeSet(), ChangeSet, stream=Stream(BIG, pieces(30, 7)))
    assert store.count(BIG) == 30


def test_a_stream_failing_midway_stores_nothing(store: Store) -> None:
    """The pieces already written by the bulk loader are undone with the rest."""

    def failing() -> Iterator[bytes]:
        yield from pieces(SIZE, 5_000)
        raise ValueError("row 9000: not UTF-8")

    with pytest.raises(ValueError, match="not UTF-8"):
        seeded(store).commit_checked(
            ChangeSet(drop_graphs=[KEPT]), ChangeSet, stream=Stream(BIG, failing())
        )
    assert store.count(BIG) == 0
    assert store.count(KEPT) == 3


def test_a_stream_into_a_sealed_graph_is_refused(store: Store) -> None:
    sealed = ox.NamedNode("https://w3id.org/commons-graph/graph/codesocial/x/v1")
    with pytest.raises(SealedGraphError):
        seeded(store).commit_checked(
            ChangeSet(), ChangeSet, stream=Stream(sealed, pieces(SIZE, 5_000))
        )
    assert store.count() == 3


def test_a_large_write_to_a_sealed_graph_is_refused(store: Store) -> None:
    sealed = ox.NamedNode("https://w3id.org/commons-graph/graph/codesocial/x/v1")
    with pytest.raises(SealedGraphError):
        seeded(store).commit(ChangeSet(insert=quads(sealed, SIZE)))
    assert store.count() == 3


def test_a_large_file_with_an_error_at_its_end_loads_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file above the streaming size is bulk-loaded from disk: an error undoes it all."""
    monkeypatch.setattr("commons_graph.store.embedded._STREAMING_LOAD_BYTES", 1024)
    path = tmp_path / "big.nt"
    lines = [f"{q.subject} {q.predicate} {q.object} .\n" for q in quads(BIG, 2_000)]
    path.write_text("".join(lines) + "<broken\n", encoding="utf-8")
    store.commit(ChangeSet(insert=quads(BIG, 3, start=10_000)))
    with pytest.raises(RdfSyntaxError, match="big.nt"):
        store.load_graph(BIG, path, rdf_format("ntriples"))
    assert store.count(BIG) == 3
    path.write_text("".join(lines), encoding="utf-8")
    assert store.load_graph(BIG, path, rdf_format("ntriples")) == 2_000
    assert store.count(BIG) == 2_000


def test_a_write_cut_short_by_a_crash_is_undone_at_the_next_opening(tmp_path: Path) -> None:
    """The process is killed while the bulk loader writes: opening the store again undoes it."""
    location = tmp_path / "store"
    with EmbeddedStore(location) as store:
        seeded(store)
    script = textwrap.dedent(
        f"""
        import os, signal, time
        from pathlib import Path
        import pyoxigraph as ox
        from commons_graph.store import ChangeSet
        from commons_graph.store.embedded import EmbeddedStore

        store = EmbeddedStore(Path({str(location)!r}))
        planned = [
            ox.Quad(ox.NamedNode(f"{EX}item/{{i}}"), ox.NamedNode("{LABEL.value}"),
                    ox.Literal(str(i)), ox.NamedNode("{BIG.value}"))
            for i in range({SIZE})
        ]

        def die() -> ChangeSet:
            time.sleep(1)  # the second thread has bulk-loaded by now, the write is not over
            os.kill(os.getpid(), signal.SIGKILL)
            return ChangeSet()

        store.commit_checked(ChangeSet(insert=planned), die)
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert killed.returncode == -9
    assert (tmp_path / "store.rollback").is_dir()
    with EmbeddedStore(location) as reopened:
        assert reopened.count(BIG) == 0
        assert reopened.count(KEPT) == 3
    assert not (tmp_path / "store.rollback").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
