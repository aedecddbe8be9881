"""Data-driven SHACL tests: every tests/shapes/<Shape>/{valid,invalid}-*.ttl case."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = ROOT / "tests" / "shapes"
CASES = sorted(CASES_DIR.glob("*/*.ttl"))
NO_PATH = "none"


@dataclass(frozen=True)
class Result:
    """One validation result about a case's own subject."""

    focus: Node | None
    path: Node | None
    component: Node | None
    severity: Node | None
    messages: tuple[str, ...]


@cache
def shapes_graph() -> Graph:
    """The project's shapes graph."""
    return Graph().parse(ROOT / "shapes" / "commons-graph-shapes.ttl")


@cache
def ontology_graph() -> Graph:
    """The project's ontology."""
    return Graph().parse(ROOT / "ontology" / "commons-graph.ttl")


@cache
def seed_graph() -> Graph:
    """The seed network with its concept schemes."""
    graph = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    return graph


def contribution_data_graph(case: Graph) -> Graph:
    """The case plus the context it needs: ontology, own seed triples, types of what it cites."""
    seed = seed_graph()
    data = ontology_graph() + case
    subjects = {s for s in case.subjects() if isinstance(s, URIRef)}
    for subject in subjects:
        for p, o in seed.predicate_objects(subject):
            data.add((subject, p, o))
    for node in {o for o in data.objects() if isinstance(o, URIRef)}:
        for cls in seed.objects(node, RDF.type):
            data.add((node, RDF.type, cls))
    return data


def expectations(path: Path) -> dict[str, str]:
    """The `# expect-<key>: <value>` header lines of a case file."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.startswith("expect-"):
            found[key.removeprefix("expect-")] = value.strip()
    return found


def to_iri(graph: Graph, text: str) -> URIRef:
    """Read a full IRI (with or without angle brackets) or a prefixed name known to `graph`."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    return graph.namespace_manager.expand_curie(text)


def validate_case(case: Graph) -> list[Result]:
    """Validate a case as a contribution: the results about its own subjects."""
    # The context goes into the data graph itself: pyshacl's ont_graph copies only RDFS/OWL
    # axioms, not the rdf:type of the seed resources a case points at. No focus_nodes either:
    # pyshacl 0.40 then skips the value nodes of sh:or and sh:qualifiedValueShape.
    _, report, _ = pyshacl.validate(
        contribution_data_graph(case),
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    subjects = set(case.subjects())
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.focusNode) in subjects:
            found.append(
                Result(
                    focus=report.value(r, SH.focusNode),
                    path=report.value(r, SH.resultPath),
                    component=report.value(r, SH.sourceConstraintComponent),
                    severity=report.value(r, SH.resultSeverity),
                    messages=tuple(str(m) for m in report.objects(r, SH.resultMessage)),
                )
            )
    return found


def test_cases_exist_for_every_shape() -> None:
    """Each folder holds at least one valid and one invalid case."""
    folders = {p.parent for p in CASES}
    assert len(folders) >= 12
    for folder in folders:
        names = [p.name for p in folder.glob("*.ttl")]
        assert any(n.startswith("valid-") for n in names), folder
        assert any(n.startswith("invalid-") for n in names), folder


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_shape_case(path: Path) -> None:
    """Valid cases conform; invalid cases yield the announced path and constraint component."""
    case = Graph().parse(path)
    found = validate_case(case)
    violations = [r for r in found if r.severity == SH.Violation]
    if path.name.startswith("valid-"):
        assert violations == []
        return
    assert path.name.startswith("invalid-"), f"case files are valid-* or invalid-*: {path}"
    expected = expectations(path)
    assert {"path", "component"} <= expected.keys(), f"{path} lacks its expect-* header"
    want_path = None if expected["path"] == NO_PATH else to_iri(case, expected["path"])
    want = (want_path, to_iri(case, expected["component"]))
    assert want in {(r.path, r.component) for r in violations}, found
