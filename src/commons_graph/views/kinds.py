"""The kinds of resource that have a list page, the classes each one covers, and the facet
dimensions each one offers (each defined by the property path that leads to its values)."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from commons_graph.rdf.namespaces import CG, ESSGLOBAL, ORG, RDF_TYPE, SCHEMA, VOID
from commons_graph.store.base import Store
from commons_graph.views.sparql import PROLOGUE

_ADDRESS = f"<{SCHEMA}address>"


@dataclass(frozen=True)
class Dimension:
    """A facet: its name and the SPARQL property path from a listed resource to its values.

    Values that are IRIs are facet values as they are; literal values are normalised by
    `normaliser` (a name in `views.facet_values.NORMALISERS`) and given a key IRI, so that
    data written later with either form (an importer adding codes or words) flows in.
    """

    name: str
    path: str
    # Only IRI values of this class count (themes and topics share cg:worksOn).
    value_class: str | None = None
    normaliser: str = "name"


# Every dimension a list may offer, in the order the page shows them. "kind" is read through
# each Kind's own kind property (its path here is a placeholder).
DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("kind", f"<{RDF_TYPE.value}>"),
        Dimension("activity", f"<{ESSGLOBAL}economicSector>"),
        Dimension("sector", f"<{SCHEMA}keywords>"),
        Dimension("structure", f"<{ESSGLOBAL}organisationalStructure>"),
        Dimension("membership", f"<{ESSGLOBAL}baseMembershipType>"),
        Dimension("legal_form", f"<{ESSGLOBAL}legalForm>"),
        Dimension("qualifier", f"<{ESSGLOBAL}qualifier>"),
        Dimension("industry", f"<{CG}industry>"),
        Dimension("ownership", f"<{CG}ownership>"),
        Dimension("value", f"<{CG}holdsValue>"),
        Dimension("theme", f"<{CG}worksOn>", value_class=CG + "Theme"),
        Dimension("topic", f"<{CG}worksOn>", value_class=CG + "Topic"),
        Dimension("dataset", f"<{VOID}inDataset>"),
        Dimension(
            "country",
            f"{_ADDRESS}/<{SCHEMA}addressCountry>|<{SCHEMA}location>/<{SCHEMA}addressCountry>"
            f"|<{SCHEMA}addressCountry>",
            normaliser="country",
        ),
        # The nation (England, Scotland, ...) of a UK address, from its postcode's area.
        Dimension("nation", f"{_ADDRESS}/<{SCHEMA}postalCode>", normaliser="nation"),
        Dimension("region", f"{_ADDRESS}/<{SCHEMA}addressRegion>", normaliser="region"),
        Dimension("locality", f"{_ADDRESS}/<{SCHEMA}addressLocality>", normaliser="locality"),
        Dimension("postcode_area", f"{_ADDRESS}/<{SCHEMA}postalCode>", normaliser="postcode_area"),
    )
}

# The simple facets by the property linking a listed resource to their values (kept for
# callers that read one property; DIMENSIONS is the full definition).
FACET_PROPERTIES = {
    name: d.path[1:-1]
    for name, d in DIMENSIONS.items()
    if name != "kind" and d.path.count("<") == 1 and d.path.startswith("<")
}

_ACTOR = ("value", "theme", "topic", "dataset")
_PLACE = ("country", "nation", "region", "locality", "postcode_area")
_ORGANISATION = (
    "kind",
    "activity",
    "sector",
    "structure",
    "membership",
    "legal_form",
    "qualifier",
    "industry",
    "ownership",
    *_ACTOR,
    *_PLACE,
)


@dataclass(frozen=True)
class Kind:
    """A list page: its path segment, root classes, how its "kind" facet is read, and the
    dimensions it offers."""

    key: str
    roots: tuple[str, ...]
    kind_property: str | None = None
    has_actor_facets: bool = True
    dimensions: tuple[str, ...] = _ACTOR

    @property
    def facets(self) -> tuple[str, ...]:
        """The facet names this list offers, in display order."""
        if not self.has_actor_facets:
            return ()
        names = tuple(n for n in self.dimensions if n != "kind")
        return ("kind", *names) if self.kind_property else names

    def dimension(self, name: str) -> Dimension:
        """The dimension `name` as this kind reads it (its "kind" through its kind property)."""
        if name == "kind":
            return Dimension("kind", f"<{self.kind_property or RDF_TYPE.value}>")
        return DIMENSIONS[name]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        # The kind facet of organisations is their class (cooperative, collective, ...).
        Kind(
            "organisations",
            (ORG + "Organization", ORG + "FormalOrganization"),
            RDF_TYPE.value,
            dimensions=_ORGANISATION,
        ),
        Kind("commons", (CG + "Commons",), CG + "commonsKind", dimensions=(*_ACTOR, "country")),
        Kind("projects", (SCHEMA + "Project",), dimensions=(*_ACTOR, "country")),
        Kind("events", (SCHEMA + "Event",), RDF_TYPE.value, dimensions=(*_ACTOR, *_PLACE)),
        Kind("values", (CG + "Value",), has_actor_facets=False),
        Kind("themes", (CG + "Theme",), has_actor_facets=False),
        Kind("topics", (CG + "Topic",), has_actor_facets=False),
    )
}

# One branch per root, each naming it: Virtuoso needs a path's start as a constant in the query
# ("transitive start not given" when it comes from VALUES); the roots are a dozen classes.
_SUBCLASSES = """
SELECT DISTINCT ?root ?class WHERE {{ {branches} FILTER(isIRI(?class)) }}
"""
_BRANCH = "{{ ?class rdfs:subClassOf* {root} . BIND({root} AS ?root) }}"


def class_sets(store: Store, kinds: list[Kind]) -> dict[str, list[str]]:
    """For each kind, its root classes and every class declared a subclass of them."""
    roots = sorted({root for kind in kinds for root in kind.roots})
    branches = " UNION ".join(_BRANCH.format(root=NamedNode(r)) for r in roots)
    query = PROLOGUE + _SUBCLASSES.format(branches=branches)
    below: dict[str, set[str]] = {root: {root} for root in roots}
    for root, cls in store.select(query).rows:
        if isinstance(root, NamedNode) and isinstance(cls, NamedNode):
            below[root.value].add(cls.value)
    return {kind.key: sorted({cls for root in kind.roots for cls in below[root]}) for kind in kinds}
