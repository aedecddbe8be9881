"""Data as written: the literals a store rewrites are found, whatever their text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.validation import Unsupported
from commons_graph.validation.compiled import service_checks
from commons_graph.validation.written import store_as_written

XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = [XSD + d for d in ("integer", "int", "decimal", "date", "gYear", "string")]
LEXICAL = st.one_of(
    st.sampled_from(["1", "01", "1.50", "2020-01-01", '"^^<x>', "a\\b", "é", "x\ny"]),
    st.text(max_size=8),
)
LITERALS = st.one_of(
    st.builds(
        lambda lex, dt: ox.Literal(lex, datatype=ox.NamedNode(dt)),
        LEXICAL,
        st.sampled_from(DATATYPES),
    ),
    st.builds(ox.Literal, LEXICAL),
)
SUBJECTS = st.sampled_from([ox.NamedNode("https://example.org/a"), ox.BlankNode("b")])
PREDICATES = st.sampled_from(
    [ox.NamedNode("https://example.org/p"), ox.NamedNode("https://schema.org/latitude")]
)
GRAPHS = st.sampled_from([ox.DefaultGraph(), ox.NamedNode("https://example.org/g")])
QUADS = st.lists(st.builds(ox.Quad, SUBJECTS, PREDICATES, LITERALS, GRAPHS), max_size=8)


def _rewritten(quads: list[ox.Quad]) -> set[ox.Literal]:
    """What a store gives back differently: the truth, from the terms themselves."""
    store = ox.Store()
    store.extend(quads)
    stored = {q.object for q in store}
    return {q.object for q in quads if q.object not in stored}


@settings(max_examples=80, deadline=None, derandomize=True)
@given(QUADS)
def test_a_rewritten_literal_is_found_whatever_its_text(quads: list[ox.Quad]) -> None:
    expected = _rewritten(quads)
    try:
        store, rewritten = store_as_written(quads)
    except Unsupported:
        assert expected
        return
    assert not expected and rewritten == {}
    assert set(store) == {ox.Quad(q.subject, q.predicate, q.object, q.graph_name) for q in quads}


@settings(max_examples=80, deadline=None, derandomize=True)
@given(QUADS)
def test_results_can_name_each_rewritten_literal_as_written(quads: list[ox.Quad]) -> None:
    try:
        _, rewritten = store_as_written(quads, service_checks())
    except Unsupported:
        return
    assert set(rewritten.values()) == _rewritten(quads)


def test_a_version_typed_int_is_declined_and_a_latitude_with_zeros_is_not() -> None:
    a = ox.NamedNode("https://example.org/a")
    version = ox.NamedNode("https://w3id.org/commons-graph/ontology#versionNumber")
    latitude = ox.NamedNode("https://schema.org/latitude")
    with pytest.raises(Unsupported):
        store_as_written(
            [ox.Quad(a, version, ox.Literal("2", datatype=ox.NamedNode(XSD + "int")))],
            service_checks(),
        )
    written = ox.Literal("45.500", datatype=ox.NamedNode(XSD + "decimal"))
    _, rewritten = store_as_written([ox.Quad(a, latitude, written)], service_checks())
    assert list(rewritten.values()) == [written]
