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
