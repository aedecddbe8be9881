"""List pages: the resources of one kind, paged, sorted by label, filtered and faceted."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.errors import BadInputError
from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.groups import DESCRIPTION_PROPERTIES
from commons_graph.views.kinds import FACET_PROPERTIES, Kind, class_sets
from commons_graph.views.labels import LABEL_PROPERTIES, fetch_labels, short_name, sort_key
from commons_graph.views.sparql import PROLOGUE, values

PER_PAGE = 50
MAX_PER_PAGE = 200
FACET_SIZE = 30

_MEMBERS = "SELECT DISTINCT ?s WHERE {{ {types} ?s a ?type . FILTER(isIRI(?s)) }}"

# Labels and facet values are read for each member once: joined with `?s a ?type` directly, a
# member of several of the kind's classes (an organisation is an org:Organization, an
# org:FormalOrganization and a cg:Cooperative) came once per class: 106,044 label rows instead
# of 39,768 for the organisations at 1M, 3-4x the time. A UNION of the label properties is
# faster than the path `skos:prefLabel|rdfs:label|…` (1.2 against 1.6 s), which was faster
# than `?s ?p ?l FILTER(?p IN …)`.
_MEMBERS_BLOCK = "{{ " + _MEMBERS + " }}"
_LABELS = "SELECT ?s ?l WHERE {{ {members} {labels} FILTER(isLiteral(?l)) }}"
_LABEL_UNION = " UNION ".join(f"{{ ?s <{p}> ?l }}" for p in LABEL_PROPERTIES)
_FACET_VALUES = "SELECT ?s ?f WHERE {{ {members} ?s {prop} ?f . FILTER(isIRI(?f)) }}"


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


_SELECTIONS_KEPT = 256


@dataclass(frozen=True)
class Selection:
    """A filtered, sorted list of a kind's members and its facet counts."""

    members: list[str]
    facets: list[Facet]


@dataclass
class ListIndex:
    """Every resource of a kind in label order per language, with its facet values, read once
    per store state.

    Sorting and counting a kind's resources costs the same whatever page is shown, and grows
    with the network (seconds at a million triples): the index is built in a few queries after
    each write, and every page, filter and facet is then answered from it in memory. It keeps
    only the orders and the facet values, each IRI held once however often it occurs (labels
    are read for the page shown): ~0.2 KB per organisation instead of ~2.9 KB when labels and
    repeated strings were kept (docs/benchmarks.md, finding 6).
    """

    facet_values: dict[str, dict[str, tuple[str, ...]]]
    sorted_by_lang: dict[str, list[str]]
    # The filtered lists and their facet counts, per language and filters: counting is the
    # costly part of a page (0.1 s for 20,000 organisations), paging through it is not.
    selections: OrderedDict[tuple[object, ...], Selection] = field(default_factory=OrderedDict)

    def select(self, kind: Kind, lang: str, filters: Mapping[str, str]) -> Selection:
        """The members of `kind` passing `filters`, in `lang` order, with their facets."""
        key = (lang, *sorted(filters.items()))
        if key in self.selections:
            self.selections.move_to_end(key)
            return self.selections[key]
        kept = [
            iri
            for iri in self.ordered(lang)
            if all(value in self.facet_values[name].get(iri, ()) for name, value in filters.items())
        ]
        selection = Selection(kept, [_facet(self, name, kept, filters) for name in kind.facets])
        self.selections[key] = selection
        if len(self.selections) > _SELECTIONS_KEPT:
            self.selections.popitem(last=False)
        return selection

    def ordered(self, lang: str) -> list[str]:
        """The members sorted by their label in `lang` (then any label, then IRI); a language
        the site does not speak gets the order of its first language."""
        return self.sorted_by_lang.get(lang) or self.sorted_by_lang[LANGUAGES[0]]


def _label_orders(
    members: list[str], labels: dict[str, list[tuple[str, str]]]
) -> dict[str, list[str]]:
    """`members` sorted for each site language: by the smallest label in it, else the smallest
    label in any language, else the IRI (lowercased), then by IRI."""

    def key(iri: str, lang: str) -> tuple[str, str]:
        found = labels.get(iri, [])
        found = [(text, tag) for text, tag in found if text.strip()]  # an empty label is none
        in_lang = [text for text, tag in found if tag.lower().split("-")[0] == lang]
        chosen = min(in_lang or [text for text, _ in found] or [iri])
        return chosen.lower(), iri

    return {lang: sorted(members, key=lambda iri: key(iri, lang)) for lang in LANGUAGES}


def _build_index(store: Store, kind: Kind) -> ListIndex:
    classes = class_sets(store, [kind])[kind.key]
    types = values("type", [NamedNode(c) for c in classes])
    members = [
        row[0].value
        for row in store.select(PROLOGUE + _MEMBERS.format(types=types)).rows
        if isinstance(row[0], NamedNode)
    ]
    # One string object per IRI: each query answer makes new ones, and facet values recur for
    # thousands of members.
    shared = {iri: iri for iri in members}
    members_block = _MEMBERS_BLOCK.format(types=types)
    labels: dict[str, list[tuple[str, str]]] = {}
    for subject, label in store.select(
        PROLOGUE + _LABELS.format(members=members_block, labels=_LABEL_UNION)
    ).rows:
        if isinstance(subject, NamedNode) and isinstance(label, Literal):
            labels.setdefault(subject.value, []).append((label.value, label.language or ""))
    facet_values: dict[str, dict[str, tuple[str, ...]]] = {}
    for name in kind.facets:
        prop = NamedNode(_facet_property(kind, name))
        by_member: dict[str, set[str]] = {}
        query = PROLOGUE + _FACET_VALUES.format(members=members_block, prop=prop)
        for subject, value in store.select(query).rows:
            if isinstance(subject, NamedNode) and isinstance(value, NamedNode):
                member = shared.setdefault(subject.value, subject.value)
                by_member.setdefault(member, set()).add(shared.setdefault(value.value, value.value))
        if name == "kind" and prop.value == RDF_TYPE.value:
            # Kinds of organisation are their subclasses: the root classes say nothing.
            narrower = set(classes) - set(kind.roots)
            by_member = {s: found & narrower for s, found in by_member.items()}
        # Tuples, each combination held once: a member has a few values, and many members the
        # same few.
        combinations: dict[tuple[str, ...], tuple[str, ...]] = {}
        facet_values[name] = {
            s: combinations.setdefault(key, key)
            for s, found in by_member.items()
            if found and (key := tuple(sorted(found)))
        }
    return ListIndex(facet_values, _label_orders(members, labels))


def list_index(store: Store, kind: Kind) -> ListIndex:
    """The kind's index for the store's current content."""
    # After a write the previous index keeps answering while the new one is built: seconds
    # for a large kind, during which a page may miss the newest resources.
    return derived(
        store,
        f"list-index/{kind.key}",
        lambda s: _build_index(s, kind),
        stale_while_refreshing=True,
    )


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
    # The imported datasets the page's items come from, to credit under the list.
    datasets: list[DatasetInfo] = field(default_factory=list)

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
            raise BadInputError("view.error.filter_not_iri", facet=name, iri=value) from None
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
    """One page of the resources of `kind`, sorted by label, filtered, with facet counts."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    filters = dict(filters or {})
    selection = list_index(store, kind).select(kind, lang, filters)
    kept, facets = selection.members, selection.facets
    iris = kept[(page - 1) * per_page : page * per_page]
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
    return ListPage(
        kind,
        items,
        len(kept),
        page,
        per_page,
        [f for f in labelled if f.values],
        filters,
        datasets_of_graphs(store, iris, lang) if iris else [],
    )


def _facet_property(kind: Kind, name: str) -> str:
    """The property linking a listed resource to the values of facet `name`."""
    if name == "kind":
        return kind.kind_property or RDF_TYPE.value
    return FACET_PROPERTIES[name]


def _facet(index: ListIndex, name: str, kept: list[str], filters: Mapping[str, str]) -> Facet:
    """The most frequent values of facet `name` among the filtered resources."""
    by_member = index.facet_values[name]
    counts = Counter(value for iri in kept for value in by_member.get(iri, ()))
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
    return Facet(
        name, [FacetValue(value, "", count, filters.get(name) == value) for value, count in top]
    )
