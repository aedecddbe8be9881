"""Workers' JSON written by Oxigraph (`serialise.native_json`): the bytes our writer gives, or
None (then the capped writer answers) whenever the rows cannot be proved few and countable."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.sparql import serialise
from commons_graph.sparql.executor import QueryAnswer
from commons_graph.sparql.serialise import native_json, serialise_result
from commons_graph.sparql.worker import Job, evaluate

JSON = "application/sparql-results+json"
EX = "http://example.org/"
# Values a JSON writer could get wrong or that could fool the row count.
TEXTS = ['},{"a":{}}', "{}", '"bindings":[]', 'q"b\\s', "\n\t\x00\x7f", "é ✓ 𝄞", ""]


def _store() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode(EX + "g")
    for n, text in enumerate(TEXTS):
        subject = ox.NamedNode(f"{EX}s{n}")
        store.add(ox.Quad(subject, ox.NamedNode(EX + "label"), ox.Literal(text), graph))
        store.add(ox.Quad(subject, ox.NamedNode(EX + "lang"), ox.Literal(text, language="fr")))
        store.add(ox.Quad(subject, ox.NamedNode(EX + "next"), ox.BlankNode(f"b{n}"), graph))
        if n % 2:
            store.add(ox.Quad(subject, ox.NamedNode(EX + "n"), ox.Literal(n), graph))
    return store


STORE = _store()
QUERIES = [
    f"SELECT ?s ?o WHERE {{ ?s <{EX}label> ?o }}",
    "SELECT * WHERE { ?s ?p ?o }",
    f"SELECT ?s ?n WHERE {{ ?s <{EX}label> ?l OPTIONAL {{ ?s <{EX}n> ?n }} }}",
    f"SELECT ?x WHERE {{ ?s <{EX}label> ?l }}",  # rows binding nothing: `{{}}`
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o } ORDER BY ?p",
    "SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }",
    f"SELECT ?s WHERE {{ ?s <{EX}nothing> ?o }}",
    "SELECT * WHERE {}",
]


def _ours(query: str, max_rows: int) -> QueryAnswer:
    result = STORE.query(query, use_default_graph_as_union=True)
    answer = serialise_result(result, JSON, max_rows)
    assert isinstance(answer, QueryAnswer)
    return answer


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("max_rows", [0, 1, 3, 1000])
def test_oxigraphs_json_is_ours_or_left_to_ours(query: str, max_rows: int) -> None:
    ours = _ours(query, max_rows)
    result = STORE.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    body = native_json(result, max_rows)
    rows = json.loads(ours.body)["results"]["bindings"]
    if body is None:
        # Only when the answer may be cut, or a row binds nothing.
        assert ours.truncated or {} in rows or b"{}" in ours.body
    else:
        assert not ours.truncated and body == ours.body
    # The worker gives the capped writer's answer either way.
    job = Job(snapshot="-", query=query, accept=JSON, max_rows=max_rows)
    assert evaluate(STORE, job) == ours


@settings(max_examples=30, deadline=None)
@given(
    predicate=st.sampled_from(["label", "lang", "next", "n", "nothing"]),
    limit=st.integers(min_value=0, max_value=12),
    max_rows=st.integers(min_value=0, max_value=12),
    cap=st.sampled_from([16, 200, 1 << 20]),
)
def test_the_worker_answers_as_the_capped_writer(
    predicate: str, limit: int, max_rows: int, cap: int
) -> None:
    """Property: whatever the size cap, the rows and the row cap, a worker's JSON answer is the
    capped writer's, byte for byte, cut flag included."""
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}{predicate}> ?o }} LIMIT {limit}"
    job = Job(snapshot="-", query=query, accept=JSON, max_rows=max_rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(serialise, "NATIVE_JSON_BYTES", cap)
        assert evaluate(STORE, job) == _ours(query, max_rows)


def test_a_large_answer_is_left_to_the_capped_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serialise, "NATIVE_JSON_BYTES", 100)
    result = STORE.query(f"SELECT * WHERE {{ ?s <{EX}label> ?o }}", use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    assert native_json(result, 1000) is None


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ('SELECT ?s { ?s ?p ?o FILTER(cgf:matches(?s, "x")) }', True),
        ("SELECT ?s { FILTER(<https://w3id.org/commons-graph/function#matches>(?s, 'x')) }", True),
        ("SELECT ?s { FILTER(<https://w3id.org/commons-graph/function#m\\u0061tches>(?s)) }", True),
        (
            "SELECT ?s { FILTER(<https://w3id.org/commons-graph/function#m\\U00000061tches>(?s)) }",
            True,
        ),
        ("SELECT ?p ?o WHERE { <https://w3id.org/commons-graph/id/x> ?p ?o }", False),
    ],
)
def test_the_search_function_is_given_to_every_query_that_can_name_it(
    query: str, named: bool
) -> None:
    from commons_graph.sparql.worker import may_name_functions

    assert may_name_functions(query) is named
