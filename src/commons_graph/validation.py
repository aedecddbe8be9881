"""SHACL validation with the service's own shapes (pyshacl); reports in English and French."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from commons_graph.resources import turtle_files
from commons_graph.store.base import Store, values_block
from commons_graph.terms import rdflib_graph, to_rdflib

LANGUAGES = ("en", "fr")

# rdflib logs a traceback for every ill-typed literal (a founding date "2012-13-45"); the
# shapes report those as violations in the user's language, so the traceback is only noise.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Violation:
    """One result of a SHACL report, its message in one language."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    component: str


@dataclass
class ValidationReport:
    """The outcome of validating data against the shapes."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph, repr=False)

    def to_json_errors(self) -> list[dict[str, str | None]]:
        """The violations in the service's JSON error shape (focus, path, value, message)."""
        return [
            {"focus": v.focus, "path": v.path, "value": v.value, "message": v.message}
            for v in self.violations
        ]

    def to_json(self) -> str:
        """The whole report as JSON."""
        return json.dumps(
            {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]},
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        """The SHACL validation report graph in Turtle."""
        return self.graph.serialize(format="turtle")


@cache
def shapes_graph() -> Graph:
    """The service's shapes, parsed once per process."""
    graph = Graph()
    for path in turtle_files("shapes"):
        graph.parse(path, format="turtle")
    return graph


@cache
def class_hierarchy() -> Graph:
    """The subclass axioms of the ontology and vocabularies, so that sh:class sees subclasses."""
    wanted = {str(RDFS.subClassOf), str(OWL.equivalentClass)}
    hierarchy = Graph()
    for folder in ("ontology", "vocabularies"):
        for path in turtle_files(folder):
            # Oxigraph's parser: rdflib's takes half a second for these files, on every import.
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
                if quad.predicate.value in wanted and isinstance(quad.object, ox.NamedNode):
                    hierarchy.add(
                        (
                            to_rdflib(quad.subject),
                            URIRef(quad.predicate.value),
                            URIRef(quad.object.value),
                        )
                    )
    return hierarchy


def shapes_version() -> str:
    """The version stated by the shapes graph (owl:versionInfo)."""
    for version in shapes_graph().objects(None, OWL.versionInfo):
        return str(version)
    return "unversioned"


def validate(
    data: Graph,
    *,
    context: Graph | None = None,
    lang: str = "en",
    inplace: bool = False,
    described: Iterable[Node] | None = None,
) -> ValidationReport:
    """Validate `data` (with `context`, e.g. types of referenced resources) against the shapes.

    With `described`, only the shapes aimed at the classes of those resources run: the
    resources a contribution merely points at are typed in its context for `sh:class`, and
    must not be judged themselves (their reports would be dropped anyway, at twice the cost).
    """
    combined = data if inplace else _copy(data)
    if context is not None:
        combined += context
    combined += class_hierarchy()
    shapes = None if described is None else _shapes_for(combined, described)
    if shapes == []:
        return ValidationReport(True, [], Graph())
    conforms, report_graph = _run_pyshacl(combined, shapes)
    violations = _violations(report_graph, lang)
    # Only violations stop data; warnings and infos are reported but let it through.
    blocking = any(v.severity == "Violation" for v in violations)
    return ValidationReport(bool(conforms) or not blocking, violations, report_graph)


_PYSHACL_OPTIONS = {"inference": "none", "allow_warnings": True, "inplace": True, "advanced": True}
# pyshacl's shape objects are built once and shared, so validations take turns.
_PYSHACL_LOCK = threading.Lock()


@cache
def _parsed_shapes() -> Any:
    """pyshacl's parsed form of the shapes, built once per process.

    `pyshacl.validate` re-reads the whole shapes graph on every call, which is most of the
    cost of checking a small contribution (measured: 6 ms of 9); the result is the same (checked
    on every case in tests/shapes and every seed file).
    """
    from pyshacl.shapes_graph import ShapesGraph

    parsed = ShapesGraph(shapes_graph())
    parsed.shapes  # noqa: B018 - builds the shape cache now, not during a validation
    return parsed


@cache
def _shapes_by_target_class() -> dict[Node, list[str]]:
    """For each class, the node shapes aimed at it (sh:targetClass)."""
    found: dict[Node, list[str]] = {}
    for shape, cls in shapes_graph().subject_objects(SH.targetClass):
        found.setdefault(cls, []).append(str(shape))
    return found


def shapes_for_classes(classes: Iterable[str]) -> list[str]:
    """The node shapes aimed at any of these classes (sh:targetClass)."""
    by_class = _shapes_by_target_class()
    return sorted({shape for cls in classes for shape in by_class.get(URIRef(cls), [])})


def _shapes_for(data: Graph, resources: Iterable[Node]) -> list[str]:
    """The node shapes aimed at the classes (or superclasses) of `resources` in `data`."""
    classes: set[Node] = set()
    for resource in resources:
        for cls in data.objects(resource, RDF.type):
            classes.update(c for c in data.transitive_objects(cls, RDFS.subClassOf) if c)
    return shapes_for_classes(str(cls) for cls in classes)


def _run_pyshacl(data: Graph, shapes: list[str] | None = None) -> tuple[bool, Graph]:
    """Validate `data` in place with the service's shapes (or only `shapes`)."""
    # Imported here: pyshacl takes a fifth of a second to import, which every CLI call would pay.
    from pyshacl.graph_abstraction import DataGraph
    from pyshacl.validator import Validator

    with _PYSHACL_LOCK:
        validator = Validator(
            DataGraph.from_rdflib(data),
            shacl_graph=shapes_graph(),
            options={**_PYSHACL_OPTIONS, "use_shapes": shapes},
        )
        validator.shacl_graph = _parsed_shapes()
        conforms, report_graph, _ = validator.run()  # type: ignore[no-untyped-call]
    return bool(conforms), report_graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _violations(report: Graph, lang: str) -> list[Violation]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.append(
            Violation(
                focus=_text(report.value(result, SH.focusNode)),
                path=_optional(report.value(result, SH.resultPath)),
                value=_optional(report.value(result, SH.value)),
                message=_message(report.objects(result, SH.resultMessage), lang),
                severity=_local_name(report.value(result, SH.resultSeverity)),
                component=_text(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.component, v.value or ""))


def _message(messages: Iterable[Node], lang: str) -> str:
    by_lang: dict[str | None, str] = {}
    for message in messages:
        if isinstance(message, Literal):
            by_lang.setdefault(message.language, str(message))
    for key in (lang, "en", None):
        if key in by_lang:
            return by_lang[key]
    return next(iter(by_lang.values()), "")


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _optional(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _local_name(node: Node | None) -> str:
    return _text(node).rsplit("#", 1)[-1]


def types_from_store(store: Store, iris: Iterable[ox.NamedNode]) -> list[ox.Triple]:
    """The rdf:type statements the store holds about `iris`, in one query (sh:class needs them)."""
    wanted = sorted(set(iris), key=str)
    if not wanted:
        return []
    query = "CONSTRUCT { ?r a ?t } WHERE { ?r a ?t FILTER(isIRI(?t)) }\n" + values_block(
        "r", wanted
    )
    return store.construct(query)


def context_from_store(store: Store, data: Graph) -> Graph:
    """The types, from the store, of the resources `data` refers to but does not type itself."""
    typed = set(data.subjects(RDF.type, None))
    referenced = {o for o in data.objects() if isinstance(o, URIRef) and o not in typed}
    return rdflib_graph(types_from_store(store, (ox.NamedNode(str(o)) for o in referenced)))


def store_graph(store: Store) -> Graph:
    """The whole store as one rdflib graph, for batch validation."""
    return rdflib_graph(store.quads())
