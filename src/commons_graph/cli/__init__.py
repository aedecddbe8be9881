"""The `commons-graph` command line."""

from __future__ import annotations

from commons_graph.cli.main import main
from commons_graph.cli.messages import MESSAGES as _MESSAGES
from commons_graph.i18n.registry import register

__all__ = ["main"]

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
