"""The search page and type-ahead: ranked hits from the full-text index, with snippets,
list kinds and the list pages' facets counted over the hits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from commons_graph.errors import BadInputError
from commons_graph.search.index import MAX_MATCHES, SearchIndex
from commons_graph.search.snippets import MARK_CLOSE, MARK_OPEN
from commons_graph.search.text import MAX_QUERY_CHARS
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.kinds import KINDS, class_sets
from commons_graph.views.labels import fetch_labels, pick, short_name, sort_key
from commons_graph.views.listing import FACET_SIZE, Facet, FacetValue, ListIndex, list_index

MAX_RESULTS = 50
MAX_QUERY_LENGTH = MAX_QUERY_CHARS
MAX_SUGGESTIONS = 10
# The facet of the list kinds (organisations, commons, ...) the hits belong to.
LIST_FACET = "list"


@dataclass(frozen=True)
class SearchHit:
    """One resource found: label, classes, list kinds, and a snippet as (text, highlighted)
    pieces (the page escapes each piece: no markup comes from the index)."""

    iri: str
    label: str
    types: tuple[str, ...]
    kinds: tuple[str, ...]
    snippet: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class SearchResults:
    """The hits of one search page, how many there are in all, and the facets."""

    text: str
    hits: list[SearchHit]
    total: int
    type_labels: dict[str, str]
    # The imported datasets the hits come from, to credit under them.
    datasets: list[DatasetInfo] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    # More matched than the best MAX_MATCHES that facets, filters and pages work on.
    capped: bool = False


@dataclass(frozen=True)
class Suggestion:
    """One type-ahead answer."""

    iri: str
    label: str
    kind: str | None


def snippet_pieces(snippet: str) -> tuple[tuple[str, bool], ...]:
    """A snippet with markers split into (text, highlighted) pieces."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(snippet.split(MARK_OPEN)):
        marked, _, rest = part.partition(MARK_CLOSE) if i else ("", "", part)
        if marked:
            pieces.append((marked, True))
        if rest:
            pieces.append((rest.replace(MARK_CLOSE, ""), False))
    return tuple(pieces)


def _kind_classes(store: Store) -> dict[str, tuple[str, ...]]:
    """Class IRI -> the list kinds it makes a resource part of."""
    found: dict[str, list[str]] = {}
    for key, classes in class_sets(store, list(KINDS.values())).items():
        for cls in classes:
            found.setdefault(cls, []).append(key)
    return {cls: tuple(keys) for cls, keys in found.items()}


def kinds_of(store: Store, classes: tuple[str, ...]) -> tuple[str, ...]:
    """The list kinds of a resource with `classes`, in the site's order."""
    return _kinds(derived(store, "search/kind-classes", _kind_classes), classes)


def _kinds(by_class: Mapping[str, tuple[str, ...]], classes: tuple[str, ...]) -> tuple[str, ...]:
    keys = {key for cls in classes for key in by_class.get(cls, ())}
    return tuple(key for key in KINDS if key in keys)


def facet_names() -> list[str]:
    """Every facet a search may be filtered by: the list kinds, then every list's facets."""
    names = [LIST_FACET]
    for kind in KINDS.values():
        names += [name for name in kind.facets if name not in names]
    return names


def parse_search_filters(raw: Mapping[str, str]) -> dict[str, str]:
    """The facet filters of a search request: a list kind, or IRIs of facet values."""
    filters: dict[str, str] = {}
    for name in facet_names():
        value = raw.get(name)
        if not value:
            continue
        if name == LIST_FACET:
            if value in KINDS:
                filters[name] = value
            continue
        try:
            NamedNode(value)
        except ValueError:
            raise BadInputError("view.error.filter_not_iri", facet=name, iri=value) from None
        filters[name] = value
    return filters


def _facet_values(
    indexes: Mapping[str, ListIndex], kinds: tuple[str, ...], name: str, iri: str
) -> set[str]:
    """The values of facet `name` of a resource in `kinds`, from the list pages' indexes."""
    found: set[str] = set()
    for key in kinds:
        by_member = indexes[key].facet_values.get(name)
        if by_member is not None:
            found.update(by_member.get(iri, ()))
    return found


def search(
    store: Store,
    index: SearchIndex,
    text: str,
    lang: str,
    offset: int = 0,
    filters: Mapping[str, str] | None = None,
) -> SearchResults:
    """The hits of `text` in the index, best first, filtered by facets, one page of them."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    filters = dict(filters or {})
    ranked = index.ranked(text) if text else []
    if not ranked:
        return SearchResults(text, [], 0, {}, filters=filters)
    by_class = derived(store, "search/kind-classes", _kind_classes)
    matches = [(row, iri, classes, _kinds(by_class, classes)) for row, iri, classes in ranked]
    present = {key for *_, kinds in matches for key in kinds}
    indexes = {key: list_index(store, KINDS[key]) for key in present}
    names = [n for n in facet_names() if n != LIST_FACET]
    values: dict[str, dict[str, set[str]]] = {name: {} for name in names}
    for _, iri, _, kinds in matches:
        for name in names:
            values[name][iri] = _facet_values(indexes, kinds, name, iri)

    def keeps(iri: str, kinds: tuple[str, ...]) -> bool:
        for name, wanted in filters.items():
            if name == LIST_FACET and wanted not in kinds:
                return False
            if name != LIST_FACET and wanted not in values[name][iri]:
                return False
        return True

    kept = [m for m in matches if keeps(m[1], m[3])]
    facets = [_count(LIST_FACET, [k for m in kept for k in m[3]], filters)]
    facets += [_count(n, [v for m in kept for v in values[n][m[1]]], filters) for n in names]
    offset = max(0, min(offset, len(kept)))
    page = kept[offset : offset + MAX_RESULTS]
    details = index.details(text, [row for row, *_ in page])
    shown = {v.iri for f in facets if f.name != LIST_FACET for v in f.values}
    classes = {cls for _, _, found, _ in page for cls in found}
    chosen = [v for n, v in filters.items() if n != LIST_FACET]
    labels = fetch_labels(store, [*classes, *shown, *chosen], lang)
    hits = []
    for row, iri, found, kinds in page:
        own, snippet = details.get(row, ({}, ""))
        label = pick(own, lang) or short_name(iri)
        hits.append(SearchHit(iri, label, tuple(sorted(found)), kinds, snippet_pieces(snippet)))
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
    capped = len(ranked) >= MAX_MATCHES
    total = index.count(text) if capped and not filters else len(kept)
    return SearchResults(
        text,
        hits,
        total,
        {cls: labels.get(cls) or short_name(cls) for cls in classes},
        datasets_of_graphs(store, [h.iri for h in hits], lang) if hits else [],
        [f for f in labelled if f.values],
        filters,
        capped,
    )


def _count(name: str, found: list[str], filters: Mapping[str, str]) -> Facet:
    top = sorted(Counter(found).items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE]
    return Facet(name, [FacetValue(v, "", n, filters.get(name) == v) for v, n in top])


def suggest(
    store: Store, index: SearchIndex, text: str, lang: str, limit: int = 8
) -> list[Suggestion]:
    """A few resources whose names (or other words) begin with what was typed."""
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    hits = index.suggest(text.strip()[:MAX_QUERY_LENGTH], limit)
    return [
        Suggestion(
            hit.iri,
            hit.label(lang) or short_name(hit.iri),
            next(iter(kinds_of(store, hit.kinds)), None),
        )
        for hit in hits
    ]
