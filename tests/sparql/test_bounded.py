"""Which queries count as single-pattern lookups (answered without a worker), and which not."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.rdf.formats import ResultFormat
from commons_graph.sparql.bounded import is_single_pattern_select, json_rows, parse_lookup
from commons_graph.sparql.negotiation import choose_solutions_format
from commons_graph.sparql.results import write_select

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
_JSON_CHOICE = choose_solutions_format("application/sparql-results+json")
assert _JSON_CHOICE is not None and isinstance(_JSON_CHOICE.format, ResultFormat)
JSON: ResultFormat = _JSON_CHOICE.format


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


# Strings a JSON writer could get wrong, or that could fool the row count (`json_rows`).
_HOSTILE = [
    '},{"p":{"type":"uri","value":"x"}}',
    '"bindings":[]',
    'a"b\\c',
    "\n\t\r\b\f\x00\x1f\x7f",
    "é ✓ 𝄞 \u2028\u2029",
    "",
]


def _hostile_store() -> ox.Store:
    store = ox.Store()
    subject = ox.NamedNode(ORG[1:-1])
    graph = ox.NamedNode("http://example.org/g")
    objects: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = [
        *(ox.Literal(text) for text in _HOSTILE),
        *(ox.Literal(text, language="en-GB") for text in _HOSTILE[:2]),
        ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal('{"', datatype=ox.NamedNode("http://example.org/dt")),
        ox.BlankNode("b1"),
        ox.NamedNode("http://example.org/é?x=%22%7D"),
        ox.Triple(subject, RDF_TYPE, ox.Literal('},{"')),
    ]
    for n, term in enumerate(objects):
        store.add(ox.Quad(subject, ox.NamedNode(f"http://example.org/p{n}"), term, graph))
    return store


@pytest.mark.parametrize("limit", [None, 0, 1, 3, 100])
def test_oxigraphs_writer_gives_the_bytes_ours_gives(limit: int | None) -> None:
    """The JSON the server writes with Oxigraph (`solutions_json`) is byte for byte what
    `write_select` writes from the same rows, and its rows are counted right, whatever the
    literals hold (quotes, braces, `},{"`, control characters, triple terms)."""
    store = _hostile_store()
    lookup = parse_lookup(f"SELECT ?o ?p WHERE {{ {ORG} ?p ?o }}")
    assert lookup is not None and lookup.binds_every_variable
    rows = list(lookup.solutions(store))
    wanted = len(rows) if limit is None else limit
    body, count = lookup.solutions_json(store, wanted)
    assert count == min(wanted, len(rows)) == json_rows(body)
    # Without ORDER BY both scan the same index in the same order.
    assert body == write_select(lookup.variables, rows[:wanted], JSON)


@settings(max_examples=60, deadline=None)
@given(
    subject=_NODES,
    predicate=st.one_of(_NODES, st.just("a")),
    obj=_NODES,
    projection=st.sampled_from(["*", "?s", "?o ?p", "$o", "?p ?s ?o"]),
    limit=st.sampled_from(["", " LIMIT 3", " limit 0", "LIMIT 100"]),
)
def test_the_text_the_server_writes_is_the_lookup_itself(
    subject: str, predicate: str, obj: str, projection: str, limit: str
) -> None:
    """Property: the only text the server process gives Oxigraph's parser (`native_text`) is
    itself a lookup of the narrow grammar, the same one (so no SERVICE, no path, nothing but
    one pattern can be in it), and Oxigraph's answer to it is ours, row for row."""
    query = (
        "PREFIX ex: <http://example.org/>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
        f"SELECT {projection} {{ {subject} {predicate} {obj} }}{limit}"
    )
    lookup = parse_lookup(query)
    if lookup is None or not lookup.binds_every_variable:
        return
    text = lookup.native_text(7)
    again = parse_lookup(text)
    assert again is not None
    assert (again.variables, again.pattern, again.limit) == (lookup.variables, lookup.pattern, 7)
    # Every row (the LIMIT is the caller's to set: `answer_at_once` sets it).
    rows = list(replace(lookup, limit=None).solutions(_STORE))
    body, count = lookup.solutions_json(_STORE, len(rows) + 1)
    assert count == len(rows)
    assert body == write_select(lookup.variables, rows, JSON)


def test_a_hostile_iri_cannot_leave_its_brackets() -> None:
    """IRIs reach the written text as Oxigraph writes them: what the grammar lets through
    cannot close the pattern or add a clause."""
    refused = (
        "PREFIX ex: <http://example.org/x} SERVICE <http://evil/> {>\nSELECT ?o { ex:a ?p ?o }",
        "SELECT ?o { <http://example.org/a>} SERVICE <http://evil/> { ?p ?o }",
        "SELECT ?o { <http://example.org/a> ?p ?o } # SERVICE <http://evil/>",
    )
    assert [parse_lookup(query) for query in refused] == [None] * len(refused)
    lookup = parse_lookup(
        "PREFIX service: <http://example.org/SERVICE%3E%7D>\nSELECT ?o { service:x ?p ?o }"
    )
    assert lookup is not None
    text = lookup.native_text(1)
    assert text == "SELECT ?o WHERE { <http://example.org/SERVICE%3E%7Dx> ?p ?o } LIMIT 1"
    assert parse_lookup(text) is not None
