"""Which queries count as single-pattern lookups (answered without a worker), and which not."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.sparql.bounded import is_single_pattern_select, parse_lookup

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


def _store() -> ox.Store:
    """Statements about ORG in two graphs (one twice) and the default graph."""
    store = ox.Store()
    org = ox.NamedNode(ORG[1:-1])
    for n in range(30):
        graph = ox.NamedNode(f"http://example.org/g{n % 2}")
        store.add(ox.Quad(org, ox.NamedNode(f"http://example.org/p{n % 7}"), ox.Literal(n), graph))
    store.add(ox.Quad(org, ox.NamedNode("http://example.org/p0"), ox.Literal(0)))
    store.add(ox.Quad(org, ox.NamedNode("http://example.org/p0"), ox.Literal(0), graph))
    store.add(ox.Quad(org, RDF_TYPE, ox.NamedNode("http://www.w3.org/ns/org#Organization")))
    return store


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ {ORG} ?p ?o }}",
        f"SELECT ?o ?p WHERE {{ {ORG} ?p ?o }} LIMIT 5",
        f"select * {{ {ORG} ?p ?o . }}",
        f"SELECT ?o WHERE {{ {ORG} <http://example.org/p0> ?o }}LIMIT 11",
        "SELECT ?s ?nothing WHERE { ?s a <http://www.w3.org/ns/org#Organization> }",
        "PREFIX ex: <http://example.org/>\nPREFIX : <https://w3id.org/commons-graph/id/organisation/>\n"
        "SELECT $o { :ouishare ex:p3 ?o } limit 500",
        f"SELECT ?o WHERE {{ {ORG} ?p ?o }} LIMIT 0",
    ],
)
def test_a_lookup_answers_as_oxigraph_does(query: str) -> None:
    """The lookup's solutions (read without a SPARQL parser) are Oxigraph's, row for row."""
    store = _store()
    lookup = parse_lookup(query)
    assert lookup is not None
    ours = sorted(map(repr, lookup.solutions(store)))
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    assert list(lookup.variables) == variables
    theirs = sorted(repr(tuple(solution[v] for v in variables)) for solution in result)
    assert ours == theirs


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?o WHERE { ex:a ?p ?o }",  # undeclared prefix: the worker says so
        "SELECT ?o WHERE { <relative> ?p ?o }",  # no base IRI
        "SELECT ?o WHERE { ?o ?p ?o }",  # a variable twice
        "SELECT ?o ?o WHERE { ?o ?p ?x }",
        "SELECT * WHERE { <http://a> <http://b> <http://c> }",  # no variable
        "SELECT ?o WHERE { <http://a> A ?o }",  # `a` is lower case only
    ],
)
def test_unusual_lookups_go_to_the_workers(query: str) -> None:
    assert parse_lookup(query) is None


_NODES = st.sampled_from(
    [
        ORG,
        "<http://example.org/p0>",
        "<http://example.org/p3>",
        "ex:p1",
        "ex:p0",
        "org:Organization",
        "?s",
        "?p",
        "?o",
        "$x",
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    subject=_NODES,
    predicate=st.one_of(_NODES, st.just("a")),
    obj=_NODES,
    projection=st.sampled_from(["*", "?s", "?o ?p", "?x ?s", "$o"]),
    where=st.sampled_from(["WHERE ", "where", ""]),
    dot=st.sampled_from(["", " .", "."]),
    limit=st.sampled_from(["", " LIMIT 3", " limit 0", "LIMIT 100"]),
)
def test_every_lookup_read_here_is_answered_as_oxigraph_answers_it(
    subject: str, predicate: str, obj: str, projection: str, where: str, dot: str, limit: str
) -> None:
    """Property: whenever the lookup path takes a query, Oxigraph parses the same text and
    gives the same solutions (as a bag); otherwise the query goes to a worker."""
    query = (
        "PREFIX ex: <http://example.org/>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
        f"SELECT {projection} {where}{{ {subject} {predicate} {obj}{dot} }}{limit}"
    )
    lookup = parse_lookup(query)
    if lookup is None:
        return
    store = _STORE
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    variables = [v.value for v in result.variables]
    assert list(lookup.variables) == variables
    theirs = sorted(repr(tuple(solution[v] for v in variables)) for solution in result)
    ours = sorted(map(repr, lookup.solutions(store)))
    if "LIMIT" in limit.upper():
        # Which rows a LIMIT keeps is unspecified without ORDER BY: compare the counts.
        assert len(ours) == len(theirs)
    else:
        assert ours == theirs


_STORE = _store()
