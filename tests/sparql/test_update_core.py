"""The update core: what it reads from an update's text, and the change it finds in the copy."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.rdf.namespaces import GRAPH
from commons_graph.sparql.update_text import UpdateRefusedError, prepared_text, write_scope
from commons_graph.sparql.update_worker import Delta, Failure, difference
from commons_graph.store import SEALED_GRAPH_PREFIXES, ChangeSet, SealedGraphError

G1, G2 = "https://example.org/g1", "https://example.org/g2"


@pytest.mark.parametrize(
    ("update", "scope"),
    [
        (f"INSERT DATA {{ <a:a> <a:b> <a:c> . GRAPH <{G1}> {{ <a:a> <a:b> <a:c> }} }}", ("", G1)),
        (
            f"WITH <{G1}> DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} "
            "WHERE { ?s ?p ?o }",
            (G1, G2),
        ),
        (f"MOVE DEFAULT TO <{G2}>", ("", G2)),
        (f"ADD <{G1}> TO <{G2}>", (G2,)),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", None),
        ("CLEAR ALL", None),
        ("DROP NAMED", None),
        ("not an update", None),
    ],
)
def test_write_scope(update: str, scope: tuple[str, ...] | None) -> None:
    assert write_scope(update) == scope


def _stores(*quads: ox.Quad) -> tuple[ox.Store, ox.Store]:
    original, working = ox.Store(), ox.Store()
    original.extend(quads)
    working.extend(quads)
    return original, working


def _quad(s: str, o: ox.NamedNode | ox.BlankNode | ox.Literal, graph: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode("a:p"), o, ox.NamedNode(graph))


def test_a_change_outside_the_expected_graphs_is_still_found() -> None:
    """The scope is a speed-up: when the quad count disagrees, every graph is compared."""
    original, working = _stores(_quad("a:s", ox.Literal("1"), G1))
    working.update(f"INSERT DATA {{ GRAPH <{G2}> {{ <a:s> <a:p> 2 }} }}")
    delta = difference(original, working, scope=(G1,))
    assert isinstance(delta, Delta)
    assert list(ox.parse(delta.added, ox.RdfFormat.N_QUADS)) == [
        _quad(
            "a:s",
            ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            G2,
        )
    ]


def test_blank_nodes_replace_their_graph_or_are_refused() -> None:
    """A removed blank-node statement replaces its graph; a blank node shared with another
    graph, or in the default graph, cannot be written back."""
    node = ox.BlankNode()
    original, working = _stores(
        _quad("a:s", node, G1),
        ox.Quad(node, ox.NamedNode("a:q"), ox.Literal("x"), ox.NamedNode(G1)),
    )
    working.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?b <a:q> 'x' }} }}")
    delta = difference(original, working, scope=(G1,))
    assert isinstance(delta, Delta) and delta.drop_graphs == [G1] and delta.removed == b""
    shared = ox.Quad(node, ox.NamedNode("a:q"), ox.Literal("y"), ox.NamedNode(G2))
    original, working = _stores(_quad("a:s", node, G1), shared)
    working.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ <a:s> <a:p> ?b }} }}")
    refused = difference(original, working, scope=(G1,))
    assert isinstance(refused, Failure) and refused.kind == "blank_nodes"
    original, working = _stores(ox.Quad(node, ox.NamedNode("a:q"), ox.Literal("z")))
    working.update("DELETE WHERE { ?b <a:q> 'z' }")
    refused = difference(original, working, scope=("",))
    assert isinstance(refused, Failure) and refused.kind == "blank_nodes"


def test_protocol_dataset_becomes_using_clauses() -> None:
    update = (
        "INSERT { GRAPH <a:t> { ?s a <a:T> } } WHERE { ?s ?p '}WHERE' } ; DELETE WHERE { ?s ?p ?o }"
    )
    text = prepared_text(update, using_graphs=(G1,), using_named_graphs=(G2,))
    assert text.count("USING") == 2
    assert f"USING <{G1}> USING NAMED <{G2}> WHERE {{ ?s ?p '}}WHERE' }}" in text
    assert text.endswith("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(UpdateRefusedError):
        prepared_text(f"INSERT {{ ?s a <a:T> }} USING <{G1}> WHERE {{ ?s ?p ?o }}", (G2,))
    with pytest.raises(UpdateRefusedError):
        prepared_text("INSERT DATA { <a:a> <a:b> 1 }", using_graphs=("not an iri",))


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/x>",
        "load <http://127.0.0.1:9/x> INTO GRAPH <a:g>",
        "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/s> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_are_refused_before_evaluation(update: str) -> None:
    with pytest.raises(UpdateRefusedError) as refused:
        prepared_text(update)
    assert refused.value.key == "update.forbidden_clause"


def test_sealed_graphs_are_always_compared() -> None:
    """A change to a sealed graph reaches the commit (to be refused there) even when the
    update's reading says it writes elsewhere and the quad count does not move."""
    sealed = str(GRAPH["codesocial/x/v1"])
    original, working = _stores(_quad("a:s", ox.Literal("1"), sealed))
    working.update(
        f"DELETE DATA {{ GRAPH <{sealed}> {{ <a:s> <a:p> '1' }} }} ;"
        f" INSERT DATA {{ GRAPH <{sealed}> {{ <a:s> <a:p> '2' }} }}"
    )
    delta = difference(original, working, scope=(G1,), watched=SEALED_GRAPH_PREFIXES)
    assert isinstance(delta, Delta)
    changes = ChangeSet(
        delete=list(ox.parse(delta.removed, ox.RdfFormat.N_QUADS)),
        insert=list(ox.parse(delta.added, ox.RdfFormat.N_QUADS)),
    )
    assert len(changes.delete) == len(changes.insert) == 1
    with pytest.raises(SealedGraphError):
        changes.check_sealed()
