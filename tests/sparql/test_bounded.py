"""Which queries count as single-pattern lookups (answered without a worker), and which not."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from commons_graph.sparql.bounded import is_single_pattern_select, with_row_limit

ORG = "<https://w3id.org/commons-graph/id/organisation/ouishare>"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}",
        f"select * {{ {ORG} ?p ?o . }}",
        "PREFIX cg: <https://w3id.org/commons-graph/ontology#>\n"
        f"SELECT ?c WHERE {{ {ORG} cg:stewards ?c }}",
        "PREFIX : <https://w3id.org/commons-graph/id/>\nSELECT ?s { ?s a :Thing } LIMIT 10",
        "SELECT $s $p WHERE { $s $p <https://w3id.org/commons-graph/value/care> }",
        "  SELECT * WHERE { ?s ?p ?o }  LIMIT 5  ",
    ],
)
def test_single_patterns_are_recognised(query: str) -> None:
    assert is_single_pattern_select(query)


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT DISTINCT ?p WHERE {{ {ORG} ?p ?o }}",  # DISTINCT may scan without yielding
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }} ORDER BY ?p",
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }} OFFSET 100000",
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o FILTER(REGEX(STR(?o), 'x')) }}",
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o . ?o ?q ?r }}",
        f"SELECT ?o WHERE {{ {ORG} <http://p>+ ?o }}",
        f"SELECT ?o WHERE {{ {ORG} <http://p>/<http://q> ?o }}",
        f"SELECT ?o WHERE {{ OPTIONAL {{ {ORG} ?p ?o }} }}",
        f"SELECT ?o WHERE {{ {{ {ORG} ?p ?o }} UNION {{ ?o ?p {ORG} }} }}",
        f"SELECT ?o WHERE {{ SERVICE <http://example.org/sparql> {{ {ORG} ?p ?o }} }}",
        f"SELECT ?o FROM <http://example.org/g> WHERE {{ {ORG} ?p ?o }}",
        f"SELECT ?o WHERE {{ GRAPH ?g {{ {ORG} ?p ?o }} }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {ORG} ?p ?o }}",
        f"ASK {{ {ORG} ?p ?o }}",
        f"CONSTRUCT WHERE {{ {ORG} ?p ?o }}",
        f"# a comment\nSELECT ?p ?o WHERE {{ {ORG} ?p ?o }}",
        f"SELECT ?p ?o WHERE {{ {ORG} ?p 'text' }}",
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }} VALUES ?p {{ <http://p> }}",
        "SELECT ?o WHERE { <http://a b> ?p ?o }",
        "SELECT ?o WHERE { <http://a> ?p ?o } } { ?a ?b ?c }",
    ],
)
def test_anything_else_goes_to_the_workers(query: str) -> None:
    assert not is_single_pattern_select(query)


@pytest.mark.parametrize(
    ("query", "rows", "limit"),
    [
        (f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}", 11, 11),
        (f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }} LIMIT 5", 11, 5),
        (f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }} limit 500  ", 11, 11),
        (f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}LIMIT 11", 11, 11),
    ],
)
def test_a_lookup_asks_for_at_most_the_rows_allowed(query: str, rows: int, limit: int) -> None:
    """The bounded lookup keeps the client's LIMIT if lower, and stays a valid lookup."""
    bounded = with_row_limit(query, rows)
    assert bounded is not None and is_single_pattern_select(bounded)
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(ORG[1:-1]), ox.NamedNode(f"http://example.org/p{n}"), ox.Literal(n))
        for n in range(50)
    )
    result = store.query(bounded)
    assert isinstance(result, ox.QuerySolutions) and len(list(result)) == limit


def test_anything_else_is_not_rewritten() -> None:
    assert with_row_limit(f"SELECT ?p WHERE {{ {ORG} ?p ?o }} ORDER BY ?p", 10) is None
