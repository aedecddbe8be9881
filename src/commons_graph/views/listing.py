"""List pages: the resources of one kind, paged, sorted by label, filtered and faceted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.errors import BadInputError
from commons_graph.store.base import Store
from commons_graph.views.groups import DESCRIPTION_PROPERTIES
from commons_graph.views.kinds import FACET_PROPERTIES, RDF_TYPE, Kind, class_sets
from commons_graph.views.labels import LABEL_PATH, fetch_labels, short_name, sort_key
from commons_graph.views.sparql import PROLOGUE, as_int, values

PER_PAGE = 50
MAX_PER_PAGE = 200
FACET_SIZE = 30

_PAGE = """
SELECT ?s (LCASE(STR(COALESCE(SAMPLE(?inLang), SAMPLE(?anyLabel), STR(?s)))) AS ?key) WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ {members} }} }}
  OPTIONAL {{ ?s {labels} ?inLang FILTER(LANGMATCHES(LANG(?inLang), {lang})) }}
  OPTIONAL {{ ?s {labels} ?anyLabel }}
}}
GROUP BY ?s ORDER BY ?key ?s LIMIT {limit} OFFSET {offset}
"""

_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {members} }}"

_FACET = """
SELECT ?f (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {members} ?s {prop} ?f . {restrict} FILTER(isIRI(?f))
}}
GROUP BY ?f ORDER BY DESC(?n) ?f LIMIT {size}
"""


@dataclass(frozen=True)
class ListItem:
    """One listed resource: its IRI, label and a short description."""

    iri: str
    label: str
    summary: str | None


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, with how many listed resources have it."""

    iri: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A facet (value, theme, kind) and its most frequent values."""

    name: str
    values: list[FacetValue]


@dataclass
class ListPage:
    """One page of a list, with the total, the facets and the filters applied."""

    kind: Kind
    items: list[ListItem]
    total: int
    page: int
    per_page: int
    facets: list[Facet] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        """The 1-based position of the page's first item."""
        return (self.page - 1) * self.per_page + 1


def parse_filters(kind: Kind, raw: Mapping[str, str]) -> dict[str, str]:
    """The facet filters of a request, each an IRI; unknown names are ignored."""
    filters: dict[str, str] = {}
    for name in kind.facets:
        value = raw.get(name)
        if not value:
            continue
        try:
            NamedNode(value)
        except ValueError:
            raise BadInputError(f"the {name} filter is not an IRI: {value!r}") from None
        filters[name] = value
    return filters


def list_page(
    store: Store,
    kind: Kind,
    lang: str,
    page: int = 1,
    per_page: int = PER_PAGE,
    filters: Mapping[str, str] | None = None,
) -> ListPage:
    """One page of the resources of `kind`: a few queries whatever the size of the network."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    filters = dict(filters or {})
    classes = class_sets(store, [kind])[kind.key]
    members = _members(kind, classes, filters)
    query = _PAGE.format(
        members=members,
        labels=LABEL_PATH,
        lang=Literal(lang),
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    rows = store.select(PROLOGUE + query).rows
    iris = [t.value for t in (row[0] for row in rows) if isinstance(t, NamedNode)]
    total = as_int(store.select(PROLOGUE + _COUNT.format(members=members)).rows[0][0])
    facets = [_facet(store, kind, name, classes, members, filters) for name in kind.facets]
    shown = {v.iri for facet in facets for v in facet.values}
    labels = fetch_labels(store, [*iris, *shown, *filters.values()], lang)
    summaries = fetch_labels(store, iris, lang, DESCRIPTION_PROPERTIES)
    items = [ListItem(iri, labels.get(iri) or short_name(iri), summaries.get(iri)) for iri in iris]
    labelled = [
        Facet(
            facet.name,
            [
                FacetValue(v.iri, labels.get(v.iri) or short_name(v.iri), v.count, v.selected)
                for v in sorted(facet.values, key=lambda v: (-v.count, sort_key(labels(v.iri))))
            ],
        )
        for facet in facets
    ]
    return ListPage(kind, items, total, page, per_page, [f for f in labelled if f.values], filters)


def _facet_property(kind: Kind, name: str) -> str:
    """The property linking a listed resource to the values of facet `name`."""
    if name == "kind":
        return kind.kind_property or RDF_TYPE
    return FACET_PROPERTIES[name]


def _members(kind: Kind, classes: list[str], filters: Mapping[str, str]) -> str:
    """The graph pattern binding ?s to each resource of `kind` that passes the filters."""
    parts = [values("type", [NamedNode(c) for c in classes]), "?s a ?type . FILTER(isIRI(?s))"]
    for index, (name, iri) in enumerate(sorted(filters.items())):
        prop = NamedNode(_facet_property(kind, name))
        parts.append(f"{values(f'filter{index}', [NamedNode(iri)])} ?s {prop} ?filter{index} .")
    return " ".join(parts)


def _facet(
    store: Store,
    kind: Kind,
    name: str,
    classes: list[str],
    members: str,
    filters: Mapping[str, str],
) -> Facet:
    """The most frequent values of facet `name` among the filtered resources."""
    prop = _facet_property(kind, name)
    restrict = ""
    if name == "kind" and prop == RDF_TYPE:
        # Kinds of organisation are their subclasses: the root classes say nothing.
        narrower = [NamedNode(c) for c in classes if c not in kind.roots]
        if not narrower:
            return Facet(name, [])
        restrict = values("f", narrower)
    query = _FACET.format(members=members, prop=NamedNode(prop), restrict=restrict, size=FACET_SIZE)
    found = []
    for value, count in store.select(PROLOGUE + query).rows:
        if isinstance(value, NamedNode):
            selected = filters.get(name) == value.value
            found.append(FacetValue(value.value, "", as_int(count), selected))
    return Facet(name, found)
