"""An index kept in step with a seeded store of each backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from commons_graph.search.index import SearchIndex
from commons_graph.search.keeping import IndexKeeper
from commons_graph.store import ChangeSet, Store

EX = "https://w3id.org/commons-graph/id/test/"
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DESCRIPTION = NamedNode("http://purl.org/dc/terms/description")
IDENTIFIER = NamedNode("http://purl.org/dc/terms/identifier")
GRAPH = NamedNode("https://w3id.org/commons-graph/graph/test/search")


@dataclass
class Indexed:
    """A store, its index and the keeper listening to it."""

    store: Store
    index: SearchIndex
    keeper: IndexKeeper

    def iris(self, text: str) -> list[str]:
        """The IRIs found for `text`, best first."""
        return [iri for _, iri, _ in self.index.ranked(text)]

    def add(self, name: str, *statements: tuple[NamedNode, Literal | NamedNode]) -> NamedNode:
        """Write a resource `EX + name` with `statements` into the test graph."""
        subject = NamedNode(EX + name)
        quads = [Quad(subject, p, o, GRAPH) for p, o in statements]
        self.store.commit(ChangeSet(insert=quads))
        return subject


def text(value: str, lang: str = "en") -> Literal:
    """A literal in `lang` (plain with an empty one)."""
    return Literal(value, language=lang) if lang else Literal(value)


@pytest.fixture
def indexed(
    request: pytest.FixtureRequest, seeded_store: Store, tmp_path: Path
) -> Iterator[Indexed]:
    """The seeded store (each backend), its index built and kept in step.

    The index is a copy of the seed's (`seed_index`, built once per session), as a previous
    run would have left it; the keeper's start-up check finds it in step with the seeded store
    (rebuilding it if not), instead of a rebuild per test (seconds on Virtuoso).
    """
    path = tmp_path / "search.sqlite"
    shutil.copyfile(request.getfixturevalue("seed_index"), path)
    index = SearchIndex(path)
    keeper = IndexKeeper(seeded_store, index).attach()
    rebuilt = keeper.check_at_start(background=False)
    assert not rebuilt, "the seed's index no longer matches the seeded store"
    try:
        yield Indexed(seeded_store, index, keeper)
    finally:
        keeper.detach()
        index.close()
