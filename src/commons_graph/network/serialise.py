"""Network answers as JSON-ready dicts (for tools and the page's script) and as RDF triples."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyoxigraph import NamedNode, Triple

from commons_graph.i18n import translate
from commons_graph.network.bridges import Bridges
from commons_graph.network.neighbourhood import Neighbourhood, Node
from commons_graph.network.paths import PathsAnswer
from commons_graph.store.base import Store
from commons_graph.views.labels import fetch_labels

Href = Callable[[str], str | None]


def node_json(node: Node, href: Href, lang: str) -> dict[str, Any]:
    """One resource: IRI, label and kind (in `lang`), and its page's URL."""
    return {
        "iri": node.iri,
        "label": node.label,
        "kind": node.kind,
        "kind_label": translate(f"network.node.{node.kind}", lang),
        "url": href(node.iri),
        "depth": node.depth,
    }


def neighbourhood_json(answer: Neighbourhood, href: Href, lang: str) -> dict[str, Any]:
    """The neighbourhood format of /network/data (docs/web.md)."""
    # Each kind's name translated once, not once per node or link.
    node_kinds = {k: translate(f"network.node.{k}", lang) for k in {n.kind for n in answer.nodes}}
    link_kinds = {k: translate(f"network.kind.{k}", lang) for k in {e.kind for e in answer.edges}}
    return {
        "iri": answer.center,
        "depth": answer.depth,
        "kinds": sorted(answer.kinds),
        "max_nodes": answer.max_nodes,
        "truncated": answer.truncated,
        "generation": answer.generation,
        "nodes": [
            {
                "iri": node.iri,
                "label": node.label,
                "kind": node.kind,
                "kind_label": node_kinds[node.kind],
                "url": href(node.iri),
                "depth": node.depth,
            }
            for node in answer.nodes
        ],
        "edges": [
            {
                "source": edge.source,
                "target": edge.target,
                "predicate": edge.predicate,
                "label": edge.label,
                "kind": edge.kind,
                "kind_label": link_kinds[edge.kind],
                "derived": edge.derived,
            }
            for edge in answer.edges
        ],
    }


def neighbourhood_triples(store: Store, answer: Neighbourhood, lang: str) -> list[Triple]:
    """The neighbourhood's links as RDF, with the labels of its resources."""
    triples = []
    for edge in answer.edges:
        ends = [(edge.source, edge.target)]
        if edge.derived:
            # A derived relation is stated both ways in its graph: both travel.
            ends.append((edge.target, edge.source))
        triples += [Triple(NamedNode(s), NamedNode(edge.predicate), NamedNode(o)) for s, o in ends]
    triples += fetch_labels(store, [node.iri for node in answer.nodes], lang).triples
    return triples


def paths_json(answer: PathsAnswer, href: Href, lang: str) -> dict[str, Any]:
    """The paths format of /paths (docs/web.md)."""
    nodes = {iri: node_json(node, href, lang) for iri, node in answer.nodes.items()}
    for node in nodes.values():
        del node["depth"]
    return {
        "from": nodes[answer.source],
        "to": nodes[answer.target],
        "max_length": answer.max_length,
        "alternatives": answer.alternatives,
        "timed_out": answer.timed_out,
        "generation": answer.generation,
        "paths": [
            {
                "length": len(steps),
                "steps": [
                    {
                        "from": nodes[step.start],
                        "to": nodes[step.end],
                        "relations": [
                            {
                                "predicate": r.predicate,
                                "label": r.label,
                                "kind": r.kind,
                                "derived": r.derived,
                                "direction": "forward" if r.forward else "backward",
                            }
                            for r in step.relations
                        ],
                    }
                    for step in steps
                ],
            }
            for steps in answer.paths
        ],
    }


def bridges_json(answer: Bridges, href: Href, lang: str) -> list[dict[str, Any]]:
    """Bridges, each with what it shares (as the organisation page shows them)."""
    return [
        {
            "iri": bridge.iri,
            "label": bridge.label,
            "url": href(bridge.iri),
            "score": bridge.score,
            "shared": [
                {
                    "kind": part.kind,
                    "kind_label": _kind_label(part.kind, len(part.concepts), lang),
                    "concepts": [{"iri": iri, "label": label} for iri, label in part.concepts],
                }
                for part in bridge.shared
            ],
        }
        for bridge in answer.bridges
    ]


def _kind_label(kind: str, count: int, lang: str) -> str:
    """A bridge kind's name, singular or plural."""
    return translate(f"network.bridge.{kind}.{'one' if count == 1 else 'many'}", lang)
