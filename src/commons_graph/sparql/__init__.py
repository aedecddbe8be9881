"""SPARQL: protocol handling, safety checks, time limits, result formats.

Only the catalogue of texts is registered here (the i18n package imports no feature): the
query workers import `sparql.worker` alone, and stay small without the web, the settings and
rdflib (a worker is a process per core).
"""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.sparql.messages import MESSAGES as _MESSAGES

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
