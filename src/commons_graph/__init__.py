"""commons-graph: a linked-data knowledge graph of commons and the actors around them."""

from __future__ import annotations

__version__ = "0.1.0"
