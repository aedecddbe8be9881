"""Documentation of the ontology (classes, properties) and of the SKOS concept schemes."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from commons_graph.rdf.namespaces import (
    BASE,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    OWL,
    RDF,
    RDF_TYPE,
    RDFS,
    SKOS,
)
from commons_graph.store.base import Store
from commons_graph.views.curies import curie
from commons_graph.views.labels import (
    Labels,
    fetch_labels,
    pick,
    readable_name,
    short_name,
    sort_key,
)
from commons_graph.views.sparql import PROLOGUE, values

CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_TYPES = (
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
)
# Statements that relate a term to other vocabularies, shown as its alignments.
ALIGNMENTS = (
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    OWL + "inverseOf",
    SKOS + "exactMatch",
    SKOS + "closeMatch",
    SKOS + "broadMatch",
    SKOS + "narrowMatch",
    SKOS + "relatedMatch",
    RDFS + "seeAlso",
)

_TERMS = """
SELECT ?term ?p ?o WHERE {{
  {kinds} ?term a ?kind .
  FILTER(isIRI(?term) && STRSTARTS(STR(?term), {namespace}))
  ?term ?p ?o .
}}
"""
_UNIONS = """
SELECT ?b ?member WHERE {{
  {kinds} ?term a ?kind . FILTER(STRSTARTS(STR(?term), {namespace}))
  ?term rdfs:domain|rdfs:range ?b . FILTER(isBlank(?b))
  ?b owl:unionOf/rdf:rest*/rdf:first ?member .
}}
"""
_CONCEPTS = """
SELECT ?c ?p ?o WHERE {{ {v} ?c skos:inScheme ?scheme . ?c ?p ?o . {p} }}
"""


@dataclass(frozen=True)
class Ref:
    """A term referred to by the documentation: IRI, compact name, label."""

    iri: str
    curie: str
    label: str


@dataclass
class TermDoc:
    """One class or property: labels and comments by language, domain, range, alignments."""

    iri: str
    anchor: str
    curie: str
    kinds: list[Ref] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    alignments: list[tuple[Ref, Ref]] = field(default_factory=list)

    def label(self, lang: str) -> str:
        """The term's label in `lang` (with fallbacks)."""
        return pick(self.labels, lang) or readable_name(self.iri)

    def comment(self, lang: str) -> str | None:
        """The term's comment in `lang` (with fallbacks)."""
        return pick(self.comments, lang) if self.comments else None


@dataclass
class OntologyDoc:
    """The ontology: its own metadata, its classes and its properties."""

    iri: str
    title: str
    description: str | None
    version: str | None
    license: str | None
    classes: list[TermDoc]
    properties: list[TermDoc]


def ontology_doc(store: Store, lang: str) -> OntologyDoc | None:
    """Document every class and property of the ontology namespace; None when not loaded."""
    namespace = ONTOLOGY_IRI + "#"
    kinds = values("kind", [NamedNode(k) for k in (*CLASS_TYPES, *PROPERTY_TYPES)])
    query = PROLOGUE + _TERMS.format(kinds=kinds, namespace=Literal(namespace))
    rows = store.select(query).rows
    unions: dict[str, list[str]] = {}
    for blank, member in store.select(
        PROLOGUE + _UNIONS.format(kinds=kinds, namespace=Literal(namespace))
    ).rows:
        if isinstance(blank, BlankNode) and isinstance(member, NamedNode):
            unions.setdefault(blank.value, []).append(member.value)
    referenced = {namespace}
    for _, predicate, obj in rows:
        if isinstance(obj, NamedNode):
            referenced.add(obj.value)
        if isinstance(predicate, NamedNode):
            referenced.add(predicate.value)
    referenced |= {m for members in unions.values() for m in members}
    labels = fetch_labels(store, referenced | {ONTOLOGY_IRI}, lang)
    terms: dict[str, TermDoc] = {}
    for term, predicate, obj in rows:
        if not isinstance(term, NamedNode) or not isinstance(predicate, NamedNode):
            continue
        doc = terms.setdefault(
            term.value, TermDoc(term.value, term.value[len(namespace) :], curie(term.value))
        )
        _add_to_term(doc, predicate.value, obj, labels, unions)
    meta = _ontology_metadata(store, lang)
    if not terms and not meta:
        return None
    ordered = sorted(terms.values(), key=lambda d: d.anchor.casefold())
    classes = [d for d in ordered if any(k.iri in CLASS_TYPES for k in d.kinds)]
    properties = [d for d in ordered if any(k.iri in PROPERTY_TYPES for k in d.kinds)]
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=meta.get("title") or labels(ONTOLOGY_IRI),
        description=meta.get("description"),
        version=meta.get("version"),
        license=meta.get("license"),
        classes=classes,
        properties=properties,
    )


def _ref(iri: str, labels: Labels) -> Ref:
    """A reference to `iri` with its label."""
    return Ref(iri, curie(iri), labels(iri))


def _add_to_term(
    doc: TermDoc, predicate: str, obj: object, labels: Labels, unions: dict[str, list[str]]
) -> None:
    """Record one statement about a term in its documentation."""
    if predicate == RDF_TYPE.value and isinstance(obj, NamedNode):
        doc.kinds.append(_ref(obj.value, labels))
    elif predicate == RDFS + "label" and isinstance(obj, Literal) and obj.value.strip():
        doc.labels.setdefault(obj.language or "", obj.value)
    elif predicate == RDFS + "comment" and isinstance(obj, Literal):
        doc.comments.setdefault(obj.language or "", obj.value)
    elif predicate in (RDFS + "domain", RDFS + "range"):
        target = doc.domain if predicate.endswith("domain") else doc.range
        if isinstance(obj, NamedNode):
            target.append(_ref(obj.value, labels))
        elif isinstance(obj, BlankNode):
            target.extend(_ref(m, labels) for m in unions.get(obj.value, []))
    elif predicate in ALIGNMENTS and isinstance(obj, NamedNode):
        doc.alignments.append((_ref(predicate, labels), _ref(obj.value, labels)))


def _ontology_metadata(store: Store, lang: str) -> dict[str, str]:
    """Title, description, version and licence of the ontology itself."""
    found: dict[str, dict[str, str]] = {}
    keys = {
        "http://purl.org/dc/terms/title": "title",
        "http://purl.org/dc/terms/description": "description",
        OWL + "versionInfo": "version",
        "http://purl.org/dc/terms/license": "license",
    }
    query = PROLOGUE + "SELECT ?p ?o WHERE { " + values("s", [NamedNode(ONTOLOGY_IRI)])
    query += " ?s ?p ?o . " + values("p", [NamedNode(k) for k in keys]) + " }"
    for predicate, obj in store.select(query).rows:
        if isinstance(predicate, NamedNode) and obj is not None:
            tag = obj.language or "" if isinstance(obj, Literal) else ""
            found.setdefault(keys[predicate.value], {}).setdefault(
                tag, str(getattr(obj, "value", ""))
            )
    return {key: pick(texts, lang) or "" for key, texts in found.items()}


def ontology_triples(store: Store) -> list[Triple]:
    """The ontology graph as triples, for RDF clients."""
    return [quad.triple for quad in store.quads(NamedNode(ONTOLOGY_GRAPH))]


@dataclass(frozen=True)
class ConceptDoc:
    """A concept of a scheme: its label and definition in the page language."""

    iri: str
    label: str
    definition: str | None


@dataclass
class SchemeDoc:
    """A SKOS concept scheme and its concepts, sorted by label."""

    iri: str
    label: str
    description: str | None
    concepts: list[ConceptDoc]


def scheme_doc(store: Store, iri: str, lang: str) -> SchemeDoc | None:
    """The scheme `iri` with each concept's label and definition, in two queries."""
    scheme = NamedNode(iri)
    meta = fetch_labels(store, [iri], lang)
    described = fetch_labels(store, [iri], lang, ("http://purl.org/dc/terms/description",))
    props = values("p", [NamedNode(SKOS + "prefLabel"), NamedNode(SKOS + "definition")])
    query = PROLOGUE + _CONCEPTS.format(v=values("scheme", [scheme]), p=props)
    texts: dict[str, dict[str, dict[str, str]]] = {}
    for concept, predicate, obj in store.select(query).rows:
        if isinstance(concept, NamedNode) and isinstance(obj, Literal) and obj.value.strip():
            key = "label" if str(predicate).endswith("prefLabel>") else "definition"
            entry = texts.setdefault(concept.value, {"label": {}, "definition": {}})
            entry[key].setdefault(obj.language or "", obj.value)
    if not texts and meta.get(iri) is None:
        return None
    concepts = [
        ConceptDoc(
            concept,
            pick(entry["label"], lang) or readable_name(concept),
            pick(entry["definition"], lang) if entry["definition"] else None,
        )
        for concept, entry in texts.items()
    ]
    concepts.sort(key=lambda c: sort_key(c.label))
    return SchemeDoc(iri, meta.get(iri) or short_name(iri), described.get(iri), concepts)


def schemes(store: Store, lang: str) -> list[Ref]:
    """Every concept scheme under the project's base, with its label."""
    query = PROLOGUE + (
        "SELECT DISTINCT ?s WHERE { ?s a skos:ConceptScheme . "
        f"FILTER(STRSTARTS(STR(?s), {Literal(BASE + 'scheme/')})) }}"
    )
    iris = [row[0].value for row in store.select(query).rows if isinstance(row[0], NamedNode)]
    labels = fetch_labels(store, iris, lang)
    refs = [Ref(iri, curie(iri), labels.get(iri) or short_name(iri)) for iri in iris]
    return sorted(refs, key=lambda r: r.label.casefold())
