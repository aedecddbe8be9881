"""Reading every document of the embedded store at once, for a rebuild of the index.

`read_documents` asks for the statements of 400 subjects at a time (a VALUES block) and for
the names of what they link to, after a first query listing every subject; on the embedded
store the rebuild reads instead each searched graph's statements straight from Oxigraph, and
every name once: the same documents (tests/search/test_scanning.py compares them), in about
half the time (docs/benchmarks.md, "Rebuilding the search index").

The lists of a document keep the order in which its statements come. A subject's statements
come from `_STATEMENTS` in Oxigraph's subject-first index order, and from one graph's scan in
that graph's index order: the same for a subject with statements in one searched graph, not
for one with statements in several, whose statements are read again by `_STATEMENTS`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store

from commons_graph.search.documents import (
    _NAMES,
    BATCH,
    EXCLUDED_GRAPHS,
    Document,
    _add_link_texts,
    _add_object,
    _clean,
    _kind,
    _read_statements,
)
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.sparql_text import values_block
from commons_graph.views.labels import LABEL_PROPERTIES


def scan_documents(store: EmbeddedStore) -> tuple[int, Iterator[Document]]:
    """How many subjects the searched graphs hold, and their documents in the order of their
    IRIs (as `read_documents` of every subject gives them)."""
    docs, blank = _scan_statements(store)
    return len(docs), _with_link_texts(store, docs, blank)


def _scan_statements(store: EmbeddedStore) -> tuple[dict[str, Document], set[str]]:
    """Every IRI subject's document from its statements, by IRI; the subjects pointing to a
    blank node."""
    native = store.native
    docs: dict[str, Document] = {}
    blank: set[str] = set()
    several: list[Document] = []  # subjects with statements in more than one searched graph
    for graph in store.named_graphs():
        if graph.value in EXCLUDED_GRAPHS:
            continue
        name = graph.value
        for quad in native.quads_for_pattern(None, None, None, graph):
            subject = quad.subject
            if not isinstance(subject, NamedNode):
                continue
            iri = subject.value
            doc = docs.get(iri)
            if doc is None:
                doc = docs[iri] = Document(iri)
            if name not in doc.graphs:
                if doc.graphs:
                    several.append(doc)
                doc.graphs.add(name)
            value = quad.object
            if isinstance(value, BlankNode):
                blank.add(iri)
            _add_object(doc, _kind(quad.predicate), value)
    _read_again(store, several)
    return dict(sorted(docs.items())), blank


def _read_again(store: EmbeddedStore, docs: list[Document]) -> None:
    """Read the statements of `docs` again in the order `read_documents` reads them."""
    unique = list({doc.iri: doc for doc in docs}.values())
    for start in range(0, len(unique), BATCH):
        batch = unique[start : start + BATCH]
        for doc in batch:
            doc.names, doc.other_names, doc.body = [], [], []
            doc.links, doc.types = set(), set()
        _read_statements(store, batch)


def _all_names(store: EmbeddedStore) -> dict[str, list[str]]:
    """Every name of every IRI (any language, any graph), in the order `read_names` reads
    them: by property in the order its query gives them, those in the default graph first,
    then as each property's scan gives them."""
    native = store.native
    found: dict[str, dict[tuple[str, bool], list[str]]] = {}
    for prop in LABEL_PROPERTIES:
        for quad in native.quads_for_pattern(None, NamedNode(prop), None, None):
            subject, label = quad.subject, quad.object
            if isinstance(subject, NamedNode) and isinstance(label, Literal):
                by_prop = found.get(subject.value)
                if by_prop is None:
                    by_prop = found[subject.value] = {}
                named = isinstance(quad.graph_name, NamedNode)
                by_prop.setdefault((prop, named), []).append(_clean(label.value))
    order = [(prop, named) for prop in _names_order() for named in (False, True)]
    names: dict[str, list[str]] = {}
    for iri, by_prop in found.items():
        if len(by_prop) == 1:
            (names[iri],) = by_prop.values()
        else:
            names[iri] = [text for key in order if key in by_prop for text in by_prop[key]]
    return names


@functools.cache
def _names_order() -> tuple[str, ...]:
    """The label properties in the order `read_names`'s query gives a resource's names (the
    order Oxigraph's plan puts the branches of its UNION in, whatever the data): asked of a
    store in memory holding one name by each, the property itself."""
    probe = Store()
    subject = NamedNode("urn:x-commons-graph:probe")
    probe.extend(Quad(subject, NamedNode(p), Literal(p), DefaultGraph()) for p in LABEL_PROPERTIES)
    query = _NAMES.format(values=values_block("o", [subject]))
    solutions = probe.query(query)
    assert isinstance(solutions, QuerySolutions)
    order = tuple(label.value for _, label in solutions if isinstance(label, Literal))
    assert sorted(order) == sorted(LABEL_PROPERTIES), order
    return order


def _with_link_texts(
    store: EmbeddedStore, docs: dict[str, Document], blank: set[str]
) -> Iterator[Document]:
    """The documents with the texts of what they link to, batch by batch as `read_documents`
    reads them (a resource's parts are read with the resources of its batch)."""
    names = _all_names(store)
    ordered = list(docs.values())
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        _add_link_texts(store, batch, names, any(doc.iri in blank for doc in batch))
        yield from batch
