"""#CodeSocial: drafts, published versions (sealed, hashed), comparison, verification, history."""

from __future__ import annotations

from commons_graph.codesocial.messages import MESSAGES as _MESSAGES
from commons_graph.i18n.registry import register

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
