"""The rebuild's reading of the embedded store (`scan_documents`) gives exactly the documents
of the reading every store gets (`read_documents` of every subject, by SELECT queries): every
field, in the same order, on the seed, the seed with an import, and generated graphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_graph.rdf.namespaces import GRAPH, SHAPES_GRAPH
from commons_graph.search import documents, keeping, scanning
from commons_graph.search.documents import (
    BODY_PROPERTIES,
    NAME_PROPERTIES,
    OTHER_NAME_PROPERTIES,
    Document,
    all_subjects,
    read_documents,
)
from commons_graph.search.keeping import every_document
from commons_graph.search.scanning import _names_order, scan_documents
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.views.labels import LABEL_PROPERTIES
from tests.helpers.imports import seed_with_coops

FIELDS = ("iri", "names", "other_names", "body", "links", "link_texts", "types", "graphs")


def _assert_same_documents(store: EmbeddedStore) -> int:
    """Both readings of `store` give the same documents, field by field; how many."""
    subjects = all_subjects(store)
    expected = list(read_documents(store, subjects, {}))
    total, scanned = scan_documents(store)
    found = list(scanned)
    assert total == len(subjects)
    _assert_same(expected, found)
    return len(found)


def _assert_same(expected: list[Document], found: list[Document]) -> None:
    """The same documents in the same order, field by field."""
    assert len(found) == len(expected)
    for want, got in zip(expected, found, strict=True):
        for name in FIELDS:
            assert getattr(got, name) == getattr(want, name), (want.iri, name)
        assert got.has_text == want.has_text


def test_the_seed_reads_the_same(tmp_path: Path, seed_quads: list[ox.Quad]) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        store.native.extend(seed_quads)
        assert _assert_same_documents(store) > 2000
        # The keeper's rebuild reads it so (another store reads by SELECT).
        assert every_document(store)[0] == len(all_subjects(store))


def test_a_large_store_is_read_in_batches_with_the_same_documents(
    tmp_path: Path, seed_quads: list[ox.Quad], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the scan's bound (its memory grows with the store) the rebuild reads 400
    subjects at a time: the same documents, in the same order."""
    with EmbeddedStore(tmp_path / "store") as store:
        store.native.extend(seed_quads)
        scanned = list(every_document(store)[1])
        monkeypatch.setattr(keeping, "SCAN_AT_MOST_QUADS", len(seed_quads) - 1)
        total, batched = every_document(store)
        batched_docs = list(batched)
        assert total == len(scanned)
        _assert_same(scanned, batched_docs)


def test_the_seed_with_an_import_reads_the_same(tmp_path: Path) -> None:
    """600 imported co-operatives: resources in several graphs, parts (addresses), links to
    the vocabularies' terms named by several properties."""
    location = Path(seed_with_coops(tmp_path, rows=600).store)
    with EmbeddedStore(location) as store:
        assert _assert_same_documents(store) > 4000
        several = [d for d in scan_documents(store)[1] if len(d.graphs) > 1]
        assert several, "no resource in several graphs: the reading again is not checked"


def test_names_are_ordered_as_the_names_query_orders_them() -> None:
    """The order asked of a store in memory is the one of the store on disk (the resources
    named by several properties check it above and below); it is a permutation."""
    assert sorted(_names_order()) == sorted(LABEL_PROPERTIES)


# -- generated graphs ----------------------------------------------------------------------

EX = "https://w3id.org/commons-graph/id/test/"
_SUBJECTS = [ox.NamedNode(EX + n) for n in ("a", "b", "c", "a#address", "b#part")]
_BLANKS = [ox.BlankNode(f"b{n}") for n in range(3)]
_PROPERTIES = [
    ox.NamedNode(p)
    for p in (
        *sorted(NAME_PROPERTIES)[:3],
        *sorted(OTHER_NAME_PROPERTIES)[:2],
        *sorted(BODY_PROPERTIES)[:2],
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "https://schema.org/knows",
        "https://schema.org/address",
        "https://schema.org/foundingDate",
    )
]
_GRAPHS: list[ox.NamedNode | ox.DefaultGraph] = [
    ox.NamedNode(GRAPH["test/one"]),
    ox.NamedNode(GRAPH["test/two"]),
    ox.NamedNode(GRAPH["test/three"]),
    ox.NamedNode(GRAPH["provenance"]),
    ox.NamedNode(GRAPH["derived-relations"]),
    ox.NamedNode(SHAPES_GRAPH),
    ox.DefaultGraph(),
]
_TEXTS = st.text(alphabet=st.sampled_from("ab é\x01\n\x7f-"), max_size=6)
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_LITERALS = st.one_of(
    _TEXTS.map(ox.Literal),
    st.builds(
        lambda t, lang: ox.Literal(t, language=lang), _TEXTS, st.sampled_from(["en", "fr", "EN-GB"])
    ),
    st.integers(0, 3).map(lambda n: ox.Literal(str(n), datatype=_INTEGER)),
)
_QUADS = st.builds(
    ox.Quad,
    st.sampled_from([*_SUBJECTS, *_BLANKS]),
    st.sampled_from(_PROPERTIES),
    st.one_of(st.sampled_from(_SUBJECTS), st.sampled_from(_BLANKS), _LITERALS),
    st.sampled_from(_GRAPHS),
)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """One on-disk store, emptied by each example."""
    with EmbeddedStore(tmp_path / "store") as store:
        yield store


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    quads=st.lists(_QUADS, min_size=15, max_size=60),
    batch=st.sampled_from([400, 2]),
    most=st.sampled_from([200, 2]),
)
def test_generated_graphs_read_the_same(
    scratch: EmbeddedStore, quads: list[ox.Quad], batch: int, most: int
) -> None:
    """Blank nodes, languages, parts, excluded graphs, the default graph, resources in several
    graphs; small batches (a part is read with its batch) and small bounds of texts."""
    scratch.native.clear()
    scratch.native.extend(quads)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "BATCH", batch)
        patch.setattr(scanning, "BATCH", batch)
        patch.setattr(documents, "MAX_TEXTS", most)
        _assert_same_documents(scratch)


def test_an_empty_store_reads_nothing(scratch: EmbeddedStore) -> None:
    total, docs = scan_documents(scratch)
    assert total == 0 and list(docs) == []


def test_documents_compare_every_field() -> None:
    """(The comparison above would miss a field added to Document without FIELDS.)"""
    assert set(FIELDS) == set(Document.__dataclass_fields__)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=30))
def test_cleaning_a_text_without_controls_keeps_it(text: str) -> None:
    """(`_clean` translates only texts holding a control character: the same text either way.)"""
    assert documents._clean(text) == text.translate(documents._CONTROLS)
    assert documents._clean(text * 400) == (text * 400)[:4000].translate(documents._CONTROLS)
