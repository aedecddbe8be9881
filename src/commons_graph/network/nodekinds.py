"""The kinds of resource a network view tells apart (by colour), and the classes of each."""

from __future__ import annotations

from commons_graph.rdf.namespaces import CG, FOAF, SCHEMA, SKOS
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.views.kinds import KINDS, Kind, class_sets

# Most specific first: a value is also a SKOS concept, and is shown as a value.
_EXTRA = (
    Kind("persons", (FOAF + "Person",)),
    Kind("places", (SCHEMA + "Place",)),
    Kind("codesocial", (CG + "CodeSocial",)),
    Kind("concepts", (SKOS + "Concept",)),
)
NODE_KINDS: tuple[str, ...] = (*KINDS, *(kind.key for kind in _EXTRA), "other")


def node_classes(store: Store) -> dict[str, list[str]]:
    """For each node kind, its root classes and their declared subclasses."""
    return derived(
        store, "network-node-classes", lambda s: class_sets(s, [*KINDS.values(), *_EXTRA])
    )
