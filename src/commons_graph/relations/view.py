"""What a page shows of connections: an organisation's derived relations with their reasons,
and, on a theme's page, the organisations that work on it through the shipped mappings."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.contributions.links import organisation_links
from commons_graph.rdf.namespaces import CG, ESSGLOBAL, OWL, RDFS
from commons_graph.relations.facts import ESSGLOBAL_CONCEPTS, MATCHES
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH, MAPPED_THEME
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block
from commons_graph.views.labels import fetch_labels, pick, short_name, sort_key

PARTNER_OF = CG + "partnerOf"
# Most organisations listed per mapping on a theme's page (the total is given, and the
# example query lists them all).
MAPPED_SHOWN = 20

_RELATED = f"""
PREFIX cg: <{CG}>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?other ?score ?fact ?rule ?from ?locality WHERE {{
  {{self}}
  GRAPH <{DERIVED_RELATIONS_GRAPH.value}> {{
  ?relation cg:relates ?self .
  ?relation cg:relates ?other ; cg:relationScore ?score ; cg:basis ?fact .
  FILTER(?other != ?self)
  ?fact cg:derivationRule ?rule ; prov:wasDerivedFrom ?from .
  OPTIONAL {{ ?fact schema:addressLocality ?locality }}
}} }}"""

_WORKS_ON = f"SELECT ?t WHERE {{ ?self <{CG}worksOn> ?t }}"
_MAPPED = f"""
SELECT ?match ?concept ?comment WHERE {{
  VALUES ?match {{ {" ".join(f"<{m}>" for m in MATCHES)} }}
  ?theme ?match ?concept .
  FILTER(STRSTARTS(STR(?concept), "{ESSGLOBAL_CONCEPTS}"))
  OPTIONAL {{
    ?axiom <{OWL}annotatedSource> ?theme ; <{OWL}annotatedProperty> ?match ;
           <{OWL}annotatedTarget> ?concept ; <{RDFS}comment> ?comment .
  }}
}}"""

_FILED_UNDER = f"""
SELECT ?o WHERE {{
  {{concept}}
  VALUES ?p {{ <{ESSGLOBAL}economicSector> <{ESSGLOBAL}qualifier> }}
  ?o ?p ?concept .
}}"""


@dataclass(frozen=True)
class Reason:
    """One shared fact, ready to be said: the rule's message key and the named resources."""

    rule: str
    key: str
    names: tuple[str, ...]
    iris: tuple[str, ...]
    locality: str | None
    # For a mapped theme: who works on the theme, and who is filed under the concept.
    worker: str = ""
    filed: str = ""


@dataclass
class Related:
    """An organisation related to the page's one, why, and what either side stated."""

    iri: str
    label: str
    score: int
    reasons: list[Reason] = field(default_factory=list)
    # Whether the page's organisation, or the other one, states a partnership (cg:partnerOf).
    stated_by_self: bool = False
    stated_by_other: bool = False

    @property
    def confirmed(self) -> bool:
        """Both sides state the partnership: a confirmed link, no longer only derived."""
        return self.stated_by_self and self.stated_by_other


@dataclass
class MappedGroup:
    """Organisations filed under one ESSGlobal concept a theme is mapped to."""

    match: str
    match_key: str
    concept: str
    concept_label: str
    rationale: str | None
    total: int
    organisations: list[tuple[str, str]]


@dataclass
class Connections:
    """The page's connections block."""

    iri: str
    related: list[Related] = field(default_factory=list)
    mapped: list[MappedGroup] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.related or self.mapped)


def rule_key(rule: str) -> str:
    """The message key that says a rule's reason (`related.rule.sharedValue`)."""
    return "related.rule." + rule.rsplit("#", 1)[-1]


def match_key(match: str) -> str:
    """The message key that names a SKOS mapping relation (`related.match.closeMatch`)."""
    return "related.match." + match.rsplit("#", 1)[-1]


def related_query(iri: str) -> str:
    """The query of `iri`'s derived relations, the organisation bound at the pattern's start.

    Bound by a trailing VALUES clause (`Store.select`'s bindings), the engine would first join
    every relation of the graph with every fact and only then keep this organisation's: seconds
    per page at 100k statements. Bound first, it reads this organisation's relations alone.
    """
    return _RELATED.replace("{self}", values_block("self", [NamedNode(iri)]))


def _related(store: Store, iri: str, lang: str) -> list[Related]:
    rows = store.select(related_query(iri)).rows
    found: dict[str, Related] = {}
    facts: dict[tuple[str, str], tuple[str, list[str], str | None]] = {}
    for other, score, fact, rule, source, locality in rows:
        if not (isinstance(other, NamedNode) and isinstance(fact, NamedNode)):
            continue
        if not (isinstance(rule, NamedNode) and isinstance(source, NamedNode)):
            continue
        entry = found.setdefault(
            other.value,
            Related(
                other.value, other.value, int(score.value) if isinstance(score, Literal) else 0
            ),
        )
        place = locality.value if isinstance(locality, Literal) else None
        held = facts.setdefault((entry.iri, fact.value), (rule.value, [], place))
        held[1].append(source.value)
    names = {iri} | set(found) | {s for _, sources, _ in facts.values() for s in sources}
    labels = fetch_labels(store, names, lang)
    works_on = {
        t.value
        for (t,) in store.select(_WORKS_ON, {"self": NamedNode(iri)}).rows
        if isinstance(t, NamedNode)
    }

    def named(resource: str) -> str:
        return labels.get(resource) or short_name(resource)

    for (related, _), (rule_iri, sources, place) in sorted(facts.items()):
        worker = filed = ""
        if rule_iri == MAPPED_THEME:
            # Said as "<worker> works on <theme>, mapped to <concept>": the theme first.
            sources.sort(key=lambda s: (s.startswith(ESSGLOBAL_CONCEPTS), s))
            pair = (iri, related) if sources[0] in works_on else (related, iri)
            worker, filed = named(pair[0]), named(pair[1])
        else:
            sources.sort()
        shown = tuple(named(s) for s in sources)
        found[related].reasons.append(
            Reason(rule_iri, rule_key(rule_iri), shown, tuple(sources), place, worker, filed)
        )
    for entry in found.values():
        entry.label = labels.get(entry.iri) or short_name(entry.iri)
    for link in organisation_links(store, iri) if found else ():
        if link.link != PARTNER_OF:
            continue
        if link.source == iri and link.target in found:
            found[link.target].stated_by_self = True
        elif link.target == iri and link.source in found:
            found[link.source].stated_by_other = True
    return sorted(found.values(), key=lambda r: (-r.score, sort_key(r.label)))


def _mapped(store: Store, iri: str, lang: str) -> list[MappedGroup]:
    groups: dict[tuple[str, str], MappedGroup] = {}
    comments: dict[tuple[str, str], dict[str, str]] = {}
    for match, concept, comment in store.select(_MAPPED, {"theme": NamedNode(iri)}).rows:
        if not (isinstance(match, NamedNode) and isinstance(concept, NamedNode)):
            continue
        key = (match.value, concept.value)
        if key not in groups:
            # The concept bound first: a trailing binding read every organisation's sector.
            query = _FILED_UNDER.replace("{concept}", values_block("concept", [concept]))
            members = store.select(query).rows
            organisations = sorted({o.value for (o,) in members if isinstance(o, NamedNode)})
            groups[key] = MappedGroup(
                match.value,
                match_key(match.value),
                concept.value,
                "",
                None,
                len(organisations),
                [(o, o) for o in organisations],
            )
        if isinstance(comment, Literal):
            comments.setdefault(key, {})[comment.language or ""] = comment.value
    shown = {o for g in groups.values() for o, _ in g.organisations}
    labels = fetch_labels(store, shown | {c for _, c in groups}, lang)
    for key, group in groups.items():
        group.concept_label = labels.get(group.concept) or short_name(group.concept)
        group.rationale = pick(comments.get(key, {}), lang)
        named = [(o, labels.get(o) or short_name(o)) for o, _ in group.organisations]
        group.organisations = sorted(named, key=lambda x: sort_key(x[1]))[:MAPPED_SHOWN]
    return sorted(groups.values(), key=lambda g: (-g.total, g.concept))


def connections(store: Store, iri: str, lang: str) -> Connections:
    """The derived relations of `iri` (an organisation) and, for a theme or topic, the
    organisations that work on it through the mappings."""
    return Connections(iri, related=_related(store, iri, lang), mapped=_mapped(store, iri, lang))
