"""PROV-O metadata of contributions: which member, for which organisation, when, what, how.

Every change is a prov:Activity `<graph>/version/<n>` in the public provenance graph; the
statements are only ever added (never rewritten), so the record of a replaced or retracted
contribution survives it. The named graph itself is a prov:Entity attributed to the
organisation. Members appear as prov:Agent `…/agent/<public id>` with their name only.
"""

from __future__ import annotations

import pyoxigraph as ox

from commons_graph.contributions.records import VersionRecord
from commons_graph.rdf.namespaces import (
    BASE,
    DCTERMS,
    FOAF,
    GRAPH,
    OWL_VERSION_INFO,
    PROV,
    RDF_TYPE,
    RDFS_COMMENT,
    RDFS_LABEL,
    SHAPES_IRI,
    XSD_DATETIME,
)

FOAF_NAME = ox.NamedNode(FOAF + "name")

PROVENANCE_GRAPH = ox.NamedNode(str(GRAPH["provenance"]))
CONTRIBUTION_GRAPH_PREFIX = str(GRAPH["contribution/"])

_ACTION_LABELS = {
    "create": ("Contribution created", "Contribution créée"),
    "replace": ("Contribution replaced", "Contribution remplacée"),
    "retract": ("Contribution withdrawn", "Contribution retirée"),
    "revert": ("Contribution reverted", "Contribution annulée"),
}


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(PROV + name)


def _dc(name: str) -> ox.NamedNode:
    return ox.NamedNode(DCTERMS + name)


def contribution_graph(contribution_id: str) -> ox.NamedNode:
    """The named graph holding a contribution's current statements."""
    return ox.NamedNode(CONTRIBUTION_GRAPH_PREFIX + contribution_id)


def contribution_id_of(graph: str) -> str | None:
    """The contribution identifier of a contribution graph IRI, else None."""
    if graph.startswith(CONTRIBUTION_GRAPH_PREFIX):
        return graph[len(CONTRIBUTION_GRAPH_PREFIX) :]
    return None


def version_iri(contribution_id: str, number: int) -> ox.NamedNode:
    """The activity that made version `number` of a contribution."""
    return ox.NamedNode(f"{CONTRIBUTION_GRAPH_PREFIX}{contribution_id}/version/{number}")


def agent_iri(public_id: str) -> ox.NamedNode:
    """The PROV agent standing for a member (no account data behind it)."""
    return ox.NamedNode(f"{BASE}agent/{public_id}")


def shapes_version_iri(version: str) -> ox.NamedNode:
    """The entity standing for one version of the shapes."""
    return ox.NamedNode(f"{SHAPES_IRI}/version/{version}")


def _time(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD_DATETIME)


def provenance_triples(version: VersionRecord) -> list[ox.Triple]:
    """The PROV-O statements recording one version."""
    graph = contribution_graph(version.contribution_id)
    activity = version_iri(version.contribution_id, version.number)
    agent = agent_iri(version.member_public_id)
    organisation = ox.NamedNode(version.organisation)
    shapes = shapes_version_iri(version.shapes_version)
    label_en, label_fr = _ACTION_LABELS[version.action]
    triples = [
        ox.Triple(graph, RDF_TYPE, _p("Entity")),
        ox.Triple(graph, _p("wasAttributedTo"), organisation),
        ox.Triple(activity, RDF_TYPE, _p("Activity")),
        ox.Triple(activity, RDFS_LABEL, ox.Literal(label_en, language="en")),
        ox.Triple(activity, RDFS_LABEL, ox.Literal(label_fr, language="fr")),
        ox.Triple(activity, _dc("type"), ox.Literal(version.action)),
        ox.Triple(activity, _p("endedAtTime"), _time(version.time)),
        ox.Triple(activity, _p("wasAssociatedWith"), agent),
        ox.Triple(activity, _p("used"), shapes),
        ox.Triple(activity, _dc("identifier"), ox.Literal(version.content_hash)),
        ox.Triple(agent, RDF_TYPE, _p("Agent")),
        ox.Triple(agent, FOAF_NAME, ox.Literal(version.member_name)),
        ox.Triple(agent, _p("actedOnBehalfOf"), organisation),
        ox.Triple(shapes, RDF_TYPE, _p("Entity")),
        ox.Triple(shapes, _p("specializationOf"), ox.NamedNode(SHAPES_IRI)),
        ox.Triple(shapes, OWL_VERSION_INFO, ox.Literal(version.shapes_version)),
    ]
    if version.action == "create":
        triples.append(ox.Triple(graph, _p("generatedAtTime"), _time(version.time)))
    if version.action in ("create", "replace", "revert") and version.content:
        triples.append(ox.Triple(activity, _p("generated"), graph))
    if version.action != "create":
        triples.append(ox.Triple(activity, _p("invalidated"), graph))
        previous = version_iri(version.contribution_id, version.number - 1)
        triples.append(ox.Triple(activity, _p("wasInformedBy"), previous))
    if version.reverts is not None:
        restored = version_iri(version.contribution_id, version.reverts)
        triples.append(ox.Triple(activity, _dc("relation"), restored))
    if version.comment:
        triples.append(ox.Triple(activity, RDFS_COMMENT, ox.Literal(version.comment)))
    return triples


def provenance_quads(version: VersionRecord) -> list[ox.Quad]:
    """The PROV statements of a version, placed in the provenance graph."""
    return [
        ox.Quad(t.subject, t.predicate, t.object, PROVENANCE_GRAPH)
        for t in provenance_triples(version)
    ]
