"""SELECT results written by commons-graph read back as what Oxigraph's own writer gives."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyoxigraph as ox
import pytest

from commons_graph.rdf.formats import RESULT_FORMATS, ResultFormat
from commons_graph.sparql.results import write_select

EX = "http://example.org/"
# Every kind of term and the characters JSON must escape: quotes, backslashes, control
# characters, non-ASCII text, a literal with a language, typed literals, a blank node.
DATA = f"""
<{EX}a> <{EX}name> "Ouishare \\"collectif\\" \\\\ \\t\\n\\u0001 é 😀"@fr .
<{EX}a> <{EX}founded> "2012"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<{EX}a> <{EX}count> 7 .
<{EX}a> <{EX}plain> "plain" .
<{EX}a> <{EX}knows> _:someone .
_:someone <{EX}name> "Someone" .
<{EX}b> <{EX}name> "B"@en .
<{EX}a> <{EX}says> <<( <{EX}b> <{EX}name> "B"@en )>> .
"""
QUERY = f"""
SELECT ?s ?p ?o ?extra WHERE {{
  ?s ?p ?o
  OPTIONAL {{ ?o <{EX}name> ?extra }}
}} ORDER BY ?s ?p ?o
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return store


def solutions(store: ox.Store) -> tuple[list[str], list[tuple[Any, ...]]]:
    result = store.query(QUERY)
    assert isinstance(result, ox.QuerySolutions)
    return [v.value for v in result.variables], [tuple(s) for s in result]


def test_json_is_what_oxigraph_writes(store: ox.Store) -> None:
    """Every term kind, escapes and unbound variables: the same JSON document as Oxigraph's."""
    variables, rows = solutions(store)
    ours = json.loads(write_select(variables, rows, _format("json")))
    native = store.query(QUERY)
    assert isinstance(native, ox.QuerySolutions)
    theirs = json.loads(native.serialize(format=ox.QueryResultsFormat.JSON))
    assert ours == theirs
    assert any("extra" not in binding for binding in ours["results"]["bindings"])


def test_csv_has_a_row_per_solution(store: ox.Store) -> None:
    """The other writers read the same rows (CSV shown: plain values, empty when unbound)."""
    variables, rows = solutions(store)
    text = write_select(variables, rows, _format("csv")).decode()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == variables and len(table) == len(rows) + 1


def _format(name: str) -> ResultFormat:
    return next(f for f in RESULT_FORMATS if f.name == name)
