"""What a resource page shows of the network: its neighbourhood (depth 1) and its bridges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commons_graph.i18n import translate
from commons_graph.network.bridges import Bridges, find_bridges
from commons_graph.network.links import ALL_KINDS
from commons_graph.network.model import ready_network_model
from commons_graph.network.neighbourhood import Edge, Neighbourhood, Node, neighbourhood
from commons_graph.network.serialise import Href, bridges_json, neighbourhood_json
from commons_graph.store.base import Store

# A resource page shows this many linked resources at most (/network shows more).
PAGE_MAX_NODES = 100


@dataclass
class LinkGroup:
    """The links of one relation kind, for the text alternative."""

    kind: str
    label: str
    edges: list[Edge] = field(default_factory=list)


@dataclass
class NetworkPanel:
    """The resource page's network part: the graph's data and its text alternative."""

    iri: str
    data: dict[str, Any]
    groups: list[LinkGroup]
    nodes: dict[str, Node]
    truncated: bool
    bridges: list[dict[str, Any]]


def text_groups(answer: Neighbourhood, lang: str) -> list[LinkGroup]:
    """The links grouped by relation kind (in ALL_KINDS order), for people to read."""
    groups: dict[str, LinkGroup] = {}
    for edge in answer.edges:
        group = groups.get(edge.kind)
        if group is None:
            label = translate(f"network.kind.{edge.kind}", lang)
            group = groups[edge.kind] = LinkGroup(edge.kind, label)
        group.edges.append(edge)
    order = {kind: i for i, kind in enumerate(ALL_KINDS)}
    return sorted(groups.values(), key=lambda g: order[g.kind])


def network_panel(
    store: Store, iri: str, lang: str, href: Href, *, max_nodes: int = PAGE_MAX_NODES
) -> NetworkPanel | None:
    """The depth-1 neighbourhood of `iri` and, for an organisation, its bridges; None while
    the network model is not built yet (the page then links to /network, which waits for
    it): a page never builds the model, which takes seconds on a large store."""
    model = ready_network_model(store)
    if model is None:
        return None
    answer = neighbourhood(
        store, model, iri, lang, depth=1, kinds=frozenset(ALL_KINDS), max_nodes=max_nodes
    )
    bridges: Bridges = find_bridges(store, model, iri, lang)
    return NetworkPanel(
        iri=iri,
        data=neighbourhood_json(answer, href, lang),
        groups=text_groups(answer, lang),
        nodes={node.iri: node for node in answer.nodes},
        truncated=answer.truncated,
        bridges=bridges_json(bridges, href, lang),
    )
