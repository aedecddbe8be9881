"""Reading a GeoJSON FeatureCollection with limits: size, features, nesting, properties."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commons_graph.errors import BadInputError

# Bounds on what one file may make the importer read and hold (see docs/import.md).
MAX_BYTES = 64 * 1024 * 1024
MAX_FEATURES = 200_000
MAX_DEPTH = 16  # nesting of a feature's properties (objects and lists)
MAX_PROPERTIES = 500  # properties of one feature, nested ones included
MAX_TEXT = 20_000  # characters of one value


@dataclass(frozen=True)
class Feature:
    """One feature: its position in the file (1-based), id, properties and geometry."""

    number: int
    id: str | None
    properties: dict[str, Any]
    geometry: Any


def read_features(path: Path) -> list[Feature]:
    """The features of a FeatureCollection; BadInputError (nothing read) if it is not one."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BadInputError("import.geojson.too_large", file=path.name, size=size, limit=MAX_BYTES)
    data = path.read_bytes()
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BadInputError("import.error.not_utf8", file=path.name) from error
    except json.JSONDecodeError as error:
        raise BadInputError(
            "import.geojson.not_json",
            file=path.name,
            line=error.lineno,
            column=error.colno,
            detail=error.msg,
        ) from error
    except RecursionError as error:
        raise BadInputError("import.geojson.too_deep", file=path.name, limit=MAX_DEPTH) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BadInputError("import.geojson.not_collection", file=path.name)
    items = document.get("features")
    if not isinstance(items, list):
        raise BadInputError("import.geojson.not_collection", file=path.name)
    if len(items) > MAX_FEATURES:
        raise BadInputError(
            "import.geojson.too_many", file=path.name, count=len(items), limit=MAX_FEATURES
        )
    features: list[Feature] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            item = {}
        raw_id = item.get("id")
        identifier = str(raw_id) if isinstance(raw_id, str | int) and str(raw_id) else None
        properties = item.get("properties")
        features.append(
            Feature(
                number,
                identifier,
                properties if isinstance(properties, dict) else {},
                item.get("geometry"),
            )
        )
    return features


def oversized(properties: dict[str, Any]) -> str | None:
    """Why a feature's properties are beyond the limits, or None when they are within them."""
    count = 0
    stack: list[tuple[Any, int]] = [(properties, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"properties nested deeper than {MAX_DEPTH} levels"
        children: list[Any] = []
        if isinstance(value, dict):
            count += len(value)
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        if count > MAX_PROPERTIES:
            return f"more than {MAX_PROPERTIES} properties"
        stack += [(child, depth + 1) for child in children if isinstance(child, dict | list)]
    return None
