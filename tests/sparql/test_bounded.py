"""Which queries count as single-pattern lookups (answered without a worker), and which not."""

from __future__ import annotations

import pytest

from commons_graph.sparql.bounded import is_single_pattern_select

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
