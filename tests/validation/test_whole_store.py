"""Whole-store validation (`commons-graph validate` without files): the compiled checks report
exactly what pyshacl reports, on each backend, and the command offers both engines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from commons_graph.rdf.formats import rdf_format
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH
from commons_graph.relations.keeper import RelationKeeper
from commons_graph.store import ChangeSet, Store
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.http import ServerStatusError, ServerTimeoutError
from commons_graph.store.seeding import initialise
from commons_graph.validation import ValidationReport, whole_store
from commons_graph.validation.whole_store import validate_store

ROOT = Path(__file__).parents[2]
SCRIPT = str(Path(sys.executable).parent / "commons-graph")
# Every invalid shape test case, each in its own graph: dozens of different violations.
INVALID_CASES = sorted((ROOT / "tests" / "shapes").glob("*/invalid-*.ttl"))


def _add_invalid_cases(store: Store) -> None:
    assert INVALID_CASES, "the shape test cases are missing"
    quads = []
    graphs = []
    for n, path in enumerate(INVALID_CASES):
        # Sealed graphs, as publishing makes: the store refuses statements about #CodeSocial
        # versions (some cases describe one) anywhere else.
        graph = ox.NamedNode(f"https://w3id.org/commons-graph/graph/codesocial/case-{n}")
        graphs.append(graph)
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(q.subject, q.predicate, q.object, graph))
    store.commit(ChangeSet(insert=quads, seal_graphs=graphs))


# Virtuoso 7.2 refuses to store a wktLiteral that names its CRS before the geometry (GeoSPARQL's
# `<…/EPSG/0/4326> POINT(…)`, which GeometryShape/invalid-other-crs.ttl holds): docs/remote.md.
# On a loaded machine its refusal may come after the store's 30 s: either error is that refusal.
_CRS_WKT_REFUSED = pytest.mark.xfail(
    reason="Virtuoso refuses a wktLiteral with a CRS IRI (RDFGE: RDF box with a geometry RDF "
    "type and a non-geometry content), at times after 30 s",
    raises=(ServerStatusError, ServerTimeoutError),
    strict=True,
)


def _refused_on_virtuoso(request: pytest.FixtureRequest) -> None:
    """Mark this test a strict xfail on the Virtuoso backend (the invalid cases are refused)."""
    if request.node.callspec.params.get("backend_settings") == "virtuoso":
        request.applymarker(_CRS_WKT_REFUSED)


def _keys(report: ValidationReport) -> set[tuple[str, str | None, str | None, str, str, str]]:
    return {
        (v.focus, v.path, v.value, v.component, v.severity, v.message) for v in report.violations
    }


def test_the_seed_conforms_with_both_engines(seeded_store: Store) -> None:
    quick = validate_store(seeded_store, engine="sparql")
    assert quick.conforms and quick.violations == []
    assert validate_store(seeded_store, engine="pyshacl").conforms


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_both_engines_report_the_same_results(
    seeded_store: Store, lang: str, request: pytest.FixtureRequest
) -> None:
    _refused_on_virtuoso(request)
    _add_invalid_cases(seeded_store)
    quick = validate_store(seeded_store, lang=lang, engine="sparql")
    reference = validate_store(seeded_store, lang=lang, engine="pyshacl")
    assert not quick.conforms and not reference.conforms
    assert len(quick.violations) >= 50  # cases share IRIs, so some results coincide
    assert _keys(quick) == _keys(reference)


def test_the_report_graph_is_shacl(seeded_store: Store, request: pytest.FixtureRequest) -> None:
    _refused_on_virtuoso(request)
    _add_invalid_cases(seeded_store)
    report = validate_store(seeded_store, engine="sparql")
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    results = set(graph.subjects(SH.sourceConstraintComponent, None))
    assert len(results) == len(report.violations)
    assert (None, SH.conforms, None) in graph
    assert all(graph.value(r, SH.focusNode) is not None for r in results)


def test_an_unknown_engine_is_refused(seeded_store: Store) -> None:
    with pytest.raises(ValueError, match="unknown validation engine"):
        validate_store(seeded_store, engine="fast")


def test_a_large_store_is_checked_where_it_is(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Above the copy limit the embedded store is queried on disk: same results."""
    _refused_on_virtuoso(request)
    _add_invalid_cases(seeded_store)
    reference = validate_store(seeded_store, engine="pyshacl")
    monkeypatch.setattr(whole_store, "_COPY_AT_MOST", 0)
    on_disk = validate_store(seeded_store, engine="sparql")
    assert _keys(on_disk) == _keys(reference)


def test_a_store_without_the_ontology_is_checked_with_it(tmp_path: Path) -> None:
    """Without the subclass axioms in the store, sh:class would miss subclasses: the checks run
    on the copy with them added, and the store is left as it was."""
    store = EmbeddedStore(tmp_path / "bare")
    try:
        path = ROOT / "tests" / "shapes" / "OrganisationShape" / "invalid-missing-name.ttl"
        store.load_graph(ox.NamedNode("https://example.org/graph/bare"), path, rdf_format("turtle"))
        before = len(list(store.quads()))
        quick = validate_store(store, engine="sparql")
        reference = validate_store(store, engine="pyshacl")
        assert not quick.conforms and _keys(quick) == _keys(reference)
        assert len(list(store.quads())) == before
    finally:
        store.close()


def test_the_command_uses_either_engine(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    store = EmbeddedStore(store_path)
    initialise(store)
    _add_invalid_cases(store)
    store.close()
    answers = {}
    for engine in ("auto", "pyshacl"):
        done = subprocess.run(
            [
                SCRIPT,
                "--store",
                str(store_path),
                "validate",
                "--engine",
                engine,
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        answers[engine] = json.loads(done.stdout)
    assert answers["auto"] == answers["pyshacl"]
    assert answers["auto"]["conforms"] is False


def test_the_copy_checked_is_the_whole_store(tmp_path: Path) -> None:
    """The in-memory copy, read in pieces on several threads, holds every statement: the
    default graph, named graphs, a blank node shared by two graphs, literals of every kind."""
    store = EmbeddedStore(tmp_path / "pieces")
    try:
        ex = "http://example.org/"
        shared = ox.BlankNode("shared")
        terms = [
            ox.Literal('é "quoted" \\ \n', language="fr"),
            ox.Literal("2012", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
            ox.Literal("plain"),
            ox.NamedNode(f"{ex}o"),
            shared,
        ]
        quads = [
            ox.Quad(ox.NamedNode(f"{ex}s{n}"), ox.NamedNode(f"{ex}p{n % 3}"), term, graph)
            for n, term in enumerate(terms)
            for graph in (ox.DefaultGraph(), ox.NamedNode(f"{ex}g1"), ox.NamedNode(f"{ex}g2"))
        ]
        quads.append(ox.Quad(shared, ox.NamedNode(f"{ex}name"), ox.Literal("x"), ox.DefaultGraph()))
        store.native.extend(quads)
        copy = whole_store._copy_in_memory(store.native)
        # Loading renames blank nodes: the copy is the store up to their labels.
        assert _canonical(copy) == _canonical(store.native) and len(copy) == len(quads)
        labels = {q.subject for q in copy if isinstance(q.subject, ox.BlankNode)}
        assert len(labels) == 1 and len({q.object for q in copy if q.object in labels}) == 1
    finally:
        store.close()


def _canonical(store: ox.Store) -> set[ox.Quad]:
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_the_derived_relations_are_left_out_with_the_same_results(
    seeded_store: Store, request: pytest.FixtureRequest
) -> None:
    """The derived relations graph (the service's own output, which no shape constrains) is not
    copied for the checks: the results are pyshacl's on everything."""
    _refused_on_virtuoso(request)
    _add_invalid_cases(seeded_store)
    seeded_store.commit(
        ChangeSet(
            insert=[
                ox.Quad(
                    ox.NamedNode(f"https://w3id.org/commons-graph/id/organisation/test-d{i}"),
                    ox.NamedNode(predicate),
                    ox.NamedNode(value),
                    ox.NamedNode("https://w3id.org/commons-graph/graph/file/derived-test"),
                )
                for i in range(2)
                for predicate, value in (
                    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ORGANIZATION),
                    (
                        "https://w3id.org/commons-graph/ontology#holdsValue",
                        "https://w3id.org/commons-graph/value/care",
                    ),
                )
            ]
        )
    )
    RelationKeeper(seeded_store, 5, background=False).run()
    assert seeded_store.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": DERIVED_RELATIONS_GRAPH})
    copy = whole_store._queryable(seeded_store)
    assert not copy.contains_named_graph(DERIVED_RELATIONS_GRAPH)
    quick = validate_store(seeded_store, engine="sparql")
    reference = validate_store(seeded_store, engine="pyshacl")
    assert _keys(quick) == _keys(reference)


ORGANIZATION = "http://www.w3.org/ns/org#Organization"
