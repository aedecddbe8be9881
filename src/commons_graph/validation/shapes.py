"""The service's shapes and the class hierarchy they are checked with, read once per process."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from commons_graph.rdf.conversion import oxigraph_triples, to_rdflib
from commons_graph.store.shipped import turtle_files


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


@cache
def hierarchy_quads() -> tuple[ox.Quad, ...]:
    """The ontology's subclass axioms, to add to checked data so that sh:class sees subclasses."""
    return tuple(
        ox.Quad(t.subject, t.predicate, t.object) for t in oxigraph_triples(class_hierarchy())
    )


def shapes_version() -> str:
    """The version stated by the shapes graph (owl:versionInfo)."""
    for version in shapes_graph().objects(None, OWL.versionInfo):
        return str(version)
    return "unversioned"


@cache
def _shapes_by_target_class() -> dict[Node, list[str]]:
    """For each class, the node shapes aimed at it (sh:targetClass)."""
    found: dict[Node, list[str]] = {}
    for shape, cls in shapes_graph().subject_objects(SH.targetClass):
        found.setdefault(cls, []).append(str(shape))
    return found


# What names the properties a shape reads from its focus node besides sh:path: the pair
# constraints, and the targets that select focus nodes by a property.
_PROPERTY_NAMING = (
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
)


@cache
def read_properties() -> frozenset[str] | None:
    """Every property any shape can read from a focus node (rdf:type included), or None when a
    shape reads them all (sh:closed): a contribution is judged on just these statements of the
    resources it describes, whatever else they hold."""
    graph = shapes_graph()
    if any(graph.triples((None, SH.closed, None))):
        return None
    found = {str(RDF.type)}
    # A path is an IRI, or a structure (sequence, inverse, alternatives, repetition) whose
    # every IRI is taken: more than it reads, never less.
    pending: list[Node] = [path for _, path in graph.subject_objects(SH.path)]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, URIRef):
            found.add(str(node))
        else:
            pending.extend(o for _, o in graph.predicate_objects(node))
    for naming in _PROPERTY_NAMING:
        found.update(str(o) for o in graph.objects(None, naming) if isinstance(o, URIRef))
    return frozenset(found)


def shapes_for_classes(classes: Iterable[str]) -> list[str]:
    """The node shapes aimed at any of these classes (sh:targetClass)."""
    by_class = _shapes_by_target_class()
    return sorted({shape for cls in classes for shape in by_class.get(URIRef(cls), [])})


def shapes_for(data: Graph, resources: Iterable[Node]) -> list[str]:
    """The node shapes aimed at the classes (or superclasses) of `resources` in `data`."""
    classes: set[Node] = set()
    for resource in resources:
        for cls in data.objects(resource, RDF.type):
            classes.update(c for c in data.transitive_objects(cls, RDFS.subClassOf) if c)
    return shapes_for_classes(str(cls) for cls in classes)
