"""Moved to commons_graph.validation.contribution; kept for imports not yet updated."""

from commons_graph.validation.contribution import check, passes_compiled_checks, store_context

__all__ = ["check", "passes_compiled_checks", "store_context"]
