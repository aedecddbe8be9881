"""Search by label: a case-insensitive CONTAINS over labels, the text bound as a literal."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs
from commons_graph.views.labels import fetch_labels, short_name
from commons_graph.views.sparql import PROLOGUE, as_int, values

MAX_RESULTS = 50
MAX_QUERY_LENGTH = 200

_MATCHES = """
SELECT ?s (MIN(STRLEN(STR(?l))) AS ?len) WHERE {{
  {v}
  ?s skos:prefLabel|rdfs:label|skos:altLabel|dcterms:title|foaf:name ?l .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), LCASE(?q)))
}}
GROUP BY ?s ORDER BY ?len ?s LIMIT {limit} OFFSET {offset}
"""

_COUNT = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  {v}
  ?s skos:prefLabel|rdfs:label|skos:altLabel|dcterms:title|foaf:name ?l .
  FILTER(isIRI(?s) && CONTAINS(LCASE(STR(?l)), LCASE(?q)))
}}
"""

_TYPES = "SELECT ?s ?type WHERE {{ {v} ?s a ?type . FILTER(isIRI(?type)) }}"


@dataclass(frozen=True)
class SearchHit:
    """A resource whose label contains the text, with its label and kinds."""

    iri: str
    label: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class SearchResults:
    """The hits of one search page and how many there are in all."""

    text: str
    hits: list[SearchHit]
    total: int
    type_labels: dict[str, str]
    # The imported datasets the hits come from, to credit under them.
    datasets: list[DatasetInfo] = field(default_factory=list)


def search(store: Store, text: str, lang: str, offset: int = 0) -> SearchResults:
    """Resources whose label contains `text` (any case): shortest labels first."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return SearchResults(text, [], 0, {})
    bound = values("q", [Literal(text)])
    query = _MATCHES.format(v=bound, limit=MAX_RESULTS, offset=max(0, offset))
    iris = [
        t.value
        for t in (r[0] for r in store.select(PROLOGUE + query).rows)
        if isinstance(t, NamedNode)
    ]
    total = as_int(store.select(PROLOGUE + _COUNT.format(v=bound)).rows[0][0])
    types: dict[str, list[str]] = {}
    if iris:
        typed = store.select(_TYPES.format(v=values("s", [NamedNode(i) for i in iris])))
        for subject, cls in typed.rows:
            if isinstance(subject, NamedNode) and isinstance(cls, NamedNode):
                types.setdefault(subject.value, []).append(cls.value)
    all_types = {t for found in types.values() for t in found}
    labels = fetch_labels(store, [*iris, *all_types], lang)
    hits = [
        SearchHit(iri, labels.get(iri) or short_name(iri), tuple(sorted(types.get(iri, []))))
        for iri in iris
    ]
    type_labels = {t: labels(t) for t in all_types}
    datasets = datasets_of_graphs(store, iris, lang) if iris else []
    return SearchResults(text, hits, total, type_labels, datasets)
