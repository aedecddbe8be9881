"""Messages in English and French: the registry each feature adds its catalogue to, translation,
and choosing a request's language. Nothing here imports a feature."""

from __future__ import annotations

from commons_graph.i18n.messages import MESSAGES as _CORE
from commons_graph.i18n.negotiation import negotiate_language
from commons_graph.i18n.registry import (
    LANGUAGES,
    MESSAGES,
    Catalogue,
    has_message,
    register,
    translate,
)

register(_CORE)

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "Catalogue",
    "has_message",
    "negotiate_language",
    "register",
    "translate",
]
