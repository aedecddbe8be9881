"""The facts the rules read do not depend on the order graphs and sets are met in."""

from __future__ import annotations

import itertools

from commons_graph.relations.facts import GraphFacts, merge

ONE, TWO = "https://example.org/one", "https://example.org/two"


def test_a_locality_written_two_ways_gets_one_spelling_whatever_the_order() -> None:
    first = GraphFacts(organisations={ONE}, localities={(ONE, "Berwick-upon-tweed")})
    second = GraphFacts(organisations={TWO}, localities={(TWO, "Berwick-upon-Tweed ")})
    names = {
        merge(dict(zip(("a", "b"), order, strict=True))).locality_names["berwick-upon-tweed"]
        for order in itertools.permutations([first, second])
    }
    assert names == {"Berwick-upon-Tweed"}
