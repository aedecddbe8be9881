"""A #CodeSocial laid out for reading: raison d'être, history as a timeline, planes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from commons_graph.codesocial.freezing import anchor
from commons_graph.codesocial.iris import PLANE_PREFIX
from commons_graph.rdf.namespaces import CG, DCTERMS, PROV, RDF, RDFS, SKOS

# The six planes, in the order of the planes scheme (and of the shapes' closed list).
PLANES = tuple(
    PLANE_PREFIX + name
    for name in (
        "social-human",
        "economic",
        "ecological",
        "scientific-technological",
        "legal",
        "artistic-cultural",
    )
)
SECTIONS = ("document", "raison", "history", "principles", "models", "other")

Texts = dict[str, str]


@dataclass
class Entry:
    """A part of the document: a history entry, a principle or a model."""

    iri: str
    anchor: str
    kind: str
    label: Texts = field(default_factory=dict)
    description: Texts = field(default_factory=dict)
    date: str | None = None
    plane: str | None = None
    values: list[str] = field(default_factory=list)
    commons: list[str] = field(default_factory=list)


@dataclass
class PlaneSection:
    """The principles and models of one plane."""

    plane: str
    principles: list[Entry] = field(default_factory=list)
    models: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether the document says nothing on this plane."""
        return not (self.principles or self.models)


@dataclass
class Document:
    """The sections of one #CodeSocial (draft or version)."""

    root: str
    subject: str | None = None
    label: Texts = field(default_factory=dict)
    raison: Texts = field(default_factory=dict)
    note: Texts = field(default_factory=dict)
    history: list[Entry] = field(default_factory=list)
    planes: list[PlaneSection] = field(default_factory=list)
    unplaced: list[Entry] = field(default_factory=list)

    def linked(self) -> set[str]:
        """Every IRI the document links to, for looking up labels."""
        found = {self.subject or "", *PLANES}
        for entry in self.entries():
            found.update(entry.values)
            found.update(entry.commons)
        found.discard("")
        return found

    def entries(self) -> list[Entry]:
        """Every part, history first."""
        parts = [*self.history, *self.unplaced]
        for section in self.planes:
            parts += section.principles + section.models
        return parts


def _texts(triples: list[ox.Triple], subject: ox.NamedNode | ox.BlankNode, predicate: str) -> Texts:
    found: Texts = {}
    for t in triples:
        if (
            t.subject == subject
            and t.predicate.value == predicate
            and isinstance(t.object, ox.Literal)
        ):
            found.setdefault(t.object.language or "", t.object.value)
    return found


def _objects(triples: list[ox.Triple], subject: ox.NamedNode, predicate: str) -> list[str]:
    return sorted(
        {
            t.object.value
            for t in triples
            if t.subject == subject
            and t.predicate.value == predicate
            and isinstance(t.object, ox.NamedNode)
        }
    )


def build_document(triples: Iterable[ox.Triple], root: ox.NamedNode) -> Document:
    """Lay out the statements of a #CodeSocial whose root resource is `root`."""
    statements = list(triples)
    document = Document(root.value)
    subjects = _objects(statements, root, CG + "codeSocialOf")
    document.subject = subjects[0] if subjects else None
    document.label = _texts(statements, root, RDFS + "label")
    document.raison = _texts(statements, root, CG + "raisonDEtre")
    document.note = _texts(statements, root, SKOS + "editorialNote")
    sections = {plane: PlaneSection(plane) for plane in PLANES}
    kinds = (("historyEntry", "history"), ("principle", "principle"), ("model", "model"))
    for predicate, kind in kinds:
        for iri in _objects(statements, root, CG + predicate):
            node = ox.NamedNode(iri)
            fragment = iri.split("#", 1)[1] if iri.startswith(root.value + "#") else None
            entry = Entry(
                iri=_derived(statements, node) or iri,
                anchor=fragment or anchor(iri, root.value),
                kind=kind,
                label=_texts(statements, node, RDFS + "label"),
                description=_texts(statements, node, DCTERMS + "description"),
                values=_objects(statements, node, CG + "concernsValue"),
                commons=_objects(statements, node, CG + "concernsCommons"),
            )
            dates = _texts(statements, node, DCTERMS + "date")
            entry.date = next(iter(dates.values()), None)
            planes = _objects(statements, node, CG + "plane")
            entry.plane = planes[0] if planes else None
            if kind == "history":
                document.history.append(entry)
            elif entry.plane in sections:
                target = sections[entry.plane]
                (target.principles if kind == "principle" else target.models).append(entry)
            else:
                document.unplaced.append(entry)
    document.history.sort(key=lambda e: (e.date or "9999", e.anchor))
    for section in sections.values():
        section.principles.sort(key=lambda e: e.anchor)
        section.models.sort(key=lambda e: e.anchor)
    document.planes = list(sections.values())
    return document


def _derived(statements: list[ox.Triple], node: ox.NamedNode) -> str | None:
    """The live resource a frozen part was derived from, when the record says so."""
    found = _objects(statements, node, PROV + "wasDerivedFrom")
    return found[0] if found else None


def types_of(statements: Iterable[ox.Triple], node: ox.NamedNode) -> list[str]:
    """The classes `node` is stated to belong to."""
    return sorted(
        t.object.value  # type: ignore[union-attr]
        for t in statements
        if t.subject == node and t.predicate.value == RDF + "type"
    )
