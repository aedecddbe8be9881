"""Where tests save what people look at afterwards (screenshots of pages in Chromium).

`$COMMONS_GRAPH_TEST_ARTIFACTS` when set (CI uploads that folder), else `artifacts/` in
pytest's temporary folder (`/tmp/pytest-of-<user>/pytest-<n>/artifacts/`, the last few runs
kept by pytest); never the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ENVIRONMENT_VARIABLE = "COMMONS_GRAPH_TEST_ARTIFACTS"


def artifacts_dir(tmp_path_factory: pytest.TempPathFactory, *parts: str) -> Path:
    """The folder for this run's artefacts (`parts` below it), created."""
    chosen = os.environ.get(ENVIRONMENT_VARIABLE)
    root = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artifacts"
    folder = root.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
