"""Links between organisations: stated by one side, confirmed when the other side states them.

A member may say that their organisation is a partner or member of another one, or part of it;
that link is *unconfirmed* until the other organisation states the reciprocal link (in its own
contribution, or in the curated seed data). The check is a plain SPARQL pattern, so pages and
SPARQL users can tell too (see docs/contributions.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.contributions.provenance import CONTRIBUTION_GRAPH_PREFIX
from commons_graph.rdf.namespaces import CG, ORG
from commons_graph.store.base import Store
from commons_graph.store.sparql_text import values_block

RECIPROCALS = {
    CG + "partnerOf": CG + "partnerOf",
    ORG + "memberOf": ORG + "hasMember",
    ORG + "hasMember": ORG + "memberOf",
    ORG + "subOrganizationOf": ORG + "hasSubOrganization",
    ORG + "hasSubOrganization": ORG + "subOrganizationOf",
}

_VALUES = " ".join(f"(<{p}> <{r}>)" for p, r in RECIPROCALS.items())

LINKS_QUERY = f"""
PREFIX org: <{ORG}>
SELECT ?source ?link ?target ?graph ?confirmed WHERE {{
  VALUES (?link ?reciprocal) {{ {_VALUES} }}
  GRAPH ?graph {{ ?source ?link ?target }}
  FILTER(STRSTARTS(STR(?graph), "{CONTRIBUTION_GRAPH_PREFIX}"))
  ?target a org:Organization .
  BIND(EXISTS {{ ?target ?reciprocal ?source }} AS ?confirmed)
}}"""


# The links from or to one organisation (bound first by `{self}`): a page reads its own links,
# never every contributed link of the store.
_ONE_QUERY = f"""
PREFIX org: <{ORG}>
SELECT ?source ?link ?target ?graph ?confirmed WHERE {{
  {{self}}
  VALUES (?link ?reciprocal) {{ {_VALUES} }}
  {{ GRAPH ?graph {{ ?self ?link ?target }} BIND(?self AS ?source) }}
  UNION
  {{ GRAPH ?graph {{ ?source ?link ?self }} BIND(?self AS ?target) }}
  FILTER(STRSTARTS(STR(?graph), "{CONTRIBUTION_GRAPH_PREFIX}"))
  ?target a org:Organization .
  BIND(EXISTS {{ ?target ?reciprocal ?source }} AS ?confirmed)
}}"""


@dataclass(frozen=True)
class Link:
    """A link from one organisation to another, as contributed."""

    source: str
    link: str
    target: str
    graph: str
    confirmed: bool


def organisation_links(store: Store, organisation: str | None = None) -> list[Link]:
    """Contributed links between organisations (from or to `organisation`), with their status."""
    links = []
    query = LINKS_QUERY
    if organisation is not None:
        query = _ONE_QUERY.replace("{self}", values_block("self", [ox.NamedNode(organisation)]))
    for row in store.select(query).dicts():
        source, target = row["source"], row["target"]
        if not isinstance(source, ox.NamedNode) or not isinstance(target, ox.NamedNode):
            continue
        if organisation is not None and organisation not in (source.value, target.value):
            continue
        confirmed = row.get("confirmed")
        links.append(
            Link(
                source.value,
                row["link"].value,  # type: ignore[union-attr]
                target.value,
                row["graph"].value,  # type: ignore[union-attr]
                # Virtuoso answers EXISTS with the integers 1 and 0, not booleans.
                isinstance(confirmed, ox.Literal) and confirmed.value in ("true", "1"),
            )
        )
    return sorted(links, key=lambda lk: (lk.source, lk.link, lk.target))
