"""The description of an imported dataset: DCAT/VoID, licence, attribution, PROV activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad, Triple

from commons_graph import __version__
from commons_graph.importing import terms as t
from commons_graph.rdf.namespaces import (
    CC_ATTRIBUTION_NAME,
    DCTERMS,
    RDF_TYPE,
    RDFS_LABEL,
    XSD_DATETIME,
    XSD_INTEGER,
)
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.sparql_text import values_rows

DC_CREATED = NamedNode(DCTERMS + "created")


@dataclass(frozen=True)
class DatasetDescription:
    """What the person importing says about the dataset."""

    name: str
    licence: str
    attribution: str
    source: str | None = None
    title: str | None = None
    lang: str = "en"


def dataset_triples(
    description: DatasetDescription,
    *,
    file_name: str,
    started: datetime,
    ended: datetime,
    organisations: int,
    triples: int | None = None,
    created: datetime | None = None,
) -> list[Triple]:
    """The dataset's metadata; only the times change when the same file is imported again.

    `created` is when the dataset was first imported (`first_imported`; `started` when None).
    No statement count is written here: a count inside the graph it counts cannot count
    itself, and rows may share statements; VoID states the store's exact count of the graph
    (views/sources.py). `triples` is accepted for callers that still pass it, and unused.
    """
    del triples
    first = created or started
    dataset = t.dataset_iri(description.name)
    activity = NamedNode(dataset.value + "#import")
    agent = NamedNode(dataset.value + "#importer")
    source = NamedNode(description.source) if description.source else None
    title = description.title or description.name
    ended_literal = Literal(ended.isoformat(), datatype=XSD_DATETIME)
    found = [
        # The graph holding the import names its dataset: pages and VoID find a dataset (its
        # licence, its attribution) from the graphs their statements come from.
        Triple(t.dataset_graph(description.name), t.VOID_IN_DATASET, dataset),
        Triple(dataset, RDF_TYPE, t.DCAT_DATASET),
        Triple(dataset, RDF_TYPE, t.VOID_DATASET),
        Triple(dataset, t.DC_TITLE, Literal(title, language=description.lang)),
        Triple(dataset, t.DC_LICENSE, NamedNode(description.licence)),
        Triple(dataset, CC_ATTRIBUTION_NAME, Literal(description.attribution)),
        Triple(dataset, t.DC_RIGHTS, Literal(description.attribution)),
        Triple(dataset, t.DC_MODIFIED, ended_literal),
        Triple(dataset, DC_CREATED, Literal(first.isoformat(), datatype=XSD_DATETIME)),
        Triple(dataset, t.PROV_GENERATED_AT, ended_literal),
        Triple(dataset, t.PROV_GENERATED_BY, activity),
        Triple(dataset, t.VOID_ENTITIES, Literal(str(organisations), datatype=XSD_INTEGER)),
        Triple(activity, RDF_TYPE, t.PROV_ACTIVITY),
        Triple(activity, RDFS_LABEL, Literal(f"import of {file_name}", language="en")),
        Triple(activity, t.PROV_STARTED, Literal(started.isoformat(), datatype=XSD_DATETIME)),
        Triple(activity, t.PROV_ENDED, ended_literal),
        Triple(activity, t.PROV_ASSOCIATED_WITH, agent),
        Triple(agent, RDF_TYPE, t.PROV_SOFTWARE_AGENT),
        Triple(agent, RDFS_LABEL, Literal(f"commons-graph {__version__}")),
    ]
    if source is not None:
        found += [
            Triple(dataset, t.DC_SOURCE, source),
            Triple(dataset, t.PROV_DERIVED_FROM, source),
            Triple(activity, t.PROV_USED, source),
        ]
    return found


@dataclass(frozen=True)
class DatasetInfo:
    """An imported dataset as pages and claims need it: where data comes from, on what terms."""

    iri: str
    graph: str
    title: str | None
    licence: str | None
    attribution: str | None
    source: str | None
    modified: str | None


_INFO = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX cc: <http://creativecommons.org/ns#>
PREFIX void: <http://rdfs.org/ns/void#>
SELECT ?dataset ?graph ?title ?licence ?attribution ?source ?modified WHERE {
  GRAPH ?graph {
    ?resource void:inDataset ?dataset .
    OPTIONAL { ?dataset dcterms:title ?title }
    OPTIONAL { ?dataset dcterms:license ?licence }
    OPTIONAL { ?dataset cc:attributionName ?attribution }
    OPTIONAL { ?dataset dcterms:source ?source }
    OPTIONAL { ?dataset dcterms:modified ?modified }
  }
}
LIMIT 1
"""


def dataset_of(store: Store, resource: str) -> DatasetInfo | None:
    """The imported dataset `resource` comes from (None for seed or contributed resources)."""
    rows = store.select(_INFO, {"resource": NamedNode(resource)}).dicts()
    if not rows:
        return None
    row = rows[0]
    return DatasetInfo(
        iri=row["dataset"].value,  # type: ignore[union-attr]
        graph=row["graph"].value,  # type: ignore[union-attr]
        **{
            key: row[key].value if key in row else None  # type: ignore[union-attr]
            for key in ("title", "licence", "attribution", "source", "modified")
        },
    )


_CREATED = """
SELECT ?created WHERE {{
  {values} GRAPH ?graph {{ ?dataset <http://purl.org/dc/terms/created> ?created }}
}}
"""


def first_imported(store: Store, name: str) -> datetime | None:
    """When dataset `name` was first imported (its `dcterms:created`), if it was."""
    values = values_rows(("graph", "dataset"), [(t.dataset_graph(name), t.dataset_iri(name))])
    rows = store.select(_CREATED.format(values=values)).rows
    if not rows or not isinstance(rows[0][0], Literal):
        return None
    return datetime.fromisoformat(rows[0][0].value.replace("Z", "+00:00"))


_WRITTEN_COUNTS = """
SELECT ?graph ?dataset ?count WHERE {
  GRAPH ?graph { ?graph <http://rdfs.org/ns/void#inDataset> ?dataset .
                 ?dataset <http://rdfs.org/ns/void#triples> ?count }
}
"""


def drop_written_counts(store: Store) -> int:
    """Remove the statement counts earlier imports wrote in their own graphs (they missed the
    metadata itself); VoID states the store's count instead. Returns how many were removed."""
    rows = store.select(_WRITTEN_COUNTS).rows
    stale = [
        Quad(dataset, t.VOID_TRIPLES, count, graph)
        for graph, dataset, count in rows
        if isinstance(graph, NamedNode) and isinstance(dataset, NamedNode) and count is not None
    ]
    if stale:
        store.commit(ChangeSet(delete=stale))
    return len(stale)
