"""Labels for the nodes and relations a network answer shows, in the page's language."""

from __future__ import annotations

from commons_graph.i18n import translate
from commons_graph.network.links import RELATED_TO
from commons_graph.network.model import NetworkModel
from commons_graph.views.curies import curie
from commons_graph.views.labels import short_name


class NetworkLabels:
    """Labels from the model: resources fall back to a short name, relations to a CURIE."""

    def __init__(self, model: NetworkModel, lang: str) -> None:
        self.model = model
        self.lang = lang

    def node(self, iri: str) -> str:
        """The label of a resource."""
        return self.model.label(iri, self.lang) or short_name(iri)

    def relation(self, predicate: str, derived: bool) -> str:
        """The label of a relation; a derived relation says it was derived."""
        if derived and predicate == RELATED_TO:
            return translate("network.related", self.lang)
        return self.model.label(predicate, self.lang) or curie(predicate)
