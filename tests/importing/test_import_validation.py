"""The SPARQL-compiled shapes find exactly what pyshacl finds."""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.importing.layout import open_csv
from commons_graph.importing.mapping import MappingOptions, RowMapper
from commons_graph.validation.batches import validate_quads

FIXTURES = Path(__file__).parent / "fixtures"
DATASET = Path(__file__).parents[2] / "datasets" / "coops-uk" / "coops-uk-standard-2023-03-02.csv"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
HOMEPAGE = ox.NamedNode("http://xmlns.com/foaf/0.1/homepage")
IDENTIFIER = ox.NamedNode("http://www.w3.org/ns/org#identifier")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")


def _quads(path: Path, limit: int | None = None) -> list[ox.Quad]:
    mapper = RowMapper(MappingOptions("sample"))
    rows = [mapper.map(row) for row in open_csv(path).rows()][:limit]
    return [quad for row in rows for quad in row.quads]


def _faults(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The sample with one fault of each kind the Organisation shape checks, on chosen rows."""
    subjects = sorted({q.subject.value for q in quads if q.predicate == RDFS_LABEL})
    rng = random.Random(7)
    chosen = [ox.NamedNode(s) for s in rng.sample(subjects, 8)]
    dropped = {(chosen[0], RDFS_LABEL)}
    kept = [q for q in quads if (q.subject, q.predicate) not in dropped]
    # Some faults in another graph: the statements of all graphs are validated together.
    other = ox.NamedNode("https://example.org/graph/other")
    return kept + [
        ox.Quad(chosen[1], RDFS_LABEL, ox.Literal("Zweiter Name", language="de")),
        ox.Quad(chosen[2], RDFS_LABEL, ox.Literal("Another name", language="en"), other),
        ox.Quad(chosen[3], HOMEPAGE, ox.Literal("www.example.org")),
        ox.Quad(chosen[4], HOMEPAGE, ox.NamedNode("ftp://example.org/"), other),
        ox.Quad(chosen[5], IDENTIFIER, ox.NamedNode("https://example.org/id")),
        ox.Quad(chosen[6], DESCRIPTION, ox.Literal("untagged")),
        ox.Quad(chosen[7], SAME_AS, ox.NamedNode("urn:isbn:123")),
    ]


def _keys(found: list) -> set[tuple[str, str | None, str, str | None]]:  # type: ignore[type-arg]
    return {(v.focus, v.path, v.component, v.value) for v in found}


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_both_engines_agree_on_the_fixtures(fixture: str) -> None:
    quads = _quads(FIXTURES / fixture)
    fast, engine = validate_quads(quads, engine="sparql")
    slow, _ = validate_quads(quads, engine="pyshacl")
    assert engine == "sparql"
    assert _keys(fast) == _keys(slow)


@pytest.mark.slow
def test_both_engines_agree_on_a_sample_of_the_real_file_with_faults() -> None:
    quads = _faults(_quads(DATASET, limit=300))
    fast, _ = validate_quads(quads, engine="sparql")
    slow, _ = validate_quads(quads, engine="pyshacl")
    assert len(_keys(slow)) >= 8
    assert _keys(fast) == _keys(slow)
    # The messages are the shapes' own, in the language asked for.
    fast_fr, _ = validate_quads(quads, engine="sparql", lang="fr")
    assert any("Donnez un nom" in v.message for v in fast_fr)
