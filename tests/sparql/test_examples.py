"""The example queries of the editor's gallery (examples/queries/*.rq)."""

from __future__ import annotations

import pytest

from commons_graph.sparql.examples import example_queries
from commons_graph.store import SelectResult, Store

EXAMPLES = example_queries()
# Examples about members' contributions: the seed holds none (tests/contributions/test_linked_
# history.py runs them after contributions).
ABOUT_CONTRIBUTIONS = {"11-how-a-resource-changed"}


@pytest.fixture(scope="module")
def seeded_store(read_only_seeded_store: Store) -> Store:
    """One seeded store per backend for the module: the examples only read."""
    return read_only_seeded_store


def test_there_is_a_gallery() -> None:
    """The gallery answers the researchers' questions the issue lists, and a few more."""
    names = {e.name for e in EXAMPLES}
    assert len(EXAMPLES) >= 6
    for stem in ("shared-values", "stewards", "network-around", "themes-connecting"):
        assert any(stem in name for name in names), stem


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_each_example_is_titled_in_english_and_french(example: object) -> None:
    assert example.titles["en"] and example.titles["fr"]  # type: ignore[attr-defined]
    assert example.titles["en"] != example.titles["fr"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "example",
    [e for e in EXAMPLES if e.name not in ABOUT_CONTRIBUTIONS],
    ids=[e.name for e in EXAMPLES if e.name not in ABOUT_CONTRIBUTIONS],
)
def test_each_example_answers_on_the_seed_network(seeded_store: Store, example: object) -> None:
    """Every example runs on the seeded store and returns at least one row."""
    result = seeded_store.query(example.query)  # type: ignore[attr-defined]
    assert isinstance(result, SelectResult)
    assert result.rows
