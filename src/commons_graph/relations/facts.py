"""The facts relations are derived from, read from what members and datasets stated."""

from __future__ import annotations

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

_ORGS = f"""
SELECT DISTINCT ?o ?lat ?long WHERE {{
  GRAPH ?g {{ ?o a <{ORG}Organization> }} FILTER(?g != {DERIVED_RELATIONS_GRAPH})
  OPTIONAL {{ ?o <{WGS84}lat> ?lat ; <{WGS84}long> ?long }}
}}"""
_PLACED_ACTIVITIES = f"""
SELECT DISTINCT ?o ?activity ?locality WHERE {{
  ?o <{ESSGLOBAL}economicSector> ?activity ;
     <{SCHEMA}address>/<{SCHEMA}addressLocality> ?locality .
}}"""
_SHARED = f"""
SELECT DISTINCT ?o ?p ?x WHERE {{
  VALUES ?p {{ {" ".join(f"<{p}>" for p in SHARED_BY)} }}
  ?o ?p ?x . FILTER(isIRI(?x))
}}"""
_FILED = f"""
SELECT DISTINCT ?o ?concept WHERE {{
  VALUES ?p {{ <{ESSGLOBAL}economicSector> <{ESSGLOBAL}qualifier> }}
  ?o ?p ?concept . FILTER(isIRI(?concept))
}}"""
_MAPPINGS = f"""
SELECT DISTINCT ?theme ?match ?concept WHERE {{
  VALUES ?match {{ {" ".join(f"<{m}>" for m in MATCHES)} }}
  ?theme ?match ?concept .
  FILTER(STRSTARTS(STR(?concept), "{ESSGLOBAL_CONCEPTS}"))
}}"""


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
    # The locality as first written, for explanations.
    locality_names: dict[str, str] = field(default_factory=dict)

    def shared_by_theme(self) -> dict[str, set[str]]:
        """Theme or topic -> the organisations that state they work on it."""
        return {x: members for (rule, x), members in self.shared.items() if rule == SHARED_THEME}


def _iri(term: object) -> str | None:
    return term.value if isinstance(term, NamedNode) else None


def _number(term: object) -> float | None:
    if isinstance(term, Literal):
        try:
            return float(term.value)
        except ValueError:
            return None
    return None


def read_facts(store: Store) -> Facts:
    """The organisations and the facts they state, from every graph but the derived one."""
    facts = Facts()
    for o, lat, long in store.select(_ORGS).rows:
        iri = _iri(o)
        if iri is None:
            continue
        facts.organisations.add(iri)
        y, x = _number(lat), _number(long)
        if y is not None and x is not None:
            facts.coordinates[iri] = (y, x)
    for o, activity, locality in store.select(_PLACED_ACTIVITIES).rows:
        iri, act = _iri(o), _iri(activity)
        if iri and iri in facts.organisations and act and isinstance(locality, Literal):
            key = " ".join(locality.value.split()).casefold()
            if key:
                facts.placed.setdefault((act, key), set()).add(iri)
                facts.locality_names.setdefault(key, " ".join(locality.value.split()))
    for o, p, obj in store.select(_SHARED).rows:
        iri, pred, target = _iri(o), _iri(p), _iri(obj)
        if iri and iri in facts.organisations and pred and target and target != iri:
            facts.shared.setdefault((SHARED_BY[pred], target), set()).add(iri)
    for o, concept in store.select(_FILED).rows:
        iri, c = _iri(o), _iri(concept)
        if iri and iri in facts.organisations and c:
            facts.filed.setdefault(c, set()).add(iri)
    for theme, match, concept in store.select(_MAPPINGS).rows:
        t, m, c = _iri(theme), _iri(match), _iri(concept)
        if t and m and c:
            facts.mappings.append(Mapping(t, m, c))
    facts.mappings.sort(key=lambda x: (x.theme, x.match, x.concept))
    return facts
