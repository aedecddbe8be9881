"""The compiled checks only ever accept what pyshacl accepts: a contribution's verdict and
report are the same whichever engine decides, on every shape test case, seed and example file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.store import Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from commons_graph.validation.contribution import check, passes_compiled_checks, store_context

ROOT = Path(__file__).parents[2]
POSITIVE_INTEGER = "xsd:positiveInteger"
# Geometries (geo:wktLiteral) are not among the datatypes both engines judge alike: pyshacl.
WKT = "geo:wktLiteral"
# Datatypes whose lexical forms the compiled checks do not verify: pyshacl decides.
UNVERIFIED = (POSITIVE_INTEGER, WKT, "cg:CompaniesHouseNumber", "cg:MutualsRegisterNumber")
CASES = [
    *sorted((ROOT / "tests" / "shapes").glob("*/*.ttl")),
    *sorted((ROOT / "examples" / "contributions").glob("*.ttl")),
    *sorted((ROOT / "data").rglob("*.ttl")),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One seeded embedded store for every case (checking reads it, never writes)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("engines") / "store")
    initialise(store)
    yield store
    store.close()


# Statements added to an organisation that already exists (it is not typed again): only the
# checks along the stated paths run on it, the others cannot blame the contribution.
PREFIXES = """
@prefix cg: <https://w3id.org/commons-graph/ontology#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix organisation: <https://w3id.org/commons-graph/id/organisation/> .
@prefix commons: <https://w3id.org/commons-graph/id/commons/> .
"""
EXISTING = "organisation:ouishare"
ADDITIONS = {
    "a-value": (f"{EXISTING} cg:holdsValue <https://w3id.org/commons-graph/value/sharing> .", True),
    "a-commons": (f"{EXISTING} cg:stewards commons:wikidata .", True),
    "a-theme-as-value": (
        f"{EXISTING} cg:holdsValue <https://w3id.org/commons-graph/theme/ecological-transition> .",
        False,
    ),
    "a-literal-homepage": (f'{EXISTING} foaf:homepage "ouishare.net" .', False),
    "a-second-founding-date": (f'{EXISTING} schema:foundingDate "2013"^^xsd:gYear .', False),
    "an-ill-typed-founding-date": (
        f'{EXISTING} schema:foundingDate "2012-13-45"^^xsd:date .',
        False,
    ),
    "a-commons-missing-its-kind": (
        f"{EXISTING} cg:stewards commons:new . commons:new a cg:Commons ; "
        'rdfs:label "New"@en , "Nouveau"@fr .',
        False,
    ),
}


def _turtle(text: str) -> list[ox.Triple]:
    turtle = PREFIXES + "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + text
    quads = ox.parse(input=turtle.encode(), format=ox.RdfFormat.TURTLE)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


@pytest.mark.parametrize("name", ADDITIONS)
def test_additions_to_an_existing_organisation(seeded: Store, name: str) -> None:
    text, valid = ADDITIONS[name]
    triples = _turtle(text)
    slow = check(seeded, triples, "en", engine="pyshacl")
    quick = check(seeded, triples, "en")
    assert slow.conforms is valid, slow.violations
    assert (quick.conforms, quick.violations) == (slow.conforms, slow.violations)
    assert passes_compiled_checks(triples, store_context(seeded, triples)) is valid


def _triples(path: Path) -> list[ox.Triple]:
    quads = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_verdict_does_not_depend_on_the_engine(seeded: Store, path: Path) -> None:
    triples = _triples(path)
    accepted_quickly = passes_compiled_checks(triples, store_context(seeded, triples))
    slow = check(seeded, triples, "fr", engine="pyshacl")
    assert slow.conforms or not accepted_quickly, slow.violations
    quick = check(seeded, triples, "fr")
    assert (quick.conforms, quick.violations) == (slow.conforms, slow.violations)


def test_what_pyshacl_accepts_the_compiled_checks_accept(seeded: Store) -> None:
    """Without this the fast path could silently never be taken; only literals whose lexical
    form the compiled checks do not verify (UNVERIFIED) leave the decision to pyshacl."""
    accepted = [p for p in CASES if check(seeded, _triples(p), "en", engine="pyshacl").conforms]
    refused = {
        p
        for p in accepted
        if not passes_compiled_checks(_triples(p), store_context(seeded, _triples(p)))
    }
    assert len(accepted) >= 25
    assert refused == {
        p for p in accepted if any(unverified in p.read_text() for unverified in UNVERIFIED)
    }


def test_declines_about_absent_datatypes_are_left_out() -> None:
    """A decline looks for values of one datatype: data without any (as stored) skips it."""
    from commons_graph.validation.compiled import service_checks

    compiled = service_checks()
    date = "http://www.w3.org/2001/XMLSchema#date"
    assert any(d.datatype == date for d in compiled.unsupported)
    kept = compiled.for_datatypes({date}).unsupported
    assert kept == [d for d in compiled.unsupported if d.datatype in (None, date)]
    assert compiled.for_datatypes(set()).unsupported == [
        d for d in compiled.unsupported if d.datatype is None
    ]
    assert compiled.for_datatypes({date}).checks == compiled.checks
