"""Moved to commons_graph.validation.whole_store; kept for imports not yet updated."""

from commons_graph.validation.whole_store import validate_store

__all__ = ["validate_store"]
