"""The search page and type-ahead: ranked hits from the full-text index, with snippets,
list kinds and the list pages' facets counted over the hits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from commons_graph.errors import BadInputError
from commons_graph.i18n import LANGUAGES
from commons_graph.rdf.namespaces import RDF_TYPE
from commons_graph.search.index import MAX_MATCHES, SearchIndex
from commons_graph.search.snippets import MARK_CLOSE, MARK_OPEN
from commons_graph.search.text import MAX_QUERY_CHARS
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.exports import Export, export_iris
from commons_graph.views.kinds import KINDS, Kind, class_sets
from commons_graph.views.labels import fetch_labels, pick, short_name
from commons_graph.views.listing import (
    MAX_FILTER_VALUES,
    MAX_VALUES_PER_FACET,
    NOT_FACETS,
    Facet,
    Filters,
    ListIndex,
    Selection,
    labelled_facets,
    list_index,
    parse_filters,
)

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
    filters: Filters = field(default_factory=dict)
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


# The hits as one list: the list kinds, then every facet of every list (counted, filtered and
# labelled by the list pages' own code); its export takes the same facets but the list kinds.
SEARCH_FACETS = Kind("search", (), RDF_TYPE.value, dimensions=tuple(facet_names()))
SEARCH_EXPORT = Kind("search", (), RDF_TYPE.value, dimensions=tuple(facet_names()[1:]))


def parse_search_filters(raw: Mapping[str, str]) -> Filters:
    """The facet filters of a search request, as a list page reads them (several values of a
    facet: any; several facets: all), and list kinds by their key."""
    filters = parse_filters(SEARCH_FACETS, raw, ignored=NOT_FACETS | {LIST_FACET})
    getlist = getattr(raw, "getlist", None)
    given = list(getlist(LIST_FACET)) if callable(getlist) else [raw.get(LIST_FACET, "")]
    chosen = [value for value in given if value]
    if len(chosen) > MAX_VALUES_PER_FACET:
        raise BadInputError(
            "view.error.too_many_filters", most=MAX_VALUES_PER_FACET, total=MAX_FILTER_VALUES
        )
    for value in chosen:
        if value not in KINDS:
            raise BadInputError(
                "search.error.unknown_list", list=value[:64], offered=", ".join(KINDS)
            )
    if chosen:
        filters[LIST_FACET] = tuple(sorted(set(chosen)))
    return filters


@dataclass(frozen=True)
class Found:
    """The hits of a search passing its filters, in rank order, with the facets counted over
    them and the index of their facet values."""

    text: str
    ranked: list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]
    index: ListIndex
    selection: Selection
    # More matched than the best MAX_MATCHES that facets, filters, pages and exports work on.
    capped: bool


def _hits_index(
    store: Store, matches: list[tuple[int, str, tuple[str, ...], tuple[str, ...]]]
) -> ListIndex:
    """The facet values of the hits, from the list pages' indexes of their kinds, as one
    index (the list kinds as one more facet)."""
    present = {key for *_, kinds in matches for key in kinds}
    indexes = {key: list_index(store, KINDS[key]) for key in present}
    facet_values: dict[str, dict[str, tuple[str, ...]]] = {n: {} for n in SEARCH_FACETS.facets}
    facet_values[LIST_FACET] = {iri: kinds for _, iri, _, kinds in matches}
    found_values: set[str] = set()
    for name in SEARCH_FACETS.facets:
        sources = {key: indexes[key].facet_values.get(name) for key in present}
        if name == LIST_FACET or not any(sources.values()):
            continue
        target = facet_values[name]
        for _, iri, _, kinds in matches:
            if len(kinds) == 1:
                # Most hits are of one list: its index's tuple as it is (sorted, shared).
                source = sources[kinds[0]]
                one = source.get(iri) if source else None
                if one:
                    target[iri] = one
                continue
            merged = {v for key in kinds for v in (sources[key] or {}).get(iri, ())}
            if merged:
                target[iri] = tuple(sorted(merged))
        for tuple_ in target.values():
            found_values.update(tuple_)
    value_labels: dict[str, dict[str, str]] = {}
    for key in present:
        known = indexes[key].value_labels
        value_labels.update({v: known[v] for v in found_values if v in known})
    return ListIndex(
        facet_values,
        {lang: [] for lang in LANGUAGES},
        value_labels,
        facet_label_cache=derived(store, "search/facet-labels", _facet_label_cache),
    )


def _facet_label_cache(store: Store) -> dict[str, dict[str, str]]:
    """The labels of facet values shown on search pages, per language, kept for the store's
    state (a value's label is the same in every search: reading them for each was one query
    for hundreds of IRIs per search). The list kinds are labelled by the page (they are keys,
    not IRIs to look up)."""
    return {lang: {key: key for key in KINDS} for lang in LANGUAGES}


def find(
    store: Store, index: SearchIndex, text: str, filters: Mapping[str, Sequence[str]] | None
) -> Found:
    """Every hit of `text` (up to MAX_MATCHES), best first, passing `filters`, with the facets
    counted as a list page counts them (each over the hits passing the other facets)."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    ranked = index.ranked(text) if text else []
    by_class = derived(store, "search/kind-classes", _kind_classes)
    matches = [(row, iri, classes, _kinds(by_class, classes)) for row, iri, classes in ranked]
    hits = _hits_index(store, matches)
    selection = hits.select_among(SEARCH_FACETS, [m[1] for m in matches], dict(filters or {}))
    kept = set(selection.members)
    return Found(
        text,
        [m for m in matches if m[1] in kept],
        hits,
        selection,
        len(ranked) >= MAX_MATCHES,
    )


def search(
    store: Store,
    index: SearchIndex,
    text: str,
    lang: str,
    offset: int = 0,
    filters: Filters | None = None,
) -> SearchResults:
    """The hits of `text` in the index, best first, filtered by facets, one page of them."""
    filters = dict(filters or {})
    found = find(store, index, text, filters)
    text = found.text
    if not found.ranked and not filters:
        return SearchResults(text, [], 0, {}, filters=filters)
    kept = found.ranked
    offset = max(0, min(offset, len(kept)))
    page = kept[offset : offset + MAX_RESULTS]
    details = index.details(text, [row for row, *_ in page]) if page else {}
    classes = {cls for _, _, found_, _ in page for cls in found_}
    labels = fetch_labels(store, list(classes), lang)
    hits = []
    for row, iri, types, kinds in page:
        own, snippet = details.get(row, ({}, ""))
        label = pick(own, lang) or short_name(iri)
        hits.append(SearchHit(iri, label, tuple(sorted(types)), kinds, snippet_pieces(snippet)))
    facets = labelled_facets(store, found.index, found.selection.facets, filters, lang)
    # The list kinds first, as the page has always shown them.
    facets.sort(key=lambda facet: facet.name != LIST_FACET)
    total = index.count(text) if found.capped and not filters else len(kept)
    return SearchResults(
        text,
        hits,
        total,
        {cls: labels.get(cls) or short_name(cls) for cls in classes},
        datasets_of_graphs(store, [h.iri for h in hits], lang) if hits else [],
        [f for f in facets if f.values],
        filters,
        found.capped,
    )


def export_search(
    store: Store,
    index: SearchIndex,
    text: str,
    lang: str,
    filters: Filters,
    fmt: str,
    *,
    document: str,
) -> tuple[Found, Export]:
    """Every hit of a search passing its filters (up to MAX_MATCHES), in rank order, as a list
    export in `fmt`; the kind of each hit is its classes."""
    found = find(store, index, text, filters)
    facet_values = {n: v for n, v in found.index.facet_values.items() if n != LIST_FACET}
    facet_values["kind"] = {iri: tuple(sorted(types)) for _, iri, types, _ in found.ranked}
    exported = replace(found.index, facet_values=facet_values)
    export = export_iris(
        store,
        SEARCH_EXPORT,
        lang,
        [iri for _, iri, _, _ in found.ranked],
        fmt,
        document=document,
        filters=filters,
        index=exported,
        about=search_about(found),
    )
    return found, export


def search_about(found: Found) -> dict[str, object]:
    """What an export of a search says of it besides a list's metadata: its query and cap."""
    return {"query": found.text, "capped": found.capped, "max_matches": MAX_MATCHES}


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
