"""The kinds of resource that have a list page, and the classes each one covers."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from commons_graph.rdf.namespaces import CG, ORG, RDF_TYPE, SCHEMA
from commons_graph.store.base import Store
from commons_graph.views.sparql import PROLOGUE, values

# Facets: name -> the property linking a listed resource to the facet's values.
FACET_PROPERTIES = {"value": CG + "holdsValue", "theme": CG + "worksOn"}


@dataclass(frozen=True)
class Kind:
    """A list page: its path segment, root classes, and how its "kind" facet is read."""

    key: str
    roots: tuple[str, ...]
    kind_property: str | None = None
    has_actor_facets: bool = True

    @property
    def facets(self) -> tuple[str, ...]:
        """The facet names this list offers."""
        names = ("value", "theme") if self.has_actor_facets else ()
        return (*names, "kind") if self.kind_property else names


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        # The kind facet of organisations is their class (cooperative, collective, ...).
        Kind("organisations", (ORG + "Organization", ORG + "FormalOrganization"), RDF_TYPE.value),
        Kind("commons", (CG + "Commons",), CG + "commonsKind"),
        Kind("projects", (SCHEMA + "Project",)),
        Kind("events", (SCHEMA + "Event",), RDF_TYPE.value),
        Kind("values", (CG + "Value",), has_actor_facets=False),
        Kind("themes", (CG + "Theme",), has_actor_facets=False),
        Kind("topics", (CG + "Topic",), has_actor_facets=False),
    )
}

_SUBCLASSES = """
SELECT DISTINCT ?root ?class WHERE {{ {v} ?class rdfs:subClassOf* ?root . FILTER(isIRI(?class)) }}
"""


def class_sets(store: Store, kinds: list[Kind]) -> dict[str, list[str]]:
    """For each kind, its root classes and every class declared a subclass of them."""
    roots = sorted({root for kind in kinds for root in kind.roots})
    query = PROLOGUE + _SUBCLASSES.format(v=values("root", [NamedNode(r) for r in roots]))
    below: dict[str, set[str]] = {root: {root} for root in roots}
    for root, cls in store.select(query).rows:
        if isinstance(root, NamedNode) and isinstance(cls, NamedNode):
            below[root.value].add(cls.value)
    return {kind.key: sorted({cls for root in kind.roots for cls in below[root]}) for kind in kinds}
