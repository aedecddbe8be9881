"""List pages: the resources of one kind, paged, sorted by label, filtered and faceted."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat

from pyoxigraph import Literal, NamedNode

from commons_graph.errors import BadInputError
from commons_graph.i18n import LANGUAGES
from commons_graph.places.inference import infer_nations
from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.facet_values import NORMALISERS
from commons_graph.views.groups import DESCRIPTION_PROPERTIES
from commons_graph.views.kinds import Kind, class_sets
from commons_graph.views.labels import (
    LABEL_PROPERTIES,
    fetch_labels,
    pick,
    short_name,
    sort_key,
)
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
_LABELS = "SELECT ?s ?l ?r WHERE {{ {members} {labels} FILTER(isLiteral(?l)) }}"
# Each branch says its property's rank, so that the label shown is the one a page shows (a
# SKOS prefLabel before an rdfs:label).
_LABEL_UNION = " UNION ".join(
    f"{{ ?s <{p}> ?l BIND({rank} AS ?r) }}" for rank, p in enumerate(LABEL_PROPERTIES)
)
_FACET_VALUES = "SELECT ?s ?f WHERE {{ {members} ?s {path} ?f . {extra} }}"

# Bounds on a request's filters: a facet takes at most this many values, a request at most
# this many in all (each is a set lookup per listed resource), and a value at most this long.
MAX_VALUES_PER_FACET = 20
MAX_FILTER_VALUES = 50
MAX_VALUE_LENGTH = 2048
# Query parameters of list and search pages that are not facets.
NOT_FACETS = frozenset(
    {"page", "per_page", "format", "lang", "meta", "q", "offset", "limit", "bbox", "zoom"}
)

# name -> the values asked for (several values of one facet: any of them; several facets: all).
Filters = dict[str, tuple[str, ...]]


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
# Marks a member failing two facets' filters (counted for none).
_TWICE = "\x00two"


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
    # Labels of the keyed values (normalised places and words), which the store does not hold.
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    # Per dimension, how many (resource, literal) pairs could not be normalised.
    unnormalised: dict[str, int] = field(default_factory=dict)
    # The label each member shows in each language, in the order of `sorted_by_lang` (lists,
    # not dicts, and one string for both languages when they agree: ~0.1 KB per member), for
    # pages and exports that walk a selection.
    labels_by_lang: dict[str, list[str | None]] = field(default_factory=dict)
    # Labels of facet values per language, filled as pages show them (valid for this state).
    facet_label_cache: dict[str, dict[str, str]] = field(default_factory=dict)
    # How many members got their nation from their region (places.inference), not a postcode.
    nations_inferred: int = 0
    # The filtered lists and their facet counts, per language and filters: counting is the
    # costly part of a page (0.1 s for 20,000 organisations), paging through it is not.
    selections: OrderedDict[tuple[object, ...], Selection] = field(default_factory=OrderedDict)

    def select(
        self, kind: Kind, lang: str, filters: Mapping[str, str | Sequence[str]]
    ) -> Selection:
        """The members of `kind` passing `filters` (any value of a facet, every facet), in
        `lang` order, with their facets counted.

        A facet is counted over the members passing the *other* facets' filters, so that its
        counts say how many a value would add (OR within a facet); the others narrow it (AND).
        """
        wanted = _as_filters(filters)
        key = (lang, *sorted(wanted.items()))
        if key in self.selections:
            self.selections.move_to_end(key)
            return self.selections[key]
        selection = self.select_among(kind, self.ordered(lang), wanted)
        self.selections[key] = selection
        if len(self.selections) > _SELECTIONS_KEPT:
            self.selections.popitem(last=False)
        return selection

    def select_among(
        self, kind: Kind, iris: Iterable[str], filters: Mapping[str, str | Sequence[str]]
    ) -> Selection:
        """The IRIs of `iris` (in their order: e.g. search results) passing `filters`, with
        the facets of `kind` counted over them as `select` counts them (not kept)."""
        wanted = _as_filters(filters)
        tests = [
            (name, frozenset(values), self.facet_values.get(name, {}))
            for name, values in wanted.items()
        ]
        kept: list[str] = []
        # The members failing exactly one facet's filter: counted for that facet only.
        near: dict[str, list[str]] = {name: [] for name in wanted}
        if not tests:
            kept = list(iris)
        for iri in iris if tests else ():
            failed: str | None = None
            for name, accepted, by_member in tests:
                if accepted.isdisjoint(by_member.get(iri, ())):
                    if failed is not None:
                        failed = _TWICE
                        break
                    failed = name
            if failed is None:
                kept.append(iri)
            elif failed is not _TWICE:
                near[failed].append(iri)
        facets = []
        for name in kind.facets:
            by_member = self.facet_values.get(name, {})
            counted = chain(kept, near[name]) if near.get(name) else kept
            # One C-level count per facet over the members' value tuples (not an update call
            # per member: 500 search hits times 20 facets were 10,000 calls).
            counts: Counter[str] = Counter(
                chain.from_iterable(map(by_member.get, counted, repeat(())))
            )
            facets.append(_facet(name, counts, wanted.get(name, ())))
        return Selection(kept, facets)

    def ordered(self, lang: str) -> list[str]:
        """The members sorted by their label in `lang` (then any label, then IRI); a language
        the site does not speak gets the order of its first language."""
        return self.sorted_by_lang.get(lang) or self.sorted_by_lang[LANGUAGES[0]]

    def labels_along(self, lang: str, iris: Sequence[str]) -> list[str | None] | None:
        """The labels of `iris` in `lang`, when `iris` keep the index's order for `lang` (a
        selection does): one walk down the ordered members; None when they do not."""
        ordered = self.ordered(lang)
        labels = self.labels_by_lang.get(lang) or self.labels_by_lang.get(LANGUAGES[0])
        if not labels or len(labels) != len(ordered):
            return None
        found: list[str | None] = []
        at = 0
        for iri in iris:
            while at < len(ordered) and ordered[at] != iri:
                at += 1
            if at == len(ordered):
                return None
            found.append(labels[at])
            at += 1
        return found

    def value_label(self, iri: str, lang: str) -> str | None:
        """The label of a keyed facet value in `lang` (with fallbacks), or None."""
        found = self.value_labels.get(iri)
        return pick(found, lang) if found else None


def _as_filters(filters: Mapping[str, str | Sequence[str]]) -> Filters:
    """Filters with every facet's values as a sorted tuple (a lone string is one value)."""
    wanted: Filters = {}
    for name, given in filters.items():
        chosen = (given,) if isinstance(given, str) else tuple(given)
        if chosen:
            wanted[name] = tuple(sorted(set(chosen)))
    return wanted


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
    is_member = frozenset(members)
    members_block = _MEMBERS_BLOCK.format(types=types)
    labels: dict[str, list[tuple[str, str]]] = {}
    preferred: dict[str, dict[str, tuple[int, str]]] = {}
    for subject, label, rank in store.select(
        PROLOGUE + _LABELS.format(members=members_block, labels=_LABEL_UNION)
    ).rows:
        if isinstance(subject, NamedNode) and isinstance(label, Literal) and label.value.strip():
            tag = label.language or ""
            labels.setdefault(subject.value, []).append((label.value, tag))
            order = int(rank.value) if isinstance(rank, Literal) else 99
            ranked = preferred.setdefault(subject.value, {})
            if tag not in ranked or (order, label.value) < ranked[tag]:
                ranked[tag] = (order, label.value)
    facet_values: dict[str, dict[str, tuple[str, ...]]] = {}
    value_labels: dict[str, dict[str, str]] = {}
    unnormalised: dict[str, int] = {}
    for name in kind.facets:
        dimension = kind.dimension(name)
        normalise = NORMALISERS[dimension.normaliser]
        extra = (
            f"FILTER(isIRI(?f)) ?f a <{dimension.value_class}> ." if dimension.value_class else ""
        )
        by_member: dict[str, set[str]] = {}
        # Only the kind facet (rdf:type, on everything) is joined with the members in SPARQL:
        # the others read their property whole and keep the members' values here, instead of
        # evaluating the members again for each (0.6-0.9 s each at 1M triples, even when the
        # property is absent).
        block = members_block if name == "kind" else ""
        query = PROLOGUE + _FACET_VALUES.format(members=block, path=dimension.path, extra=extra)
        missed = 0
        for subject, value in store.select(query).rows:
            if not isinstance(subject, NamedNode) or subject.value not in is_member:
                continue
            if isinstance(value, NamedNode):
                found = value.value
            elif isinstance(value, Literal):
                keyed = normalise(name, value.value, value.language or "")
                if keyed is None:
                    missed += 1
                    continue
                found, texts = keyed
                known = value_labels.setdefault(found, {})
                for tag, text in texts.items():
                    known.setdefault(tag, text)
            else:
                continue
            member = shared.setdefault(subject.value, subject.value)
            by_member.setdefault(member, set()).add(shared.setdefault(found, found))
        if name == "kind" and dimension.path == f"<{RDF_TYPE.value}>":
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
        unnormalised[name] = missed
    if "nation" in facet_values and "region" in facet_values:
        # A cross-border postcode gives no nation: the region's does, when the data agrees.
        inferred = infer_nations(facet_values["nation"], facet_values["region"])
        facet_values["nation"].update(inferred)
        nations_inferred = len(inferred)
    else:
        nations_inferred = 0
    orders = _label_orders(members, labels)
    del labels
    return ListIndex(
        facet_values,
        orders,
        value_labels,
        unnormalised,
        _display_labels(orders, preferred),
        nations_inferred=nations_inferred,
    )


def _display_labels(
    sorted_by_lang: dict[str, list[str]], preferred: dict[str, dict[str, tuple[int, str]]]
) -> dict[str, list[str | None]]:
    """The label each member shows in each site language (as `fetch_labels` picks it), in the
    order of that language's list."""
    texts = {
        iri: {tag: text for tag, (_, text) in ranked.items()} for iri, ranked in preferred.items()
    }
    return {
        lang: [pick(texts[iri], lang) if iri in texts else None for iri in ordered]
        for lang, ordered in sorted_by_lang.items()
    }


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
    filters: Filters = field(default_factory=dict)
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


def parse_filters(
    kind: Kind,
    raw: Mapping[str, str],
    ignored: frozenset[str] = NOT_FACETS,
) -> Filters:
    """The facet filters of a request (`raw` may be a multi-dict: each value of a repeated
    parameter counts), each an IRI, bounded in number and length.

    A parameter that is neither one of the kind's facets nor `ignored` is a bad request, as is
    a value that is not an IRI or too many values.
    """
    filters: Filters = {}
    total = 0
    getlist = getattr(raw, "getlist", None)
    for name in raw:
        if name in ignored:
            continue
        if name not in kind.facets:
            raise BadInputError("view.error.unknown_facet", facet=name[:64])
        given = list(getlist(name)) if callable(getlist) else [raw[name]]
        chosen = [value for value in given if value]
        total += len(chosen)
        if len(chosen) > MAX_VALUES_PER_FACET or total > MAX_FILTER_VALUES:
            raise BadInputError(
                "view.error.too_many_filters", most=MAX_VALUES_PER_FACET, total=MAX_FILTER_VALUES
            )
        for value in chosen:
            if len(value) > MAX_VALUE_LENGTH:
                raise BadInputError("view.error.filter_not_iri", facet=name, iri=value[:64] + "…")
            try:
                NamedNode(value)
            except ValueError:
                raise BadInputError("view.error.filter_not_iri", facet=name, iri=value) from None
        if chosen:
            filters[name] = tuple(sorted(set(chosen)))
    return filters


def facet_labels(
    store: Store, index: ListIndex, iris: Iterable[str], lang: str
) -> Callable[[str], str]:
    """A labeller of facet values: the store's labels, else the index's keyed labels, else a
    short name of the IRI; kept in the index, so a value's label is read once per state."""
    cache = index.facet_label_cache.setdefault(lang, {})
    wanted = [iri for iri in set(iris) if iri not in cache]
    labels = fetch_labels(store, wanted, lang) if wanted else None
    for iri in wanted:
        found = labels.get(iri) if labels else None
        cache[iri] = found or index.value_label(iri, lang) or short_name(iri)
    return cache.__getitem__


def labelled_facets(
    store: Store, index: ListIndex, facets: Sequence[Facet], filters: Filters, lang: str
) -> list[Facet]:
    """`facets` with their values labelled in `lang`: selected first, then by count, then by
    label (for a list page, or facets counted over search results)."""
    shown = {v.iri for facet in facets for v in facet.values}
    chosen = {value for values_ in filters.values() for value in values_}
    label = facet_labels(store, index, [*shown, *chosen], lang)
    return [
        Facet(
            facet.name,
            [
                FacetValue(v.iri, label(v.iri), v.count, v.selected)
                for v in sorted(
                    facet.values, key=lambda v: (not v.selected, -v.count, sort_key(label(v.iri)))
                )
            ],
        )
        for facet in facets
    ]


def list_page(
    store: Store,
    kind: Kind,
    lang: str,
    page: int = 1,
    per_page: int = PER_PAGE,
    filters: Mapping[str, str | Sequence[str]] | None = None,
) -> ListPage:
    """One page of the resources of `kind`, sorted by label, filtered, with facet counts."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    wanted = _as_filters(filters or {})
    index = list_index(store, kind)
    selection = index.select(kind, lang, wanted)
    kept, facets = selection.members, selection.facets
    iris = kept[(page - 1) * per_page : page * per_page]
    # The items' labels come from the index (read with it, for this store state): one query
    # fewer per page; their descriptions are read for the page.
    known = index.labels_along(lang, iris)
    if known is None:
        own = fetch_labels(store, iris, lang)
        known = [own.get(iri) for iri in iris]
    summaries = fetch_labels(store, iris, lang, DESCRIPTION_PROPERTIES)
    items = [
        ListItem(iri, label or short_name(iri), summaries.get(iri))
        for iri, label in zip(iris, known, strict=True)
    ]
    labelled = labelled_facets(store, index, facets, wanted, lang)
    return ListPage(
        kind,
        items,
        len(kept),
        page,
        per_page,
        [f for f in labelled if f.values],
        wanted,
        datasets_of_graphs(store, iris, lang) if iris else [],
    )


def _facet(name: str, counts: Counter[str], selected: Sequence[str]) -> Facet:
    """The most frequent values of facet `name`, and every selected one (even at 0)."""
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
    listed = {value for value, _ in top}
    top += [(value, counts.get(value, 0)) for value in selected if value not in listed]
    return Facet(name, [FacetValue(value, "", count, value in selected) for value, count in top])
