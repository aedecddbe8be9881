"""The compiled checks only ever accept what pyshacl accepts: a contribution's verdict and
report are the same whichever engine decides, on every shape test case, seed and example file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from commons_graph.store import Store
from commons_graph.validation.contribution import check, passes_compiled_checks, store_context
from tests.helpers.contribution_cases import (
    ADDITIONS,
    CASES,
    UNVERIFIED,
    file_triples,
    seeded_store,
    turtle_triples,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One seeded embedded store for every case."""
    yield from seeded_store(tmp_path_factory, "engines")


@pytest.mark.parametrize("name", ADDITIONS)
def test_additions_to_an_existing_organisation(seeded: Store, name: str) -> None:
    text, valid = ADDITIONS[name]
    triples = turtle_triples(text)
    slow = check(seeded, triples, "en", engine="pyshacl")
    quick = check(seeded, triples, "en")
    assert slow.conforms is valid, slow.violations
    assert (quick.conforms, quick.violations) == (slow.conforms, slow.violations)
    assert passes_compiled_checks(triples, store_context(seeded, triples)) is valid


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_verdict_does_not_depend_on_the_engine(seeded: Store, path: Path) -> None:
    triples = file_triples(path)
    accepted_quickly = passes_compiled_checks(triples, store_context(seeded, triples))
    slow = check(seeded, triples, "fr", engine="pyshacl")
    assert slow.conforms or not accepted_quickly, slow.violations
    quick = check(seeded, triples, "fr")
    assert (quick.conforms, quick.violations) == (slow.conforms, slow.violations)


def test_what_pyshacl_accepts_the_compiled_checks_accept(seeded: Store) -> None:
    """Without this the fast path could silently never be taken; only literals whose lexical
    form the compiled checks do not verify (UNVERIFIED) leave the decision to pyshacl."""
    accepted = [p for p in CASES if check(seeded, file_triples(p), "en", engine="pyshacl").conforms]
    refused = {
        p
        for p in accepted
        if not passes_compiled_checks(file_triples(p), store_context(seeded, file_triples(p)))
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
