"""The `commons-graph` command line."""

from __future__ import annotations

from commons_graph.cli.main import main

__all__ = ["main"]
