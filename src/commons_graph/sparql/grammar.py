"""Terminals of the SPARQL grammar that the service's small readers of query text share."""

from __future__ import annotations

# IRIREF (SPARQL 1.1 grammar, rule 139): what may stand between `<` and `>`.
IRIREF = r"<[^<>\"{}|^`\\\x00-\x20]*>"
