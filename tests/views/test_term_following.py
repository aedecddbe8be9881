"""The term labels are kept across the writes that cannot change them, and computed again after
those that can: what pages see is always what a fresh computation gives."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.store import ChangeSet
from commons_graph.store.derived import derived_holder
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from commons_graph.views import term_following
from commons_graph.views.labels import _compute_term_labels, fetch_labels, term_labels

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
CONCEPT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept")
CARE = ox.NamedNode("https://w3id.org/commons-graph/value/care")
OUISHARE = ox.NamedNode("https://w3id.org/commons-graph/id/organisation/ouishare")
EX = "https://example.org/"
GRAPH = ox.NamedNode("https://w3id.org/commons-graph/graph/test/terms")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    with EmbeddedStore(tmp_path / "store") as opened:
        initialise(opened)
        yield opened


def _counts(store: EmbeddedStore) -> tuple[int, int]:
    holder = derived_holder(store, "views.term_labels")
    assert holder is not None
    return holder.followed, holder.computed


def _commit(store: EmbeddedStore, *quads: ox.Quad, delete: bool = False) -> None:
    store.commit(ChangeSet(delete=list(quads)) if delete else ChangeSet(insert=list(quads)))


def test_a_label_on_anything_but_a_term_keeps_them(store: EmbeddedStore) -> None:
    first = term_labels(store)
    assert CARE.value in first  # a value of the seed is a skos:Concept
    _commit(store, ox.Quad(OUISHARE, LABEL, ox.Literal("Ouishare again", language="en"), GRAPH))
    assert term_labels(store) is first
    assert _counts(store) == (1, 1)
    assert term_labels(store) == _compute_term_labels(store)


@pytest.mark.parametrize(
    "change",
    [
        "a term's new label",
        "a term's label removed",
        "a new term",
        "a term untyped",
        "a drop",
        "too many statements to look through",
    ],
)
def test_what_changes_them_makes_them_computed_again(
    store: EmbeddedStore, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    term_labels(store)
    new_concept = ox.NamedNode("https://example.org/new-concept")
    if change == "a term's new label":
        _commit(store, ox.Quad(CARE, PREF_LABEL, ox.Literal("Soin bis", language="fr"), GRAPH))
    elif change == "a term's label removed":
        label = next(iter(store.native.quads_for_pattern(CARE, PREF_LABEL, None, None)))
        _commit(store, label, delete=True)
    elif change == "a new term":
        _commit(
            store,
            ox.Quad(new_concept, RDF_TYPE, CONCEPT, GRAPH),
            ox.Quad(new_concept, PREF_LABEL, ox.Literal("New", language="en"), GRAPH),
        )
    elif change == "a term untyped":
        typed = next(iter(store.native.quads_for_pattern(CARE, RDF_TYPE, CONCEPT, None)))
        _commit(store, typed, delete=True)
    elif change == "a drop":
        _commit(store, ox.Quad(OUISHARE, LABEL, ox.Literal("x"), GRAPH))
        term_labels(store)
        store.commit(ChangeSet(drop_graphs=[GRAPH]))
    else:
        # A bound of 2 here; 100,000 statements in the service (an import's piece).
        monkeypatch.setattr(term_following, "MAX_STATEMENTS", 2)
        notes = [ox.Literal(str(i)) for i in range(3)]
        _commit(store, *(ox.Quad(OUISHARE, ox.NamedNode(EX + "note"), n, GRAPH) for n in notes))
    followed_before = _counts(store)[0]
    assert term_labels(store) == _compute_term_labels(store)
    assert _counts(store)[0] == followed_before  # computed whole, not followed
    if change == "a new term":
        assert new_concept.value in term_labels(store)
        assert fetch_labels(store, [new_concept.value], "en").get(new_concept.value) == "New"


def test_a_term_labelled_for_the_first_time_is_found_on_its_page(store: EmbeddedStore) -> None:
    """A typed term without any label is not held: a label given to it later is looked up."""
    bare = ox.NamedNode("https://example.org/bare-concept")
    _commit(store, ox.Quad(bare, RDF_TYPE, CONCEPT, GRAPH))
    assert bare.value not in term_labels(store)
    _commit(store, ox.Quad(bare, PREF_LABEL, ox.Literal("Bare", language="en"), GRAPH))
    assert fetch_labels(store, [bare.value], "en").get(bare.value) == "Bare"
