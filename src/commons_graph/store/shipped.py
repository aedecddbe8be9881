"""Where the shipped Turtle lives: the source tree in a checkout, or the wheel's copy."""

from __future__ import annotations

from pathlib import Path

# This file is commons_graph/store/shipped.py: the package is one folder up.
_PACKAGE = Path(__file__).resolve().parents[1]
_CHECKOUT = _PACKAGE.parents[1]


def resource_dir(name: str) -> Path:
    """Folder `name` (ontology, shapes, data, vocabularies, examples) of the project."""
    for candidate in (_PACKAGE / "_resources" / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the project's {name}/ folder is missing")


def turtle_files(name: str) -> list[Path]:
    """Every Turtle file under resource folder `name`, in a stable order."""
    return sorted(resource_dir(name).rglob("*.ttl"))
