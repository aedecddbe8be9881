"""The network model following writes: only what a write touched is read again and patched.

After a write, the store's change listener (`ModelFollower.note`) takes note of the resources
whose statements may have changed: the subjects of the statements a commit deleted or inserted,
and every resource a dropped or rewritten graph described before (the model's footprints) or
describes now. Everything the model holds about a resource comes from statements of which it
is the subject (its labels, its kind, the links it states) or of which it is the object (the
links to it, which count only while it is itself described): so reading again the statements
of those resources (and, for one that starts or stops being described, the links to it) is
enough to patch the model. The patch is a new model sharing what did not change with the one
readers hold (copy on write): readers never see a half-updated model.

Whatever the notes cannot describe (a load, a stream, a change of the classes of the node
kinds, a large graph dropped or rewritten, too many resources) makes the model again whole.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import networkx as nx
from pyoxigraph import Literal, NamedNode

from commons_graph.network.links import (
    DERIVED_GRAPH,
    RELATED_TO,
    is_link_graph,
    is_link_predicate,
    is_own_part,
)
from commons_graph.network.model import (
    _LABEL_RANK,
    FOOTPRINT_MAX,
    NetworkModel,
    Stored,
    kinds_of_classes,
)
from commons_graph.network.nodekinds import NODE_KINDS
from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.listeners import StoreChange
from commons_graph.store.sparql_text import values_block

log = logging.getLogger("commons_graph.network")

# Past this many resources touched since the model was made, making it whole is as cheap.
MAX_TOUCHED = 20_000
# Resources read per query.
_CHUNK = 500
_RANK = {key: i for i, key in enumerate(NODE_KINDS)}


@dataclass
class Notes:
    """What the writes since the model's last computation may have changed."""

    # Resources whose statements may have changed (subjects of deleted or inserted ones).
    subjects: set[str] = field(default_factory=set)
    # Graphs dropped or written whole (their old and new subjects are touched).
    rewritten: set[str] = field(default_factory=set)
    # Subjects inserted into each graph (the graph's footprint grows by them).
    inserted: dict[str, set[str]] = field(default_factory=dict)
    # Something the notes cannot describe: the model must be made whole.
    unknown: bool = False


class ModelFollower:
    """The network model's Follower (store/derived.py): notes writes, patches the model."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notes = Notes()

    def note(self, store: Store, change: StoreChange) -> None:
        """Take note of the resources and graphs a successful write may have changed."""
        with self._lock:
            notes = self._notes
            if notes.unknown:
                return
            if change.graphs is None:
                notes.unknown = True
                return
            written = change.written
            if written is None:
                # A load or a stream: only its graphs are known.
                notes.rewritten.update(g.value for g in change.graphs)
                return
            notes.rewritten.update(g.value for g in written.drop_graphs)
            intern = sys.intern
            for quads, inserting in ((written.delete, False), (written.insert, True)):
                for quad in quads:
                    if not isinstance(quad.graph_name, NamedNode):
                        notes.unknown = True  # the model's notes are by named graph
                        return
                    if not isinstance(quad.subject, NamedNode):
                        continue  # a blank node is no resource of the model
                    subject = intern(quad.subject.value)
                    notes.subjects.add(subject)
                    if inserting:
                        notes.inserted.setdefault(quad.graph_name.value, set()).add(subject)
                    if len(notes.subjects) > MAX_TOUCHED:
                        # (checked per statement: an import's commit may hold a million)
                        self._notes = Notes(unknown=True)
                        return

    def take(self) -> Notes:
        """The notes so far; the next write starts new ones."""
        with self._lock:
            notes, self._notes = self._notes, Notes()
        return notes

    def apply(self, store: Store, value: NetworkModel, notes: object) -> NetworkModel | None:
        """The model after the writes of `notes`, or None when it must be made whole."""
        assert isinstance(notes, Notes)
        if notes.unknown:
            return None
        started = time.perf_counter()
        model = follow(store, value, notes)
        if model is not None:
            model.seconds = time.perf_counter() - started
            log.debug("network model followed a write in %.3f s", model.seconds)
        return model


@dataclass
class _Read:
    """What the store says now about one resource, from the statements it is the subject of."""

    described: bool = False
    kind: str | None = None
    texts: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Links it states: target -> relations (predicate, derived).
    links: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)


def follow(store: Store, model: NetworkModel, notes: Notes) -> NetworkModel | None:
    """`model` patched with what the store says now about the resources `notes` touched."""
    generation = store.generation
    if "" in model.large or "" in model.footprints:
        return None  # statements in the default graph: the notes do not say where they go
    kind_of_class = kinds_of_classes(store)
    if kind_of_class != model.kind_of_class:
        return None
    footprints = dict(model.footprints)
    large = set(model.large)
    touched = set(notes.subjects)
    for graph in sorted(notes.rewritten):
        if graph in large:
            return None
        touched |= footprints.pop(graph, frozenset())
        now: set[str] = set()
        for quad in store.quads(NamedNode(graph)):
            if isinstance(quad.subject, NamedNode):
                now.add(sys.intern(quad.subject.value))
                if len(now) > FOOTPRINT_MAX:
                    return None
        touched |= now
        if now:
            footprints[graph] = frozenset(now)
    for graph, added in notes.inserted.items():
        if graph in large:
            continue
        grown = footprints.get(graph, frozenset()) | added
        if len(grown) > FOOTPRINT_MAX:
            footprints.pop(graph, None)
            large.add(graph)
        else:
            footprints[graph] = grown
    if len(touched) > MAX_TOUCHED:
        return None
    adjacency = model.graph._adj
    read = _read_resources(store, touched, kind_of_class)
    # Targets of the links read that are neither touched nor nodes already: described?
    unknown_targets = {
        target
        for found in read.values()
        for target in found.links
        if target not in read and target not in adjacency
    }
    described_elsewhere = _described(store, unknown_targets)

    def described(iri: str) -> bool:
        found = read.get(iri)
        if found is not None:
            return found.described
        # A node of the model is described (it has links, and every end of a link is);
        # an untouched one still is.
        return iri in adjacency or iri in described_elsewhere

    # Resources that were no node and are described now: the links to them, from untouched
    # resources, count from now on (those from touched ones are read already). That includes
    # the untouched targets found described: none is linked by an untouched resource unless a
    # write made while this patch reads described it (its notes are for the next patch, which
    # would find it a node already and read no links to it).
    newly = [iri for iri, found in read.items() if found.described and iri not in adjacency]
    incoming = _links_to(store, [*newly, *described_elsewhere], touched)

    # The relations of every pair with a touched end, as they are now.
    pairs: dict[tuple[str, str], set[Stored]] = {}

    def add(source: str, target: str, relations: Iterable[tuple[str, bool]]) -> None:
        pair = (source, target) if source < target else (target, source)
        held = pairs.setdefault(pair, set())
        first = source < target
        held.update((p, d, first) for p, d in relations)

    for iri, found in read.items():
        for other in adjacency.get(iri, {}):
            pairs.setdefault((iri, other) if iri < other else (other, iri), set())
        for target, relations in found.links.items():
            if described(target):
                add(iri, target, relations)
        for source, relations in incoming.get(iri, {}).items():
            add(source, iri, relations)
    for iri in described_elsewhere:
        for source, relations in incoming.get(iri, {}).items():
            add(source, iri, relations)
    for (first, second), held in pairs.items():
        # Relations stated by an untouched end stay as they were, while the other end (a
        # touched one) is still described.
        for end, other in ((first, second), (second, first)):
            if end in read or other not in read or not read[other].described:
                continue
            old = adjacency.get(end, {}).get(other)
            if old is not None:
                from_first = end < other
                held.update(s for s in old["r"] if s[2] == from_first)
    return _patched(store, model, pairs, read, kind_of_class, footprints, large, generation)


def _patched(
    store: Store,
    model: NetworkModel,
    pairs: dict[tuple[str, str], set[Stored]],
    read: dict[str, _Read],
    kind_of_class: dict[str, str],
    footprints: dict[str, frozenset[str]],
    large: set[str],
    generation: int,
) -> NetworkModel:
    """A new model: `model` with the relations of `pairs` replaced (copy on write)."""
    old_adjacency = model.graph._adj
    adjacency: dict[str, dict[str, dict[str, tuple[Stored, ...]]]] = dict(old_adjacency)
    copied: set[str] = set()
    predicates = dict(model.predicates)

    def own(node: str) -> dict[str, dict[str, tuple[Stored, ...]]]:
        if node not in copied:
            copied.add(node)
            adjacency[node] = dict(old_adjacency.get(node, {}))
        return adjacency[node]

    for (first, second), held in pairs.items():
        old = old_adjacency.get(first, {}).get(second)
        relations = tuple(sorted(held))
        before = old["r"] if old is not None else ()
        if before == relations:
            continue
        for predicate, _, _ in before:
            predicates[predicate] -= 1
        for predicate, _, _ in relations:
            predicates[predicate] = predicates.get(predicate, 0) + 1
        if relations:
            data = {"r": relations}
            own(first)[second] = data
            own(second)[first] = data
        else:
            own(first).pop(second, None)
            own(second).pop(first, None)
    for node in copied:
        if not adjacency[node]:
            del adjacency[node]
    predicates = {p: n for p, n in predicates.items() if n > 0}
    joined = [n for n in copied if n in adjacency and n not in old_adjacency and n not in read]
    used = [p for p in predicates if p not in model.predicates and p not in read]
    read.update(_read_resources(store, [*joined, *used], kind_of_class))

    graph = nx.Graph()
    nodes = dict(model.graph._node)
    no_attributes: dict[str, object] = next(iter(nodes.values()), {})
    for node in copied:
        if node in adjacency:
            nodes.setdefault(node, no_attributes)
        else:
            nodes.pop(node, None)
    graph._node = nodes
    graph._adj = adjacency
    kinds = dict(model.kinds)
    labels = dict(model.labels)
    gone = [n for n in copied if n not in adjacency]
    for iri in [*gone, *(p for p in model.predicates if p not in predicates)]:
        if iri not in adjacency:
            kinds.pop(iri, None)
            if iri not in predicates:
                labels.pop(iri, None)
    for iri, found in read.items():
        kept = iri in adjacency or iri in predicates
        if kept and found.kind is not None and iri in adjacency:
            kinds[iri] = sys.intern(found.kind)
        else:
            kinds.pop(iri, None)
        if kept and found.texts:
            labels[iri] = {tag: text for tag, (_, text) in found.texts.items()}
        else:
            labels.pop(iri, None)
    return replace(
        model,
        graph=graph,
        kinds=kinds,
        labels=labels,
        generation=generation,
        predicates=predicates,
        kind_of_class=kind_of_class,
        footprints=footprints,
        large=frozenset(large),
    )


def _chunks(iris: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for iri in iris:
        batch.append(iri)
        if len(batch) >= _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


_STATEMENTS_OF = """SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"""
_DESCRIBED = """SELECT DISTINCT ?s WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"""
_LINKS_TO = """SELECT ?s ?p ?o ?g WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }}"""


def _read_resources(
    store: Store, iris: Iterable[str], kind_of_class: dict[str, str]
) -> dict[str, _Read]:
    """What the store says of each of `iris`, by the rules of `build_model`."""
    intern = sys.intern
    type_iri = RDF_TYPE.value
    found: dict[str, _Read] = {}
    for batch in _chunks(iris):
        for iri in batch:
            found[iri] = _Read()
        query = _STATEMENTS_OF.format(values=values_block("s", [NamedNode(i) for i in batch]))
        for s, p, o, g in store.select(query).rows:
            assert isinstance(s, NamedNode) and isinstance(p, NamedNode)
            entry = found[intern(s.value)]
            entry.described = True
            predicate = p.value
            if isinstance(o, Literal):
                preference = _LABEL_RANK.get(predicate)
                if preference is not None:
                    tag = o.language or ""
                    known = entry.texts.get(tag)
                    if known is None or (preference, o.value) < known:
                        entry.texts[tag] = (preference, o.value)
                continue
            if not isinstance(o, NamedNode):
                continue
            target = intern(o.value)
            if predicate == type_iri:
                key = kind_of_class.get(target)
                if key is not None and (entry.kind is None or _RANK[key] < _RANK[entry.kind]):
                    entry.kind = key
                continue
            relation = _relation(s.value, predicate, target, g)
            if relation is not None:
                entry.links.setdefault(target, set()).add(relation)
    return found


def _relation(source: str, predicate: str, target: str, graph: object) -> tuple[str, bool] | None:
    """The relation (predicate, derived) a statement makes, or None when it is no link."""
    graph_iri = graph.value if isinstance(graph, NamedNode) else ""
    if source == target or not is_link_graph(graph_iri) or not is_link_predicate(predicate):
        return None
    if is_own_part(source, target):
        return None
    is_derived = graph_iri == DERIVED_GRAPH
    if is_derived and predicate != RELATED_TO:
        return None
    return sys.intern(predicate), is_derived


def _described(store: Store, iris: Iterable[str]) -> set[str]:
    """Which of `iris` are the subject of some statement."""
    found: set[str] = set()
    for batch in _chunks(iris):
        query = _DESCRIBED.format(values=values_block("s", [NamedNode(i) for i in batch]))
        found.update(
            sys.intern(s.value) for (s,) in store.select(query).rows if isinstance(s, NamedNode)
        )
    return found


def _links_to(
    store: Store, iris: Iterable[str], touched: set[str]
) -> dict[str, dict[str, set[tuple[str, bool]]]]:
    """The links to each of `iris` stated by resources not in `touched` (target -> source ->
    relations)."""
    found: dict[str, dict[str, set[tuple[str, bool]]]] = {}
    for batch in _chunks(iris):
        query = _LINKS_TO.format(values=values_block("o", [NamedNode(i) for i in batch]))
        for s, p, o, g in store.select(query).rows:
            assert isinstance(s, NamedNode) and isinstance(p, NamedNode)
            assert isinstance(o, NamedNode)
            source = sys.intern(s.value)
            if source in touched:
                continue
            relation = _relation(source, p.value, o.value, g)
            if relation is not None:
                target = sys.intern(o.value)
                found.setdefault(target, {}).setdefault(source, set()).add(relation)
    return found
