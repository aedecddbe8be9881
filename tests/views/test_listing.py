"""List pages: paging covers everything once, counts, facets, filters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Triple

from commons_graph.errors import BadInputError
from commons_graph.store import Store
from commons_graph.views.home import kind_counts
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index, list_page, parse_filters

CARE = "https://w3id.org/commons-graph/value/care"


def test_paging_lists_each_value_once_in_label_order(seeded_store: Store) -> None:
    kind = KINDS["values"]
    first = list_page(seeded_store, kind, "en", page=1, per_page=4)
    seen = []
    for number in range(1, first.pages + 1):
        seen += [item.label for item in list_page(seeded_store, kind, "en", number, 4).items]
    assert len(seen) == len(set(seen)) == first.total == kind_counts(seeded_store)["values"]
    assert seen == sorted(seen, key=str.casefold)


def test_a_value_filter_keeps_only_holders(seeded_store: Store) -> None:
    kind = KINDS["organisations"]
    listed = list_page(seeded_store, kind, "en", filters={"value": CARE})
    assert listed.total >= 1
    facet = next(f for f in listed.facets if f.name == "value")
    care = next(v for v in facet.values if v.iri == CARE)
    assert care.selected and care.count == listed.total


def test_filters_must_be_iris() -> None:
    with pytest.raises(BadInputError):
        parse_filters(KINDS["organisations"], {"value": "not an iri"})
    with pytest.raises(BadInputError):  # values have no such facet: a bad request
        parse_filters(KINDS["values"], {"value": CARE})
    assert parse_filters(KINDS["organisations"], {"value": CARE, "page": "2"}) == {"value": (CARE,)}


def test_each_language_has_its_own_order_with_fallbacks(seeded_store: Store) -> None:
    """A label in the page's language first, else a label in any, else the IRI."""
    base = "https://w3id.org/commons-graph/id/organisation/"
    label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    kind_of = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    organisation = NamedNode("http://www.w3.org/ns/org#Organization")
    zeta, mu, bare = (NamedNode(base + name) for name in ("zeta-alpha", "mu", "aaa-no-label"))
    seeded_store.replace_graph(
        NamedNode("https://w3id.org/commons-graph/graph/test-order"),
        [
            *(Triple(o, kind_of, organisation) for o in (zeta, mu, bare)),
            Triple(zeta, label, Literal("Zzeta", language="en")),
            Triple(zeta, label, Literal("Aalpha", language="fr")),
            Triple(mu, label, Literal("Mmu", language="fr")),
        ],
    )
    kind = KINDS["organisations"]

    def order(lang: str) -> list[str]:
        listed = list_page(seeded_store, kind, lang, per_page=200)
        return [item.iri for item in listed.items if item.iri in (zeta.value, mu.value, bare.value)]

    # "https://…/aaa-no-label" sorts by its IRI, before any letter past "h".
    assert order("en") == [bare.value, mu.value, zeta.value]
    assert order("fr") == [zeta.value, bare.value, mu.value]


def test_facets_counted_among_given_iris_keep_their_order(seeded_store: Store) -> None:
    kind = KINDS["organisations"]
    index = list_index(seeded_store, kind)
    given = list(reversed(index.ordered("en")))
    chosen = index.select_among(kind, given, {"value": [CARE]})
    holders = [iri for iri in given if CARE in index.facet_values["value"].get(iri, ())]
    assert chosen.members == holders and holders
    care = next(v for f in chosen.facets if f.name == "value" for v in f.values if v.iri == CARE)
    assert care.selected and care.count == len(holders)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["value", "theme", "region", "page", "nosuch", "kind", ""])
            | st.text(max_size=8),
            st.text(max_size=40) | st.just("https://example.org/a"),
        ),
        max_size=60,
    )
)
def test_parse_filters_accepts_iris_or_says_bad_input(pairs: list[tuple[str, str]]) -> None:
    from starlette.datastructures import QueryParams

    raw = QueryParams(pairs)
    try:
        filters = parse_filters(KINDS["organisations"], raw)
    except BadInputError:
        return
    assert sum(len(v) for v in filters.values()) <= 50
    for name, chosen in filters.items():
        assert name in KINDS["organisations"].facets and 0 < len(chosen) <= 20
        for value in chosen:
            NamedNode(value)


def test_an_empty_label_is_no_label() -> None:
    from commons_graph.views.labels import Labels

    labels = Labels("fr")
    labels.add("https://example.org/os130", "", "fr")
    labels.add("https://example.org/os130", "Community Benefit Society", "en")
    assert labels.get("https://example.org/os130") == "Community Benefit Society"
