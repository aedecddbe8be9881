"""The home page's numbers: how many resources of each kind the network holds."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store
from commons_graph.views.kinds import KINDS, class_sets
from commons_graph.views.sparql import PROLOGUE, as_int, values_rows

_COUNTS = """
SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {v} ?s a ?type . FILTER(isIRI(?s)) }}
GROUP BY ?kind
"""


def kind_counts(store: Store) -> dict[str, int]:
    """The number of resources of each listed kind, in one query."""
    kinds = list(KINDS.values())
    sets = class_sets(store, kinds)
    rows = [(NamedNode(cls), Literal(kind.key)) for kind in kinds for cls in sets[kind.key]]
    query = PROLOGUE + _COUNTS.format(v=values_rows(("type", "kind"), rows))
    counts = dict.fromkeys(KINDS, 0)
    for kind, count in store.select(query).rows:
        if isinstance(kind, Literal):
            counts[kind.value] = as_int(count)
    return counts
