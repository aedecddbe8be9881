"""RDF foundations: namespaces and terms, prefixes, media types, negotiation, parsing, hashing."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.rdf.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
