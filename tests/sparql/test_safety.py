"""The checks that keep queries from making the server fetch anything (sparql/safety.py)."""

from __future__ import annotations

import pytest

from commons_graph.sparql.safety import (
    ForbiddenClauseError,
    check_query,
    may_name_forbidden_clause,
    unescape_codepoints,
)

GRAPH = "https://w3id.org/commons-graph/graph/ontology"


def is_store_graph(iri: str) -> bool:
    return iri == GRAPH


# Each names a remote place in a way Oxigraph's parser accepts (glued keywords included).
SERVICE_QUERIES = [
    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "PREFIX : <http://127.0.0.1:9/> SELECT * {SERVICE:x{?s ?p ?o}}",
    "SELECT * {SERVICESILENT<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * { ?s ?p true SERVICE <http://127.0.0.1:9/> {} }",
    "SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:9/>{} }",
    "SELECT * { ?s ?p ?o FILTER(?o<?p)SERVICE<http://127.0.0.1:9/>{} }",
    # A `<` read as an IRI opener would put SERVICE inside a string for a naive tokeniser.
    "SELECT * {FILTER(?a<?b)'>'?p ?o . SERVICE <http://127.0.0.1:9/> {} ?x ?y ' ' }",
    "SELECT * { ?s ?p ?o } # a comment \n",  # placeholder replaced below
    "SELECT * { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]
SERVICE_QUERIES[9] = "SELECT * { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }"


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_refused(query: str) -> None:
    """Every spelling of SERVICE is refused, naming the clause."""
    with pytest.raises(ForbiddenClauseError) as caught:
        check_query(query, is_store_graph)
    assert caught.value.clause == "SERVICE"


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        ("SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }", "FROM"),
        ("SELECT*FROM<http://127.0.0.1:9/g>{?s ?p ?o}", "FROM"),
        ("PREFIX : <http://127.0.0.1:9/> SELECT * FROM:g {?s ?p ?o}", "FROM"),
        ("BASE <http://127.0.0.1:9/> SELECT * FROM <g> { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED"),
        (f"SELECT * FROM <{GRAPH}> FROM NAMED <http://127.0.0.1:9/g> {{ ?s ?p ?o }}", "FROM NAMED"),
        ("SELECT * FROMNAMED<http://127.0.0.1:9/g> {?s ?p ?o}", "FROM"),
    ],
)
def test_from_a_foreign_graph_is_refused(query: str, clause: str) -> None:
    """FROM and FROM NAMED may only name graphs of this store."""
    with pytest.raises(ForbiddenClauseError) as caught:
        check_query(query, is_store_graph)
    assert caught.value.clause == clause


def test_load_is_refused() -> None:
    """LOAD (an update) never passes, even sent as a query."""
    with pytest.raises(ForbiddenClauseError) as caught:
        check_query("LOAD <http://127.0.0.1:9/data.ttl>", is_store_graph)
    assert caught.value.clause == "LOAD"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o } LIMIT 10",
        f"SELECT * FROM <{GRAPH}> {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{GRAPH}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        'SELECT * { ?s ?p "a service from the load" }',
        "SELECT * { ?s <http://example.org/download/service> ?o } # from here",
        "PREFIX service: <http://purl.org/ontology/service#> SELECT * { ?s service:p ?o }",
        "SELECT ?from ?service { ?from ?load ?service }",
        'SELECT * { ?s ?p "caf\\u00e9" }',
    ],
)
def test_harmless_queries_pass(query: str) -> None:
    """Keywords inside strings, IRIs, comments, variables or prefixes are not clauses."""
    check_query(query, is_store_graph)


def test_the_fast_path_skips_queries_without_the_letters() -> None:
    """Most queries never reach the parser: none of the keywords' letters appear."""
    assert not may_name_forbidden_clause("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#x> }")
    assert may_name_forbidden_clause("select * { SeRvIcE <x> {} }")
    assert may_name_forbidden_clause("SELECT * { ?s ?p '\\u0041' }")


def test_codepoint_escapes_are_read_as_the_spec_says() -> None:
    """`\\u0053ERVICE` is SERVICE for servers that unescape before parsing."""
    assert unescape_codepoints("\\u0053ERVICE \\U0000004C") == "SERVICE L"
