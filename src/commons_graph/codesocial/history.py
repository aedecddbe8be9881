"""The audit trail of a #CodeSocial: each publication and each contribution that changed it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from commons_graph.codesocial.draft import read_draft
from commons_graph.codesocial.iris import draft_iri
from commons_graph.codesocial.versions import get_version, list_versions
from commons_graph.rdf.namespaces import GRAPH, PROV, RDFS
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

CONTRIBUTION_PREFIX = str(GRAPH["contribution/"])
PROVENANCE_GRAPH = ox.NamedNode(str(GRAPH["provenance"]))


@dataclass
class AuditEvent:
    """One attributed change: when, what (activity and its labels), who."""

    time: str
    activity: str
    kind: str  # "publication" or "contribution"
    label: dict[str, str] = field(default_factory=dict)
    agents: list[str] = field(default_factory=list)
    number: int | None = None
    graph: str | None = None


_CONTRIBUTIONS_QUERY = f"""
SELECT DISTINCT ?g WHERE {{
  #VALUES#
  GRAPH ?g {{ ?n ?p ?o }}
  FILTER(STRSTARTS(STR(?g), {ox.Literal(CONTRIBUTION_PREFIX)}))
}}
"""

_ACTIVITIES_QUERY = f"""
SELECT ?activity ?time ?agent ?label WHERE {{
  #VALUES#
  GRAPH {PROVENANCE_GRAPH} {{
    ?activity <{PROV}generated>/<{PROV}specializationOf> ?g ; <{PROV}endedAtTime> ?time .
    OPTIONAL {{ ?activity <{PROV}wasAssociatedWith> ?agent }}
    OPTIONAL {{ ?activity <{RDFS}label> ?label }}
  }}
}}
"""


def audit_trail(store: Store, slug: str) -> list[AuditEvent]:
    """Every publication and every contribution behind the current draft, newest first."""
    events: list[AuditEvent] = []
    for info in list_versions(store, slug):
        full = get_version(store, info.ref)
        events.append(
            AuditEvent(
                time=info.issued,
                activity=info.ref.activity.value,
                kind="publication",
                label={
                    "en": f"Publication of version {info.ref.number}",
                    "fr": f"Publication de la version {info.ref.number}",
                },
                agents=list(full.agents),
                number=info.ref.number,
            )
        )
    draft = read_draft(store, draft_iri(slug))
    nodes = [draft.root, *draft.parts()]
    rows = store.select(_CONTRIBUTIONS_QUERY.replace("#VALUES#", values_block("n", nodes))).rows
    graphs = [g for (g,) in rows if isinstance(g, ox.NamedNode)]
    if graphs:
        found: dict[str, AuditEvent] = {}
        query = _ACTIVITIES_QUERY.replace("#VALUES#", values_block("g", graphs))
        for activity, time, agent, label in store.select(query).rows:
            if not isinstance(activity, ox.NamedNode):
                continue
            event = found.setdefault(
                activity.value,
                AuditEvent(time=time.value, activity=activity.value, kind="contribution"),  # type: ignore[union-attr]
            )
            if isinstance(agent, ox.NamedNode) and agent.value not in event.agents:
                event.agents.append(agent.value)
            if isinstance(label, ox.Literal):
                event.label.setdefault(label.language or "", label.value)
        events.extend(found.values())
    events.sort(key=lambda e: e.time, reverse=True)
    return events
