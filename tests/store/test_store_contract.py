"""The store interface behaves the same on every backend."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import RdfSyntaxError
from commons_graph.store import ChangeSet, QuerySyntaxError, Store

EX = "http://example.org/"
G1 = ox.NamedNode(EX + "graph/1")
G2 = ox.NamedNode(EX + "graph/2")


def triple(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    """A triple of example IRIs."""
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), o)


def test_replace_graph_then_query_with_bound_terms(store: Store) -> None:
    """Values reach queries as bound terms, even text that looks like SPARQL."""
    tricky = ox.Literal('x" } ; DROP ALL ; #', language="en")
    store.replace_graph(G1, [triple("a", "label", tricky), triple("b", "label", ox.Literal("b"))])
    rows = store.select(
        "SELECT ?s WHERE { ?s <http://example.org/label> ?label }", {"label": tricky}
    ).rows
    assert rows == [(ox.NamedNode(EX + "a"),)]
    assert store.count() == 2


def test_replace_is_atomic_and_drop_removes(store: Store) -> None:
    """Replacing a graph swaps its content; dropping it removes it and nothing else."""
    store.replace_graph(G1, [triple("a", "p", ox.Literal("1"))])
    store.replace_graph(G2, [triple("b", "p", ox.Literal("2"))])
    store.replace_graph(G1, [triple("c", "p", ox.Literal("3"))])
    assert store.ask("ASK { <http://example.org/c> ?p ?o }")
    assert not store.ask("ASK { <http://example.org/a> ?p ?o }")
    store.drop_graph(G1)
    assert store.named_graphs() == [G2]
    assert store.count() == 1


def test_commit_with_invalid_part_writes_nothing(store: Store) -> None:
    """A change set that cannot be applied leaves the store as it was."""
    store.replace_graph(G1, [triple("a", "p", ox.Literal("1"))])
    bad = ChangeSet(drop_graphs=[G1])
    bad.insert.append(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("x"), G2))
    # Blank nodes cannot be deleted by value (DELETE DATA): the whole change must fail.
    bad.delete.append(ox.Quad(ox.BlankNode("b"), ox.NamedNode(EX + "p"), ox.Literal("1"), G1))
    with pytest.raises(Exception):  # noqa: B017 - each backend reports its own error type
        store.commit(bad)
    assert store.count() == 1
    assert store.named_graphs() == [G1]


def test_construct_and_ask(store: Store) -> None:
    """CONSTRUCT gives triples and ASK a boolean."""
    store.replace_graph(G1, [triple("a", "p", ox.Literal("1"))])
    triples = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert triples == [triple("a", "p", ox.Literal("1"))]
    assert store.ask("ASK { ?s ?p ?o }") is True


def test_malformed_query_is_reported(store: Store) -> None:
    """A query that does not parse raises QuerySyntaxError."""
    with pytest.raises(QuerySyntaxError):
        store.select("SELECT WHERE {")


def test_load_graph_replaces_and_keeps_literals(store: Store, tmp_path: Path) -> None:
    """A Turtle file is loaded into its graph with datatypes and languages intact."""
    path = tmp_path / "data.ttl"
    path.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:p "é"@fr ; ex:q "2012-01-01"^^'
        "<http://www.w3.org/2001/XMLSchema#date> .\n",
        encoding="utf-8",
    )
    assert store.load_graph(G1, path, rdf_format("ttl")) == 2
    assert store.load_graph(G1, path, rdf_format("ttl")) == 2
    assert store.count(G1) == 2
    assert store.ask('ASK { ?s ?p "é"@fr }')


def test_syntax_error_on_last_line_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    """A file whose last line is broken loads nothing, and the error names the line."""
    store.replace_graph(G1, [triple("a", "p", ox.Literal("1"))])
    before = dump(store)
    path = tmp_path / "broken.ttl"
    lines = [f"<{EX}s{i}> <{EX}p> {i} ." for i in range(50)] + [f"<{EX}s> <{EX}p> ."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RdfSyntaxError, match=r"broken\.ttl.*(line|51)"):
        store.load_graph(G1, path, rdf_format("ttl"))
    assert dump(store) == before


def test_dump_keeps_named_graphs_in_nquads(store: Store) -> None:
    """N-Quads exports keep graph names; N-Triples exports give the union."""
    store.replace_graph(G1, [triple("a", "p", ox.Literal("1"))])
    store.replace_graph(G2, [triple("b", "p", ox.Literal("2"))])
    quads = set(ox.parse(dump(store, "nq"), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name for q in quads} == {G1, G2}
    triples = list(ox.parse(dump(store, "nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == 2


def dump(store: Store, fmt: str = "nq") -> bytes:
    """The store's content, sorted so that dumps compare."""
    buffer = io.BytesIO()
    store.dump(buffer, rdf_format(fmt))
    return b"\n".join(sorted(buffer.getvalue().splitlines()))


def test_select_rows_follow_the_variables_order_with_none_for_unbound(store: Store) -> None:
    """Rows hold each variable's value in the order of the SELECT clause (the embedded store
    unpacks pyoxigraph's solutions: this is what proves they iterate in that order), None
    where a variable is unbound."""
    graph = ox.NamedNode("https://w3id.org/commons-graph/graph/test/rows")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    o, q = ox.Literal("o"), ox.NamedNode("https://example.org/q")
    store.commit(ChangeSet(insert=[ox.Quad(s, p, o, graph), ox.Quad(s, q, s, graph)]))
    query = """SELECT ?z ?o ?missing ?s ?p WHERE {
      GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s <https://example.org/none> ?missing }
      BIND(STR(?o) AS ?z) } ORDER BY ?z"""
    result = store.select(query)
    assert result.variables == ("z", "o", "missing", "s", "p")
    assert result.rows == [
        (ox.Literal("https://example.org/s"), s, None, s, q),
        (ox.Literal("o"), o, None, s, p),
    ]
    assert result.dicts()[1] == {"z": ox.Literal("o"), "o": o, "s": s, "p": p}
