"""Mapping files (TOML): which GeoJSON property becomes what; shipped ones for common layouts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from commons_graph.errors import BadInputError
from commons_graph.i18n import LANGUAGES
from commons_graph.importing.codes import UnknownCode, concept
from commons_graph.importing.layout import FIELDS
from commons_graph.importing.terms import KINDS

SHIPPED = Path(__file__).parent / "mappings"
MAX_MAPPING_BYTES = 256 * 1024

# The targets a mapping file may name: the fields of the standard layout (minus contact details
# and the coordinates, which come from the geometry) and the categories.
TARGETS = tuple(
    key
    for key in FIELDS
    if key
    not in {
        "phone",
        "email",
        "twitter",
        "facebook",
        "territory_id",
        "geo_container_latitude",
        "geo_container_longitude",
    }
) + ("categories",)


@dataclass(frozen=True)
class Mapping:
    """A mapping file read: properties to try per target, language, category tables."""

    name: str
    properties: dict[str, tuple[str, ...]]
    lang: str = "en"
    kinds: dict[str, str] = field(default_factory=dict)  # category (lowercase) -> kind
    activities: dict[str, str] = field(default_factory=dict)  # category -> concept IRI


def shipped_mappings() -> list[str]:
    """The names of the shipped mapping files (transformap, gogocarto, mykomap)."""
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def load_mapping(spec: str | Path | None) -> Mapping:
    """A mapping file by path, or a shipped one by name (default: transformap)."""
    if spec is None:
        spec = "transformap"
    path = Path(spec)
    if not path.suffix and str(spec) in shipped_mappings():
        path = SHIPPED / f"{spec}.toml"
    if not path.is_file():
        raise BadInputError(
            "import.mapping.missing", file=str(spec), shipped=", ".join(shipped_mappings())
        )
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise BadInputError("import.mapping.invalid", file=path.name, detail="file too large")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadInputError("import.mapping.invalid", file=path.name, detail=str(error)) from error
    return _mapping(path, data)


def _invalid(path: Path, detail: str) -> BadInputError:
    return BadInputError("import.mapping.invalid", file=path.name, detail=detail)


def _mapping(path: Path, data: dict[str, Any]) -> Mapping:
    unknown = set(data) - {"name", "lang", "properties", "kinds", "activities"}
    if unknown:
        raise _invalid(path, f"unknown keys {', '.join(sorted(unknown))}")
    lang = data.get("lang", "en")
    if lang not in LANGUAGES:
        raise _invalid(path, f"lang must be one of {', '.join(LANGUAGES)}")
    table = data.get("properties", {})
    if not isinstance(table, dict):
        raise _invalid(path, "[properties] must be a table")
    properties: dict[str, tuple[str, ...]] = {}
    for target, names in table.items():
        if target not in TARGETS:
            raise _invalid(path, f"unknown target {target!r}; known: {', '.join(TARGETS)}")
        listed = [names] if isinstance(names, str) else names
        if not isinstance(listed, list) or not all(isinstance(n, str) and n for n in listed):
            raise _invalid(path, f"{target} must be a property name or a list of them")
        properties[target] = tuple(listed)
    kinds: dict[str, str] = {}
    for category, kind in _table(path, data, "kinds").items():
        if kind not in KINDS:
            raise _invalid(path, f"kind {kind!r} of {category!r}: known {', '.join(KINDS)}")
        kinds[category.strip().lower()] = kind
    activities: dict[str, str] = {}
    for category, code in _table(path, data, "activities").items():
        try:
            activities[category.strip().lower()] = concept(code, "activities-ica").iri
        except UnknownCode as error:
            raise _invalid(path, str(error)) from error
    name = data.get("name", path.stem)
    return Mapping(str(name), properties, lang, kinds, activities)


def _table(path: Path, data: dict[str, Any], key: str) -> dict[str, str]:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise _invalid(path, f"[{key}] must map category names to text")
    return table
