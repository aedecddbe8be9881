"""From a submitted form to a contribution's triples, and from SHACL results back to fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from commons_graph.forms.spec import (
    CHOICE,
    DATE,
    IRI,
    LANGUAGE_TAGGED,
    Field,
    node_shape_fields,
    short,
    target_class,
)
from commons_graph.rdf.namespaces import BASE, ID, RDF_TYPE, XSD
from commons_graph.store.base import Store
from commons_graph.validation import Violation

SHAPES = BASE + "shapes#"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"


@dataclass(frozen=True)
class Section:
    """A part of the contribution form: the member's organisation, or a new resource."""

    key: str
    shape: str
    title_key: str
    mint: str | None = None  # path segment under …/id/ for new resources

    @property
    def fields(self) -> tuple[Field, ...]:
        """The section's fields, from its node shape."""
        return node_shape_fields(self.shape)


SECTIONS = (
    Section("org", SHAPES + "OrganisationShape", "ui.section_organisation"),
    Section("commons", SHAPES + "CommonsShape", "ui.section_commons", "commons"),
    Section("project", SHAPES + "ProjectShape", "ui.section_project", "project"),
    Section("event", SHAPES + "EventShape", "ui.section_event", "event"),
)


@dataclass(frozen=True)
class Relation:
    """A way to link the organisation and a new resource; `inverse` when the new one points."""

    path: str
    inverse: bool
    label: dict[str, str]

    @property
    def value(self) -> str:
        """The value of the relation's option in the form."""
        return ("^" if self.inverse else "") + self.path


def relations(section: Section) -> list[Relation]:
    """How the organisation may be linked to a new resource of this section (from the shapes)."""
    cls = target_class(section.shape)
    org_fields = SECTIONS[0].fields
    found = [Relation(f.path, False, f.label) for f in org_fields if cls in f.classes]
    found += [Relation(f.path, True, f.label) for f in section.fields if ORGANIZATION in f.classes]
    return found


def input_name(section: Section, f: Field, lang: str | None = None) -> str:
    """The HTML name of a field's input."""
    return f"{section.key}.{f.key}" + (f".{lang}" if lang else "")


@dataclass
class Built:
    """The triples a form submission stands for, and where each resource came from."""

    triples: list[ox.Triple] = field(default_factory=list)
    subjects: dict[str, str] = field(default_factory=dict)  # IRI -> section key


def slug(text: str) -> str:
    """A lower-case ASCII slug for minting IRIs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "resource"


def _mint(store: Store, segment: str, name: str, taken: set[str]) -> ox.NamedNode:
    base = f"{ID}{segment}/{slug(name)}"
    candidate, n = base, 1
    while candidate in taken or store.ask(
        "ASK { { ?r ?p ?o } UNION { ?s ?p ?r } }", {"r": ox.NamedNode(candidate)}
    ):
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return ox.NamedNode(candidate)


def _literal_for(f: Field, text: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a typed-in value; wrong input stays a plain string for SHACL to flag."""
    if f.kind == DATE:
        for pattern, datatype in (
            (r"\d{4}", "gYear"),
            (r"\d{4}-\d{2}-\d{2}", "date"),
            (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?", "dateTime"),
        ):
            if re.fullmatch(pattern, text) and XSD + datatype in f.datatypes:
                value = text + ":00" if datatype == "dateTime" and text.count(":") == 1 else text
                return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))
        return ox.Literal(text)
    if f.kind in (IRI, CHOICE) and re.match(r"^https?://\S+$", text):
        try:
            return ox.NamedNode(text)
        except ValueError:
            return ox.Literal(text)
    return ox.Literal(text)


def _values(form: Mapping[str, Sequence[str]], name: str) -> list[str]:
    return [v.strip() for v in form.get(name, ()) if v and v.strip()]


def _field_objects(
    section: Section, f: Field, form: Mapping[str, Sequence[str]]
) -> list[ox.NamedNode | ox.Literal]:
    if f.kind == LANGUAGE_TAGGED:
        return [
            ox.Literal(v, language=lang)
            for lang in f.languages
            for v in _values(form, input_name(section, f, lang))
        ]
    return [_literal_for(f, v) for v in _values(form, input_name(section, f))]


def build(form: Mapping[str, Sequence[str]], organisation: str, store: Store) -> Built:
    """The triples of a form submission: the organisation's statements and new resources."""
    built = Built()
    org = ox.NamedNode(organisation)
    built.subjects[organisation] = "org"
    taken: set[str] = set()
    for section in SECTIONS:
        objects = {f.path: _field_objects(section, f, form) for f in section.fields}
        if not any(objects.values()):
            continue
        if section.mint is None:
            subject = org
        else:
            name = next((o.value for o in objects.get(str(RDFS_LABEL), [])), section.key)
            subject = _mint(store, section.mint, name, taken)
            built.subjects[subject.value] = section.key
            cls = target_class(section.shape)
            if cls:
                built.triples.append(ox.Triple(subject, RDF_TYPE, ox.NamedNode(cls)))
            built.triples.extend(_relation(section, form, org, subject))
        for path, values in objects.items():
            for value in values:
                built.triples.append(ox.Triple(subject, ox.NamedNode(path), value))
    return built


RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _relation(
    section: Section, form: Mapping[str, Sequence[str]], org: ox.NamedNode, new: ox.NamedNode
) -> list[ox.Triple]:
    options = relations(section)
    chosen = next(iter(_values(form, f"{section.key}.relation")), None)
    relation = next((r for r in options if r.value == chosen), options[0] if options else None)
    if relation is None:
        return []
    if relation.inverse:
        return [ox.Triple(new, ox.NamedNode(relation.path), org)]
    return [ox.Triple(org, ox.NamedNode(relation.path), new)]


def field_errors(
    violations: list[Violation], built: Built
) -> tuple[dict[str, list[str]], list[str]]:
    """SHACL messages keyed by input name prefix (`section.field`), and those that fit no field."""
    by_field: dict[str, list[str]] = {}
    other: list[str] = []
    keys = {s.key: {f.path: f.key for f in s.fields} for s in SECTIONS}
    for v in violations:
        section = built.subjects.get(v.focus)
        key = keys.get(section or "", {}).get(v.path or "")
        if section and key:
            messages = by_field.setdefault(f"{section}.{key}", [])
            if v.message not in messages:
                messages.append(v.message)
        elif v.message not in other:
            other.append(v.message)
    return by_field, other


__all__ = ["SECTIONS", "Built", "Section", "build", "field_errors", "input_name", "short"]
