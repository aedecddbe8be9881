"""The fast paths of facet counting and CSV writing give what the plain ones give."""

from __future__ import annotations

import csv
import io
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.views.exports import csv_cell
from commons_graph.views.kinds import Kind
from commons_graph.views.listing import ListIndex, Selection, _facet

NAMES = ("kind", "value", "theme", "place")
KIND = Kind("test", ("urn:root",), "urn:kind", dimensions=NAMES)
VALUES = st.sampled_from([f"urn:v{i}" for i in range(6)])
MEMBERS = [f"urn:m{i}" for i in range(12)]


def counted_plainly(
    index: ListIndex, iris: list[str], filters: dict[str, tuple[str, ...]]
) -> Selection:
    """Facet counts as the list pages defined them first: each facet over the members
    passing every other facet's filter."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in KIND.facets}
    kept = []
    for iri in iris:
        failed = [
            name
            for name, accepted in filters.items()
            if set(accepted).isdisjoint(index.facet_values.get(name, {}).get(iri, ()))
        ]
        if len(failed) > 1:
            continue
        for name in failed or list(counters):
            if name in counters:
                counters[name].update(index.facet_values.get(name, {}).get(iri, ()))
        if not failed:
            kept.append(iri)
    facets = [_facet(name, counters[name], filters.get(name, ())) for name in KIND.facets]
    return Selection(kept, facets)


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(
        st.sampled_from(NAMES),
        st.dictionaries(
            st.sampled_from(MEMBERS),
            st.lists(VALUES, min_size=1, max_size=3, unique=True).map(
                lambda found: tuple(sorted(found))
            ),
            max_size=12,
        ),
    ),
    filters=st.dictionaries(
        st.sampled_from([*NAMES, "other"]),
        st.lists(VALUES, min_size=1, max_size=2, unique=True).map(lambda v: tuple(sorted(v))),
        max_size=3,
    ),
    order=st.permutations(MEMBERS),
)
def test_facets_are_counted_as_the_plain_loop_counts_them(
    values: dict[str, dict[str, tuple[str, ...]]],
    filters: dict[str, tuple[str, ...]],
    order: list[str],
) -> None:
    index = ListIndex(values, {"en": list(order)})
    assert index.select_among(KIND, order, filters) == counted_plainly(index, order, filters)
    # An iterator of IRIs (read once) gives the same.
    assert index.select_among(KIND, iter(order), filters) == counted_plainly(index, order, filters)


def written_by_csv_module(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab ,\"\r\n\t;'=é"), max_size=8), min_size=2))
def test_csv_cells_are_written_as_the_csv_module_writes_them(cells: list[str]) -> None:
    assert ",".join(csv_cell(cell) for cell in cells) + "\r\n" == written_by_csv_module(cells)
