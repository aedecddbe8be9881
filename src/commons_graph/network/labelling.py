"""Labels for the nodes and relations a network answer shows, in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

from commons_graph.i18n import translate
from commons_graph.network.links import RELATED_TO
from commons_graph.store.base import Store
from commons_graph.views.curies import curie
from commons_graph.views.labels import Labels, fetch_labels, short_name


class NetworkLabels:
    """Labels of resources (falling back to a short name) and of predicates (to a CURIE)."""

    def __init__(self, store: Store, iris: Iterable[str], predicates: Iterable[str], lang: str):
        wanted = set(iris) | set(predicates)
        self.lang = lang
        self.found: Labels = fetch_labels(store, wanted, lang)

    def node(self, iri: str) -> str:
        """The label of a resource."""
        return self.found.get(iri) or short_name(iri)

    def relation(self, predicate: str, derived: bool) -> str:
        """The label of a relation; a derived relation says it was derived."""
        if derived and predicate == RELATED_TO:
            return translate("network.related", self.lang)
        return self.found.get(predicate) or curie(predicate)
