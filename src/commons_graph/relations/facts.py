"""The facts relations are derived from, read from what members and datasets stated."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.rdf.namespaces import CG, ESSGLOBAL, ORG, SCHEMA, SKOS
from commons_graph.relations.iris import (
    DERIVED_RELATIONS_GRAPH,
    SAME_NETWORK,
    SHARED_COMMONS,
    SHARED_THEME,
    SHARED_VALUE,
)
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
# Which stated link makes which kind of shared fact.
SHARED_BY = {
    CG + "holdsValue": SHARED_VALUE,
    CG + "worksOn": SHARED_THEME,
    CG + "stewards": SHARED_COMMONS,
    CG + "contributesTo": SHARED_COMMONS,
    CG + "uses": SHARED_COMMONS,
    ORG + "memberOf": SAME_NETWORK,
    ORG + "subOrganizationOf": SAME_NETWORK,
}
MATCHES = tuple(
    SKOS + m for m in ("exactMatch", "closeMatch", "narrowMatch", "broadMatch", "relatedMatch")
)
ESSGLOBAL_CONCEPTS = "http://purl.org/essglobal/standard/"

# Each query reads named graphs (all, or the ones a write touched: #GRAPHS# becomes a VALUES
# block), never the derived one: the facts are kept by graph, so that after a write only the
# graphs it touched are read again.
_EXCLUDE = f"FILTER(?g != {DERIVED_RELATIONS_GRAPH})"
_ORGS = f"""
SELECT ?g ?o WHERE {{ #GRAPHS# GRAPH ?g {{ ?o a <{ORG}Organization> }} {_EXCLUDE} }}"""
_COORDINATES = f"""
SELECT ?g ?o ?lat ?long WHERE {{ #GRAPHS#
  GRAPH ?g {{ ?o <{WGS84}lat> ?lat ; <{WGS84}long> ?long }} {_EXCLUDE} }}"""
_LOCALITIES = f"""
SELECT ?g ?o ?locality WHERE {{ #GRAPHS#
  GRAPH ?g {{ ?o <{SCHEMA}address>/<{SCHEMA}addressLocality> ?locality }} {_EXCLUDE} }}"""
_SHARED = f"""
SELECT ?g ?o ?p ?x WHERE {{ #GRAPHS#
  VALUES ?p {{ {" ".join(f"<{p}>" for p in SHARED_BY)} }}
  GRAPH ?g {{ ?o ?p ?x }} FILTER(isIRI(?x)) {_EXCLUDE} }}"""
_FILED = f"""
SELECT ?g ?o ?p ?concept WHERE {{ #GRAPHS#
  VALUES ?p {{ <{ESSGLOBAL}economicSector> <{ESSGLOBAL}qualifier> }}
  GRAPH ?g {{ ?o ?p ?concept }} FILTER(isIRI(?concept)) {_EXCLUDE} }}"""
_MAPPINGS = f"""
SELECT ?g ?theme ?match ?concept WHERE {{ #GRAPHS#
  VALUES ?match {{ {" ".join(f"<{m}>" for m in MATCHES)} }}
  GRAPH ?g {{ ?theme ?match ?concept }}
  FILTER(STRSTARTS(STR(?concept), "{ESSGLOBAL_CONCEPTS}")) {_EXCLUDE} }}"""

ECONOMIC_SECTOR = ESSGLOBAL + "economicSector"


@dataclass
class GraphFacts:
    """What one named graph states that the rules read."""

    organisations: set[str] = field(default_factory=set)
    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    localities: set[tuple[str, str]] = field(default_factory=set)
    # (organisation, predicate, concept) for activities and qualifiers.
    filed: set[tuple[str, str, str]] = field(default_factory=set)
    shared: set[tuple[str, str, str]] = field(default_factory=set)
    mappings: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Mapping:
    """A theme or topic mapped to an ESSGlobal concept by a SKOS mapping relation."""

    theme: str
    match: str
    concept: str


@dataclass
class Facts:
    """Everything the rules look at, by organisation."""

    organisations: set[str] = field(default_factory=set)
    # Where an organisation is, for ranking neighbours (latitude, longitude).
    coordinates: dict[str, tuple[float, float]] = field(default_factory=dict)
    # (activity, locality as written, lower-cased and trimmed) -> organisations.
    placed: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # (rule, shared resource) -> organisations.
    shared: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    # ESSGlobal concept -> organisations filed under it (activity or qualifier).
    filed: dict[str, set[str]] = field(default_factory=dict)
    mappings: list[Mapping] = field(default_factory=list)
    # The locality as written, for explanations (of its spellings, the smallest).
    locality_names: dict[str, str] = field(default_factory=dict)

    def shared_by_theme(self) -> dict[str, set[str]]:
        """Theme or topic -> the organisations that state they work on it."""
        return {x: members for (rule, x), members in self.shared.items() if rule == SHARED_THEME}


def _iri(term: object) -> str | None:
    # Interned: an organisation's IRI comes back in every fact about it, a predicate or a
    # concept in thousands; one string each instead of one per row (at 1M statements the
    # facts took ~320 MB with a string per row).
    return sys.intern(term.value) if isinstance(term, NamedNode) else None


def _number(term: object) -> float | None:
    if isinstance(term, Literal):
        try:
            return float(term.value)
        except ValueError:
            return None
    return None


def read_graph_facts(
    store: Store, graphs: Iterable[NamedNode] | None = None
) -> dict[str, GraphFacts]:
    """The facts of every named graph (or of `graphs` only: a graph that states none, or no
    longer exists, is absent from the answer)."""
    block = values_block("g", sorted(graphs, key=str)) if graphs is not None else ""
    found: dict[str, GraphFacts] = {}

    def rows(query: str) -> list[tuple[str, list[object]]]:
        answer = store.select(query.replace("#GRAPHS#", block)).rows
        return [(g.value, list(rest)) for g, *rest in answer if isinstance(g, NamedNode)]

    def of(graph: str) -> GraphFacts:
        return found.setdefault(graph, GraphFacts())

    for graph, (o,) in rows(_ORGS):
        if (iri := _iri(o)) is not None:
            of(graph).organisations.add(iri)
    for graph, (o, lat, long) in rows(_COORDINATES):
        iri, y, x = _iri(o), _number(lat), _number(long)
        if iri is not None and y is not None and x is not None:
            of(graph).coordinates[iri] = (y, x)
    for graph, (o, locality) in rows(_LOCALITIES):
        if (iri := _iri(o)) is not None and isinstance(locality, Literal):
            of(graph).localities.add((iri, sys.intern(locality.value)))
    for graph, (o, p, concept) in rows(_FILED):
        iri, pred, c = _iri(o), _iri(p), _iri(concept)
        if iri and pred and c:
            of(graph).filed.add((iri, pred, c))
    for graph, (o, p, obj) in rows(_SHARED):
        iri, pred, target = _iri(o), _iri(p), _iri(obj)
        if iri and pred and target and target != iri:
            of(graph).shared.add((iri, pred, target))
    for graph, (theme, match, concept) in rows(_MAPPINGS):
        t, m, c = _iri(theme), _iri(match), _iri(concept)
        if t and m and c:
            of(graph).mappings.add((t, m, c))
    return found


def merge(by_graph: dict[str, GraphFacts]) -> Facts:
    """The facts of all graphs together, as the rules read them."""
    facts = Facts()
    parts = list(by_graph.values())
    for part in parts:
        facts.organisations |= part.organisations
    known = facts.organisations
    localities: dict[str, set[str]] = {}
    for part in parts:
        for iri, point in part.coordinates.items():
            if iri in known:
                facts.coordinates.setdefault(iri, point)
        for iri, written in part.localities:
            name = " ".join(written.split())
            if iri in known and name:
                key = name.casefold()
                localities.setdefault(iri, set()).add(key)
                # One spelling for each locality whatever the order the graphs and sets are
                # read in (it was the first met: "Berwick-upon-Tweed" in one run,
                # "Berwick-upon-tweed" in the next): the smallest, capitals first.
                known_name = facts.locality_names.get(key)
                if known_name is None or name < known_name:
                    facts.locality_names[key] = name
    for part in parts:
        for iri, pred, concept in part.filed:
            if iri not in known:
                continue
            facts.filed.setdefault(concept, set()).add(iri)
            if pred == ECONOMIC_SECTOR:
                for key in localities.get(iri, ()):
                    facts.placed.setdefault((concept, key), set()).add(iri)
        for iri, pred, target in part.shared:
            if iri in known:
                facts.shared.setdefault((SHARED_BY[pred], target), set()).add(iri)
        facts.mappings.extend(Mapping(*m) for m in part.mappings)
    facts.mappings = sorted(set(facts.mappings), key=lambda x: (x.theme, x.match, x.concept))
    return facts


def read_facts(store: Store) -> Facts:
    """The organisations and the facts they state, from every graph but the derived one."""
    return merge(read_graph_facts(store))
