"""HTML forms generated from the SHACL shapes and the SKOS schemes (no labels copied by hand)."""

from __future__ import annotations
