"""SPARQL: protocol handling, safety checks, time limits, result formats."""

from __future__ import annotations

from commons_graph.sparql.factory import make_executor

__all__ = ["make_executor"]
