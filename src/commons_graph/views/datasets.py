"""Imported datasets behind statements: their title, licence and attribution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from commons_graph.store.base import Store
from commons_graph.views.labels import pick
from commons_graph.views.sparql import PROLOGUE, values

# A dataset is found from a named graph (or a resource) that is itself the dcat:Dataset, or
# that points to it with void:inDataset / dcterms:isPartOf; only licensed datasets count.
_DATASETS = """
SELECT ?d ?license ?attribution ?holder ?holderName ?title WHERE {{
  {{ {v} BIND(?x AS ?d) }} UNION {{ {v} ?x void:inDataset|dcterms:isPartOf ?d }}
  ?d a dcat:Dataset ; dcterms:license ?license .
  OPTIONAL {{ ?d <http://creativecommons.org/ns#attributionName> ?attribution }}
  OPTIONAL {{ ?d dcterms:rightsHolder ?holder
             OPTIONAL {{ ?holder foaf:name|rdfs:label|skos:prefLabel ?holderName }} }}
  OPTIONAL {{ ?d dcterms:title|rdfs:label ?title }}
}}
"""


@dataclass(frozen=True)
class DatasetInfo:
    """An imported dataset: its IRI, title, licence and who to credit."""

    iri: str
    title: str | None
    license: str
    attribution: str | None


def datasets_of_graphs(store: Store, iris: Iterable[str], lang: str) -> list[DatasetInfo]:
    """The licensed datasets that the named graphs (or resources) `iris` belong to."""
    nodes = [NamedNode(iri) for iri in sorted(set(iris))]
    if not nodes:
        return []
    found: dict[str, dict[str, dict[str, str]]] = {}
    for row in store.select(PROLOGUE + _DATASETS.format(v=values("x", nodes))).dicts():
        dataset = row["d"]
        if not isinstance(dataset, NamedNode):
            continue
        entry = found.setdefault(dataset.value, {"license": {}, "attribution": {}, "title": {}})
        licence = row["license"]
        if not isinstance(licence, NamedNode):
            continue
        entry["license"].setdefault("", licence.value)
        for key, var in (("attribution", "attribution"), ("attribution", "holderName")):
            term = row.get(var)
            if isinstance(term, Literal):
                entry[key].setdefault(term.language or "", term.value)
        holder = row.get("holder")
        if isinstance(holder, NamedNode) and not entry["attribution"]:
            entry["attribution"][""] = holder.value
        title = row.get("title")
        if isinstance(title, Literal):
            entry["title"].setdefault(title.language or "", title.value)
    return [
        DatasetInfo(
            iri=iri,
            title=pick(entry["title"], lang) if entry["title"] else None,
            license=entry["license"][""],
            attribution=pick(entry["attribution"], lang) if entry["attribution"] else None,
        )
        for iri, entry in sorted(found.items())
    ]
