"""Defaults known without loading the settings (the command's `--help` states them)."""

from __future__ import annotations

DEFAULT_STORE = ".commons-graph/store"
