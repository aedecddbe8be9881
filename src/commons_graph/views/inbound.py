"""What links to a resource: one group per relation, with its count and one page of it.

Bounded however many links there are (a code-list concept held by 7,000 co-operatives): one
query counts the linking resources per property, then one query per shown group reads one
page of them, and one more reads their labels. A page is a slice of the store's index order
(stable while the store does not change): an ORDER BY would sort every linking resource on
every page view (0.3 s for 6,000 IRIs, measured), the slice costs a few milliseconds at any
offset. Each page is then sorted by label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from commons_graph.i18n import LANGUAGES
from commons_graph.store.base import Store
from commons_graph.views.groups import GROUPS, HIDDEN
from commons_graph.views.labels import INVERSE_LABELS, fetch_labels, shipped_labels, sort_key
from commons_graph.views.resource_page import Link, heading
from commons_graph.views.sparql import PROLOGUE, as_int, values

PER_PAGE = 20
# At most this many relations are listed (the most used first); a page number beyond this is
# read as the last page.
MAX_GROUPS = 40
MAX_PAGE = 100_000
# The `?inbound=` parameter names a property: longer text cannot be one of ours.
MAX_PARAMETER = 2000

# The resource is written into the queries as a constant: a VALUES block makes Oxigraph
# plan the page query far worse (0.36 s instead of 3 ms, measured), and a FILTER on the
# linking terms decodes each of them (30 ms instead of 3 ms for 6,000 links). Links from
# blank nodes are counted but not listed (they have no page).
_COUNTS = """
SELECT ?p (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x ?p {s} }}
GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT {groups}
"""
_PAGE = """
SELECT DISTINCT ?x WHERE {{ ?x {p} {s} }} LIMIT {limit} OFFSET {offset}
"""
# The graphs the links come from, so that the page credits their sources (bounded). Not
# `GRAPH ?g {} FILTER EXISTS …`: Virtuoso enumerates no graph for an empty GRAPH pattern.
_GRAPHS = """
SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?x ?p {s} }} }} LIMIT 100
"""
_INVERSES = """
SELECT ?p ?inverse WHERE {{
  {v} {{ ?p owl:inverseOf ?inverse }} UNION {{ ?inverse owl:inverseOf ?p }}
  FILTER(isIRI(?inverse))
}}
"""


@dataclass
class InboundGroup:
    """Resources linking to the page's resource by one property, one page of them."""

    predicate: str
    anchor: str
    count: int
    page: int
    pages: int
    # How to name the group: a page message key, else a phrase for the inverse relation,
    # else "is <label> of".
    key: str | None
    inverse: str | None
    label: str
    links: list[Link] = field(default_factory=list)


@dataclass
class Inbound:
    """Every group of links to a resource, and their total."""

    groups: list[InboundGroup]
    graphs: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        """How many links the groups hold in all."""
        return sum(group.count for group in self.groups)


_PAGE_NUMBER = re.compile(r"[0-9]{1,7}")


def page_number(text: str | None) -> int:
    """A `page=` parameter read leniently: anything but a small positive integer is page 1."""
    # ASCII digits only: str.isdigit() also accepts "¹", which int() refuses.
    if text is None or not _PAGE_NUMBER.fullmatch(text):
        return 1
    return max(1, min(int(text), MAX_PAGE))


def inbound(
    store: Store, iri: str, lang: str, selected: str | None = None, page: int = 1
) -> Inbound:
    """The groups of links to `iri`; the group of property `selected` shows page `page`."""
    node = NamedNode(iri)
    rows = store.select(PROLOGUE + _COUNTS.format(s=node, groups=MAX_GROUPS + len(HIDDEN))).rows
    counts = [
        (p.value, as_int(n))
        for p, n in rows
        if isinstance(p, NamedNode) and (p.value, True) not in HIDDEN
    ][:MAX_GROUPS]
    if not counts:
        return Inbound([])
    if selected is not None and len(selected) > MAX_PARAMETER:
        selected = None
    # The vocabulary's own inverse is looked up only where neither the page's wording nor the
    # shipped inverse phrases name the group.
    shipped_inverses = shipped_labels(INVERSE_LABELS)
    unnamed = [p for p, _ in counts if (p, True) not in GROUPS and p not in shipped_inverses]
    inverses = _inverses(store, unnamed) if unnamed else {}
    groups: list[InboundGroup] = []
    for index, (predicate, count) in enumerate(counts, start=1):
        pages = max(1, -(-count // PER_PAGE))
        shown = min(page, pages) if predicate == selected else 1
        spec = GROUPS.get((predicate, True))
        groups.append(
            InboundGroup(
                predicate=predicate,
                anchor=f"inbound-{index}",
                count=count,
                page=shown,
                pages=pages,
                key=spec.key if spec else None,
                inverse=None,
                label=predicate,
            )
        )
    members: dict[str, list[str]] = {}
    for group in groups:
        query = _PAGE.format(
            s=node,
            p=NamedNode(group.predicate),
            limit=PER_PAGE,
            offset=(group.page - 1) * PER_PAGE,
        )
        rows = store.select(PROLOGUE + query).rows
        members[group.predicate] = [r[0].value for r in rows if isinstance(r[0], NamedNode)]
    wanted = {iri for found in members.values() for iri in found}
    wanted |= {group.predicate for group in groups}
    wanted |= {inverse for inverse in inverses.values()}
    labels = fetch_labels(store, wanted, lang)
    others = [other for other in LANGUAGES if other != lang]
    for group in groups:
        group.label = labels(group.predicate)
        shipped = shipped_labels(INVERSE_LABELS).get(group.predicate, {})
        stated = inverses.get(group.predicate)
        inverse = (
            shipped.get(lang)
            or (labels(stated) if stated else None)
            or next((shipped[o] for o in others if o in shipped), None)
        )
        group.inverse = heading(inverse) if inverse else None
        group.links = sorted(
            (
                Link(member, labels.value(member), described=member in labels.texts)
                for member in members[group.predicate]
            ),
            key=lambda link: sort_key(link.label),
        )
    graph_rows = store.select(PROLOGUE + _GRAPHS.format(s=node)).rows
    graphs = {row[0].value for row in graph_rows if isinstance(row[0], NamedNode)}
    return Inbound(groups, graphs)


def _inverses(store: Store, predicates: list[str]) -> dict[str, str]:
    """The inverse property the vocabularies declare (owl:inverseOf) for each of `predicates`."""
    block = values("p", [NamedNode(p) for p in predicates])
    found: dict[str, str] = {}
    for predicate, inverse in store.select(PROLOGUE + _INVERSES.format(v=block)).rows:
        if isinstance(predicate, NamedNode) and isinstance(inverse, NamedNode):
            found.setdefault(predicate.value, inverse.value)
    return found
