"""What rdflib reads in a query (sparql/safety.py): SERVICE, refused early; FROM, for semantics.

This is defence in depth: the guarantee that no query opens a connection is the query workers'
sandbox (tests/sparql/test_sandbox.py, tests/adversarial/test_adv_outbound_queries.py).
"""

from __future__ import annotations

import pytest

from commons_graph.sparql.safety import (
    ForbiddenClauseError,
    check_service,
    inspect_query,
    may_mention_keyword,
    unescape_codepoints,
)

# Each names a remote place in a way Oxigraph's parser accepts (glued keywords included).
SERVICE_QUERIES = [
    "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "PREFIX : <http://127.0.0.1:9/> SELECT * {SERVICE:x{?s ?p ?o}}",
    "SELECT * { ?s ?p true SERVICE <http://127.0.0.1:9/> {} }",
    "SELECT * { ?s ?p ?o FILTER(?o<?p)SERVICE<http://127.0.0.1:9/>{} }",
    # A `<` read as an IRI opener would put SERVICE inside a string for a naive tokeniser.
    "SELECT * {FILTER(?a<?b)'>'?p ?o . SERVICE <http://127.0.0.1:9/> {} ?x ?y ' ' }",
    "SELECT * { OPTIONAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    # rdflib ends a comment at \n only; the grammar (and Oxigraph) at \r too.
    "SELECT * { # a comment\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICE_QUERIES)
@pytest.mark.parametrize("fail_closed", [True, False])
def test_service_is_refused(query: str, fail_closed: bool) -> None:
    """Every spelling of SERVICE that rdflib reads is refused early, naming the clause."""
    with pytest.raises(ForbiddenClauseError) as caught:
        check_service(query, fail_closed=fail_closed)
    assert caught.value.clause == "SERVICE"


# Spellings Oxigraph accepts and rdflib cannot read at all.
UNREADABLE_SERVICE_QUERIES = [
    "SELECT * {SERVICESILENT<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * { ?s ?p 1SERVICE<http://127.0.0.1:9/>{} }",
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } ?x <<( ?a ?b ?c )>> }",
]


@pytest.mark.parametrize("query", UNREADABLE_SERVICE_QUERIES)
def test_an_unreadable_query_mentioning_service_fails_closed_only_when_asked(query: str) -> None:
    """On a remote store (fail_closed) a query rdflib cannot read that mentions SERVICE is
    refused; on the embedded one the sandbox holds and the engine gives its own answer."""
    with pytest.raises(ForbiddenClauseError) as caught:
        check_service(query, fail_closed=True)
    assert caught.value.unchecked
    assert not check_service(query, fail_closed=False).parsed


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        ("SELECT * FROM <http://127.0.0.1:9/g> { ?s ?p ?o }", True),
        ("SELECT*FROM<http://127.0.0.1:9/g>{?s ?p ?o}", True),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> { GRAPH ?g { ?s ?p ?o } }", True),
        ('SELECT * { ?s ?p "from" }', False),
        ("SELECT ?from { ?from ?p ?o }", False),
        ("SELECT * { ?s ?p ?o }", False),
    ],
)
def test_a_dataset_clause_is_seen(query: str, dataset: bool) -> None:
    """FROM / FROM NAMED are no longer refused: they decide the query's dataset."""
    assert inspect_query(query).dataset is dataset
    check_service(query, fail_closed=True)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o } LIMIT 10",
        'SELECT * { ?s ?p "a service from the load" }',
        "SELECT * { ?s <http://example.org/download/service> ?o } # from here",
        "PREFIX service: <http://purl.org/ontology/service#> SELECT * { ?s service:p ?o }",
        "SELECT ?from ?service { ?from ?load ?service }",
        'SELECT * { ?s ?p "caf\\u00e9" }',
    ],
)
def test_harmless_queries_pass(query: str) -> None:
    """Keywords inside strings, IRIs, comments, variables or prefixes are not clauses."""
    shape = check_service(query, fail_closed=True)
    assert not shape.service


def test_the_fast_path_skips_queries_without_the_letters() -> None:
    """Most queries never reach the parser: none of the keywords' letters appear."""
    assert not may_mention_keyword("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#x> }")
    assert may_mention_keyword("select * { SeRvIcE <x> {} }")
    assert may_mention_keyword("SELECT * { ?s ?p '\\u0041' }")


def test_codepoint_escapes_are_read_as_the_spec_says() -> None:
    """`\\u0053ERVICE` is SERVICE for servers that unescape before parsing."""
    assert unescape_codepoints("\\u0053ERVICE \\U0000004C") == "SERVICE L"
