"""Form fields read from the shapes: names, help, cardinalities, allowed values, en/fr labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH, XSD
from rdflib.term import Node

from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.prefixes import PREFIXES
from commons_graph.store.base import Store
from commons_graph.validation import shapes_graph

LANGUAGE_TAGGED = "language"  # one text input per language
CHOICE = "choice"  # a select of existing resources or listed values
DATE = "date"
IRI = "iri"
TEXT = "text"


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice field."""

    value: str
    label: str


@dataclass
class Field:
    """One input of a form section, read from a property shape."""

    key: str
    path: str
    kind: str
    label: dict[str, str]
    help: dict[str, str]
    group: str | None
    group_label: dict[str, str]
    order: float
    required: bool
    multiple: bool
    languages: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    datatypes: tuple[str, ...] = ()
    long_text: bool = False
    options: list[Option] = field(default_factory=list)

    def text(self, what: str, lang: str) -> str:
        """The label or help text in `lang`, falling back to English."""
        texts = self.label if what == "label" else self.help
        return texts.get(lang) or texts.get("en") or ""


def short(iri: str) -> str:
    """A compact, HTML-safe key for an IRI (prefix_local)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}_{iri[len(namespace) :]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _texts(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    return {
        (o.language or "en"): str(o)
        for o in graph.objects(node, predicate)
        if isinstance(o, Literal)
    }


def _list(graph: Graph, node: Node | None) -> list[Node]:
    return [] if node is None else list(Collection(graph, node))


def _alternatives(graph: Graph, shape: Node, predicate: URIRef) -> list[Node]:
    """Values of `predicate` on the shape itself or on its sh:or alternatives."""
    found = list(graph.objects(shape, predicate))
    for alternative in _list(graph, graph.value(shape, SH["or"])):
        found.extend(graph.objects(alternative, predicate))
    return found


@cache
def node_shape_fields(shape_iri: str) -> tuple[Field, ...]:
    """The fields of a node shape, in sh:group then sh:order order, one per path."""
    graph = shapes_graph()
    fields: dict[str, Field] = {}
    for prop in graph.objects(URIRef(shape_iri), SH.property):
        path = graph.value(prop, SH.path)
        if not isinstance(path, URIRef) or str(path) in fields:
            continue
        max_count = graph.value(prop, SH.maxCount)
        if max_count is not None and int(str(max_count)) == 0:
            continue  # forbidden properties (e.g. persons' e-mail) get no input
        fields[str(path)] = _field(graph, prop, path, max_count)
    return tuple(
        sorted(fields.values(), key=lambda f: (_group_order(graph, f.group), f.order, f.key))
    )


def _field(graph: Graph, prop: Node, path: URIRef, max_count: Node | None) -> Field:
    group = graph.value(prop, SH.group)
    languages = tuple(str(x) for x in _list(graph, graph.value(prop, SH.languageIn)))
    classes = tuple(str(c) for c in _alternatives(graph, prop, SH["class"]))
    datatypes = tuple(str(d) for d in _alternatives(graph, prop, SH.datatype))
    allowed = tuple(str(v) for v in _list(graph, graph.value(prop, SH["in"])))
    node_kind = graph.value(prop, SH.nodeKind)
    if languages or str(path) == str(RDFS.label):
        kind = LANGUAGE_TAGGED
        languages = languages or LANGUAGES
    elif classes or allowed:
        kind = CHOICE
    elif any(d in (str(XSD.date), str(XSD.gYear), str(XSD.dateTime)) for d in datatypes):
        kind = DATE
    elif node_kind == SH.IRI:
        kind = IRI
    else:
        kind = TEXT
    min_count = graph.value(prop, SH.minCount)
    order = graph.value(prop, SH.order)
    return Field(
        key=short(str(path)),
        path=str(path),
        kind=kind,
        label=_texts(graph, prop, SH.name),
        help=_texts(graph, prop, SH.description),
        group=None if group is None else str(group),
        group_label={} if group is None else _texts(graph, group, RDFS.label),
        order=float(str(order)) if order is not None else 1000.0,
        required=min_count is not None and int(str(min_count)) > 0,
        multiple=max_count is None or int(str(max_count)) > 1,
        languages=languages,
        classes=classes,
        allowed=allowed,
        datatypes=datatypes,
        long_text=str(path).endswith(("description", "purpose", "mission")),
    )


def _group_order(graph: Graph, group: str | None) -> float:
    if group is None:
        return 1000.0
    order = graph.value(URIRef(group), SH.order)
    return float(str(order)) if order is not None else 1000.0


def target_class(shape_iri: str) -> str | None:
    """The class a node shape targets."""
    value = shapes_graph().value(URIRef(shape_iri), SH.targetClass)
    return None if value is None else str(value)


def shape_label(shape_iri: str, lang: str) -> str:
    """The label of a node shape in `lang`."""
    texts = _texts(shapes_graph(), URIRef(shape_iri), RDFS.label)
    return texts.get(lang) or texts.get("en") or short(shape_iri)


_OPTIONS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?item ?label WHERE {
  ?item a ?class .
  FILTER(isIRI(?item))
  OPTIONAL { ?item skos:prefLabel|rdfs:label ?label }
}"""


def options_for(store: Store, classes: tuple[str, ...], lang: str) -> list[Option]:
    """The resources of the given classes in the store, labelled in `lang` (SKOS or RDFS)."""
    labels: dict[str, dict[str, str]] = {}
    for cls in classes:
        for row in store.select(_OPTIONS_QUERY, {"class": ox.NamedNode(cls)}).dicts():
            item = row["item"].value  # type: ignore[union-attr]
            texts = labels.setdefault(item, {})
            label = row.get("label")
            if isinstance(label, ox.Literal):
                texts.setdefault(label.language or "", label.value)
    options = [
        Option(item, texts.get(lang) or texts.get("en") or next(iter(texts.values()), short(item)))
        for item, texts in labels.items()
    ]
    return sorted(options, key=lambda o: o.label.casefold())


def with_options(fields: tuple[Field, ...], store: Store, lang: str) -> list[Field]:
    """Copies of the fields with the choices of choice fields filled from the store."""
    filled = []
    for f in fields:
        copy = Field(**{**f.__dict__, "options": []})
        if f.kind == CHOICE:
            if f.allowed:
                copy.options = [Option(v, short(v)) for v in f.allowed]
            else:
                copy.options = options_for(store, f.classes, lang)
        filled.append(copy)
    return filled
