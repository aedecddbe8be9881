"""Choosing result formats (sparql/negotiation.py)."""

from __future__ import annotations

import pytest

from commons_graph.sparql.negotiation import (
    accept_for_format,
    acceptable_at_all,
    choose_graph_format,
    choose_solutions_format,
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml, */*;q=0.1", "application/sparql-results+xml"),
        ("application/json", "application/json"),
        ("text/turtle, application/sparql-results+json;q=0.2", "application/sparql-results+json"),
    ],
)
def test_solutions_formats_follow_q_values_and_wildcards(accept: str | None, expected: str) -> None:
    choice = choose_solutions_format(accept)
    assert choice is not None and choice.media_type == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, application/n-triples", "application/n-triples"),
        ("application/sparql-results+json, text/turtle;q=0.1", "text/turtle"),
    ],
)
def test_graph_formats_follow_q_values(accept: str | None, expected: str) -> None:
    choice = choose_graph_format(accept)
    assert choice is not None and choice.media_type == expected


def test_nothing_acceptable() -> None:
    assert choose_solutions_format("text/turtle") is None
    assert choose_graph_format("text/csv") is None
    assert not acceptable_at_all("image/png")
    assert not acceptable_at_all("text/csv;q=0")


def test_format_parameter_covers_both_query_forms() -> None:
    accept = accept_for_format("json")
    assert accept is not None
    solutions = choose_solutions_format(accept)
    graph = choose_graph_format(accept)
    assert solutions is not None and solutions.media_type == "application/sparql-results+json"
    assert graph is not None and graph.media_type == "application/ld+json"
    assert accept_for_format("nope") is None
