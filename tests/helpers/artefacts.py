"""Where tests leave files for people to look at (screenshots of pages in Chromium).

`COMMONS_GRAPH_TEST_ARTEFACTS` names the folder (CI uploads it); otherwise an `artefacts`
folder in pytest's temporary base folder (shown by `--basetemp`), never in the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTEFACTS_VARIABLE = "COMMONS_GRAPH_TEST_ARTEFACTS"


def artefact_path(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """The path for artefact `name` (its folder created)."""
    configured = os.environ.get(ARTEFACTS_VARIABLE)
    folder = Path(configured) if configured else tmp_path_factory.getbasetemp() / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name
