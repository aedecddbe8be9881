"""The project's namespaces behave as rdflib's, without importing rdflib until a term is made."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Namespace as RdflibNamespace
from rdflib import URIRef

from commons_graph.rdf import namespaces as ns
from commons_graph.rdf.lazy_namespace import Namespace

IRI = "http://example.org/vocab#"


def test_terms_strings_and_membership_are_rdflibs() -> None:
    ours, theirs = Namespace(IRI), RdflibNamespace(IRI)
    for made, expected in (
        (ours.Person, theirs.Person),
        (ours["first-name"], theirs["first-name"]),
        (ours.term("x"), theirs.term("x")),
        (ours.title, theirs.title),
    ):
        assert type(made) is URIRef and made == expected
    assert ours == theirs == IRI and hash(ours) == hash(IRI)
    assert ours + "a" == theirs + "a" == IRI + "a"
    assert type(ours + "a") is str
    assert (theirs.Person in ours, URIRef("http://other.org/x") in ours) == (True, False)
    assert repr(ours) == repr(theirs)
    assert ours.startswith("http://") and ours[:0] == theirs[:0]
    with pytest.raises(AttributeError):
        ours.__wrapped__  # noqa: B018 (special names are never terms)


def test_the_graphs_made_on_first_use() -> None:
    assert URIRef(ns.BASE + "graph/ontology") == ns.ONTOLOGY_GRAPH
    assert type(ns.SHAPES_GRAPH) is URIRef and str(ns.SHAPES_GRAPH) == ns.GRAPH + "shapes"
    with pytest.raises(AttributeError):
        ns.NOT_A_NAME  # noqa: B018


def test_the_store_and_the_commands_modules_start_without_rdflib() -> None:
    probe = (
        "import sys\n"
        "import commons_graph.cli.main, commons_graph.cli.output, commons_graph.store\n"
        "import commons_graph.relations.keeper, commons_graph.search.service\n"
        "import commons_graph.store.seeding, commons_graph.store.loading\n"
        "print('rdflib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
