"""Contributions: parse -> authorise -> validate -> commit (named graph + PROV) -> history."""

from __future__ import annotations

from commons_graph.contributions.messages import MESSAGES as _MESSAGES
from commons_graph.contributions.service import ContributionService, InvalidContribution, Receipt
from commons_graph.i18n.registry import register

__all__ = ["ContributionService", "InvalidContribution", "Receipt"]

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
