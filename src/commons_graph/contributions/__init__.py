"""Contributions: parse -> authorise -> validate -> commit (named graph + PROV) -> history."""

from __future__ import annotations

from commons_graph.contributions.service import ContributionService, InvalidContribution, Receipt

__all__ = ["ContributionService", "InvalidContribution", "Receipt"]
