"""Large line-based files bulk-loaded in slices side by side: the same store as one load."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import RdfSyntaxError
from commons_graph.store import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.parallel_load import bulk_load_in_slices, line_slices, slice_count

EX = "http://example.org/"
GRAPH = ox.NamedNode(EX + "graph/big")
LINES = 3_000


@pytest.fixture
def sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of a few kilobytes are loaded in four slices, and go to the bulk loader."""
    monkeypatch.setattr("commons_graph.store.parallel_load._MIN_SLICE_BYTES", 1024)
    monkeypatch.setattr("commons_graph.store.parallel_load._usable_cores", lambda: 4)
    monkeypatch.setattr("commons_graph.store.embedded._STREAMING_LOAD_BYTES", 1024)


def statements(count: int, graph: str = "") -> list[str]:
    """`count` N-Triples lines (N-Quads with `graph`), of varied lengths."""
    suffix = f" <{graph}>" if graph else ""
    return [
        f'<{EX}item/{i}> <{EX}label> "item {i} {"é" * (i % 7)}"@fr{suffix} .\n'
        for i in range(count)
    ]


def write(path: Path, lines: list[str]) -> Path:
    """`path`, holding `lines`."""
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_slices_cover_the_file_and_end_at_line_breaks(tmp_path: Path) -> None:
    path = write(tmp_path / "big.nt", statements(LINES))
    data = path.read_bytes()
    slices = line_slices(path, 4)
    assert len(slices) == 4
    assert slices[0][0] == 0 and slices[-1][1] == len(data)
    for (_, end), (start, _) in zip(slices, slices[1:], strict=False):
        assert end == start and data[end - 1 : end] == b"\n"


def test_a_line_longer_than_a_slice_stays_whole(tmp_path: Path) -> None:
    long_line = f'<{EX}a> <{EX}label> "{"x" * 10_000}" .\n'
    path = write(tmp_path / "long.nt", [long_line, *statements(3)])
    slices = line_slices(path, 8)
    data = path.read_bytes()
    assert b"".join(data[start:end] for start, end in slices) == data
    assert all(data[end - 1 : end] == b"\n" for _, end in slices)


@pytest.mark.usefixtures("sliced")
def test_a_file_loaded_in_slices_holds_what_one_load_holds(tmp_path: Path) -> None:
    path = write(tmp_path / "big.nt", statements(LINES))
    assert slice_count(path, "ntriples") == 4
    with EmbeddedStore(tmp_path / "store") as store:
        assert store.load_graph(GRAPH, path, rdf_format("ntriples")) == LINES
        loaded = set(store.quads(GRAPH))
    reference = ox.Store()
    reference.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=GRAPH)
    assert loaded == set(reference)


@pytest.mark.usefixtures("sliced")
def test_a_dataset_in_slices_replaces_the_graphs_it_fills(tmp_path: Path) -> None:
    other = EX + "graph/other"
    path = write(tmp_path / "big.nq", statements(LINES, graph=other))
    with EmbeddedStore(tmp_path / "store") as store:
        stale = ox.Quad(ox.NamedNode(EX + "stale"), ox.NamedNode(EX + "p"), ox.Literal("old"))
        store.commit(
            ChangeSet(
                insert=[ox.Quad(stale.subject, stale.predicate, stale.object, ox.NamedNode(other))]
            )
        )
        store.load_graph(GRAPH, path, rdf_format("nquads"))
        assert store.count(ox.NamedNode(other)) == LINES


@pytest.mark.usefixtures("sliced")
def test_a_file_with_blank_nodes_is_loaded_whole(tmp_path: Path) -> None:
    """Each load names blank nodes anew: `_:shared` at both ends must stay one node."""
    shared = f'_:shared <{EX}label> "shared" .\n'
    lines = [shared, *statements(LINES), f"<{EX}a> <{EX}link> _:shared .\n"]
    path = write(tmp_path / "blank.nt", lines)
    assert slice_count(path, "ntriples") == 1
    with EmbeddedStore(tmp_path / "store") as store:
        store.load_graph(GRAPH, path, rdf_format("ntriples"))
        linked = store.select(
            "SELECT DISTINCT ?b WHERE { ?b <http://example.org/label> 'shared' . "
            "?a <http://example.org/link> ?b }"
        )
    assert len(linked.rows) == 1


@pytest.mark.usefixtures("sliced")
def test_an_error_in_a_late_slice_names_its_line_in_the_file_and_stores_nothing(
    tmp_path: Path,
) -> None:
    lines = statements(LINES)
    lines[2_500] = f'<{EX}broken> <{EX}label> "unclosed .\n'
    path = write(tmp_path / "big.nt", lines)
    with EmbeddedStore(tmp_path / "store") as store:
        store.commit(
            ChangeSet(
                insert=[
                    ox.Quad(
                        ox.NamedNode(EX + "kept"), ox.NamedNode(EX + "p"), ox.Literal("kept"), GRAPH
                    )
                ]
            )
        )
        with pytest.raises(RdfSyntaxError, match=r"big\.nt: .*line 2501\b"):
            store.load_graph(GRAPH, path, rdf_format("ntriples"))
        assert store.count(GRAPH) == 1


def test_the_first_error_in_the_file_is_the_one_reported(tmp_path: Path) -> None:
    lines = statements(LINES)
    for broken in (100, 2_900):
        lines[broken] = "<not an iri .\n"
    path = write(tmp_path / "big.nt", lines)
    store = ox.Store()
    with pytest.raises(SyntaxError, match=r"line 101\b"):
        bulk_load_in_slices(store, path, ox.RdfFormat.N_TRIPLES, GRAPH, line_slices(path, 4))


@pytest.mark.usefixtures("sliced")
def test_a_file_beyond_the_sliced_size_is_loaded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large file Oxigraph keeps the cores busy itself: slices would only cost memory."""
    path = write(tmp_path / "big.nt", statements(LINES))
    monkeypatch.setattr(
        "commons_graph.store.parallel_load._MAX_SLICED_BYTES", path.stat().st_size - 1
    )
    assert slice_count(path, "ntriples") == 1


@pytest.mark.usefixtures("sliced")
def test_a_turtle_file_is_loaded_whole(tmp_path: Path) -> None:
    path = write(tmp_path / "big.ttl", statements(LINES))
    assert slice_count(path, "turtle") == 1


@pytest.mark.usefixtures("sliced")
def test_a_broken_dataset_is_refused_before_anything_is_replaced(tmp_path: Path) -> None:
    """The first pass, which finds the graphs to replace, reports the error: nothing changes."""
    other = EX + "graph/other"
    lines = statements(LINES, graph=other)
    lines[1_000] = f'<{EX}broken> <{EX}label> "unclosed <{other}> .\n'
    path = write(tmp_path / "big.nq", lines)
    kept = ox.Quad(ox.NamedNode(EX + "kept"), ox.NamedNode(EX + "p"), ox.Literal("kept"))
    with EmbeddedStore(tmp_path / "store") as store:
        store.commit(ChangeSet(insert=[ox.Quad(kept.subject, kept.predicate, kept.object, GRAPH)]))
        with pytest.raises(RdfSyntaxError, match=r"big\.nq: .*line 1001\b"):
            store.load_graph(GRAPH, path, rdf_format("nquads"))
        assert store.count() == 1
