"""What the search index holds about a resource, read from the store in batches.

A document is one IRI subject with its names (every label property, every language), other
names and identifiers, descriptions and keywords, its classes, and the labels of what it links
to (other resources' names, and the literals of blank nodes it points to, such as an
address). It is read across every named graph except those that only describe other writes
(provenance) or the service's rules (shapes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from commons_graph.rdf.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    GRAPH,
    ORG,
    RDF_TYPE,
    SCHEMA,
    SKOS,
)
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block
from commons_graph.views.groups import DESCRIPTION_PROPERTIES
from commons_graph.views.labels import LABEL_PROPERTIES

# Graphs whose subjects are not searched: what was done (PROV of every write, growing with
# each contribution) and the SHACL shapes.
# The record of writes, the shapes, and the derived relations (explanations, not names: a
# related organisation's name must not make a resource match).
EXCLUDED_GRAPHS = frozenset({GRAPH + "provenance", GRAPH + "shapes", GRAPH + "derived-relations"})

NAME_PROPERTIES = frozenset(LABEL_PROPERTIES)
OTHER_NAME_PROPERTIES = frozenset(
    {
        SKOS + "altLabel",
        SKOS + "hiddenLabel",
        SKOS + "notation",
        SCHEMA + "alternateName",
        SCHEMA + "legalName",
        FOAF + "nick",
        DCTERMS + "identifier",
        SCHEMA + "identifier",
        ORG + "identifier",
        SCHEMA + "keywords",
        DCAT + "keyword",
        DCTERMS + "alternative",
    }
)
BODY_PROPERTIES = frozenset({*DESCRIPTION_PROPERTIES, SCHEMA + "description", DCTERMS + "abstract"})

# Subjects read per query, and bounds that keep one document's size in check.
BATCH = 400
MAX_TEXTS = 200
MAX_TEXT_CHARS = 4000

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_EXCLUDED = " ".join(f"<{g}>" for g in sorted(EXCLUDED_GRAPHS))
_STATEMENTS = f"""
SELECT ?s ?p ?o ?g WHERE {{{{ {{values}} GRAPH ?g {{{{ ?s ?p ?o }}}}
  FILTER(?g NOT IN ({_EXCLUDED.replace(" ", ", ")})) }}}}
"""
# A UNION of the label properties: twenty times faster here than `?o ?p ?l` with the
# properties in a VALUES block (0.06 against 1.6 s for 400 resources at 100k triples).
_NAMES = (
    "SELECT ?o ?l WHERE {{ {values} "
    + " UNION ".join(f"{{{{ ?o <{p}> ?l }}}}" for p in LABEL_PROPERTIES)
    + " FILTER(isLiteral(?l)) }}"
)
_PART_TEXTS = "SELECT ?o ?l WHERE {{ {values} ?o ?p ?l . FILTER(isLiteral(?l)) }}"
_BLANK_TEXTS = f"""
SELECT ?s ?l WHERE {{{{ {{values}} GRAPH ?g {{{{ ?s ?p ?b . ?b ?q ?l }}}}
  FILTER(isBlank(?b) && isLiteral(?l) && ?g NOT IN ({_EXCLUDED.replace(" ", ", ")})) }}}}
"""
_SUBJECTS_OF = """
SELECT DISTINCT ?s WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }}
"""
_ALL_SUBJECTS = f"""
SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && ?g NOT IN ({_EXCLUDED.replace(" ", ", ")})) }}
"""
# The kind of each property, for reading statements.
OTHER_KIND, NAME_KIND, OTHER_NAME_KIND, BODY_KIND, TYPE_KIND = range(5)
_KINDS = {
    **dict.fromkeys(BODY_PROPERTIES, BODY_KIND),
    **dict.fromkeys(OTHER_NAME_PROPERTIES, OTHER_NAME_KIND),
    **dict.fromkeys(NAME_PROPERTIES, NAME_KIND),
}


@dataclass
class Document:
    """One searchable resource."""

    iri: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (text, language tag)
    other_names: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)
    link_texts: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)

    @property
    def has_text(self) -> bool:
        """Whether there is anything to find it by."""
        return bool(self.names or self.other_names or self.body)


# Control characters are never text to find, and the snippet markers are control characters:
# none may reach the index (line breaks and tabs become spaces too).
_CONTROLS = {c: " " for c in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    kept = text[:MAX_TEXT_CHARS]
    # (most texts hold none: searching is much faster than translating character by character)
    return kept.translate(_CONTROLS) if _CONTROL.search(kept) else kept


def _is_text(term: Literal) -> bool:
    return term.datatype.value in (_XSD_STRING, _RDF_LANG_STRING)


def _batches(iris: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(iris), BATCH):
        yield iris[start : start + BATCH]


def subjects_of_graphs(store: Store, graphs: Iterable[str]) -> set[str]:
    """The IRI subjects of statements in `graphs` (searched graphs only)."""
    wanted = sorted(set(graphs) - EXCLUDED_GRAPHS)
    found: set[str] = set()
    for batch in _batches(wanted):
        query = _SUBJECTS_OF.format(values=values_block("g", [NamedNode(g) for g in batch]))
        found.update(r[0].value for r in store.select(query).rows if isinstance(r[0], NamedNode))
    return found


def all_subjects(store: Store) -> list[str]:
    """Every IRI subject of the searched graphs."""
    rows = store.select(_ALL_SUBJECTS).rows
    return sorted({r[0].value for r in rows if isinstance(r[0], NamedNode)})


def read_documents(
    store: Store, iris: Iterable[str], names: dict[str, list[str]] | None = None
) -> Iterator[Document]:
    """The documents of `iris`, batch by batch (subjects with nothing to find are included,
    with `has_text` false, so that the caller drops them from the index). `names` keeps the
    names of linked resources from one batch to the next (a rebuild links the same values,
    themes and places thousands of times)."""
    known = {} if names is None else names
    for batch in _batches(sorted(set(iris))):
        docs = [Document(iri) for iri in batch]
        blank = _read_statements(store, docs)
        _learn_names(store, docs, known)
        _add_link_texts(store, docs, known, blank)
        yield from docs


def _kind(prop: NamedNode) -> int:
    """How a statement with property `prop` adds to a document."""
    return TYPE_KIND if prop == RDF_TYPE else _KINDS.get(prop.value, OTHER_KIND)


def _read_statements(store: Store, docs: list[Document]) -> bool:
    """Read the statements of `docs` (in their searched graphs); whether any points to a blank
    node (whose texts are read then: most resources have none, and a write's update costs one
    query fewer)."""
    by_iri = {doc.iri: doc for doc in docs}
    subjects = values_block("s", [NamedNode(doc.iri) for doc in docs])
    blank = False
    for s, p, o, g in store.select(_STATEMENTS.format(values=subjects)).rows:
        doc = by_iri.get(s.value) if isinstance(s, NamedNode) else None
        if doc is None or not isinstance(p, NamedNode):
            continue
        blank = blank or isinstance(o, BlankNode)
        if isinstance(g, NamedNode):
            doc.graphs.add(g.value)
        _add_object(doc, _kind(p), o)
    return blank


def _add_object(doc: Document, kind: int, o: object) -> None:
    """Add what one statement of the document says (its property's kind, its object)."""
    if isinstance(o, NamedNode):
        if kind == TYPE_KIND:
            doc.types.add(o.value)
        if len(doc.links) < MAX_TEXTS:
            doc.links.add(o.value)
    elif isinstance(o, Literal) and _is_text(o):
        text = _clean(o.value)
        if kind == NAME_KIND:
            if len(doc.names) < MAX_TEXTS:
                doc.names.append((text, (o.language or "").lower()))
        elif kind == OTHER_NAME_KIND:
            if len(doc.other_names) < MAX_TEXTS:
                doc.other_names.append(text)
        elif kind == BODY_KIND and len(doc.body) < MAX_TEXTS:
            doc.body.append(text)


def _learn_names(store: Store, docs: list[Document], known: dict[str, list[str]]) -> None:
    """Add to `known` the names of the resources `docs` link to that it lacks."""
    linked = sorted({iri for d in docs for iri in d.links})
    known.update(read_names(store, [iri for iri in linked if iri not in known]))


def _add_link_texts(
    store: Store, docs: list[Document], names: dict[str, list[str]], blank: bool
) -> None:
    """The texts of what each document links to: names, its own parts' texts, and the
    literals of the blank nodes it points to (read only if `blank`)."""
    by_iri = {doc.iri: doc for doc in docs}
    linked = sorted({iri for d in docs for iri in d.links})
    # A resource's own parts (`<x#address>`) are read whole: their texts are the resource's.
    parts = [iri for iri in linked if "#" in iri and iri.split("#")[0] in by_iri]
    texts = _part_texts(store, parts)
    for doc in docs:
        for iri in sorted(doc.links):
            doc.link_texts.extend(names.get(iri, ())[:4])
            doc.link_texts.extend(texts.get(iri, ())[:MAX_TEXTS])
    if not blank:
        return
    subjects = values_block("s", [NamedNode(doc.iri) for doc in docs])
    for s, text in store.select(_BLANK_TEXTS.format(values=subjects)).rows:
        owner = by_iri.get(s.value) if isinstance(s, NamedNode) else None
        if owner is not None and isinstance(text, Literal) and len(owner.link_texts) < MAX_TEXTS:
            owner.link_texts.append(_clean(text.value))


def _part_texts(store: Store, iris: list[str]) -> dict[str, list[str]]:
    """The text literals of each of `iris`."""
    found: dict[str, list[str]] = {}
    for batch in _batches(iris):
        query = _PART_TEXTS.format(values=values_block("o", [NamedNode(i) for i in batch]))
        for o, value in store.select(query).rows:
            if isinstance(o, NamedNode) and isinstance(value, Literal) and _is_text(value):
                found.setdefault(o.value, []).append(_clean(value.value))
    return found


def read_names(store: Store, iris: list[str]) -> dict[str, list[str]]:
    """Every name of each of `iris` (any language), for the labels of links."""
    names: dict[str, list[str]] = {iri: [] for iri in iris}
    for batch in _batches(iris):
        query = _NAMES.format(values=values_block("o", [NamedNode(i) for i in batch]))
        for o, label in store.select(query).rows:
            if isinstance(o, NamedNode | BlankNode) and isinstance(label, Literal):
                names.setdefault(o.value, []).append(_clean(label.value))
    return names
