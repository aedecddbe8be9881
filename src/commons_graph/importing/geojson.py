"""Importing a GeoJSON FeatureCollection of initiatives: each feature read as a row of the
standard layout through a mapping file, then imported as a CSV row is (same validation,
linking, metadata and all-or-nothing replacement)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from commons_graph.errors import BadInputError
from commons_graph.i18n import LANGUAGES
from commons_graph.importing import terms as t
from commons_graph.importing.columns import MAPPED, TEXT, UNKNOWN
from commons_graph.importing.geojson_mapping import Mapping, load_mapping
from commons_graph.importing.geojson_reader import MAX_TEXT, Feature, oversized, read_features
from commons_graph.importing.layout import MAPPED as LAYOUT_TARGETS
from commons_graph.importing.layout import Columns, CsvRow
from commons_graph.importing.mapping import Issue, MappedRow
from commons_graph.importing.metadata import DatasetDescription
from commons_graph.importing.operation import ImportReport, Progress, import_rows
from commons_graph.importing.text import plain_text, tidy
from commons_graph.rdf.namespaces import RDFS_LABEL
from commons_graph.store.base import Store

GEOMETRY = "geometry"
# "name:fr", "name_fr", "name@fr": the same property in another language.
_LANG_SUFFIX = re.compile(r"^(?P<base>.+?)[:_@](?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?)$")
_SEPARATORS = re.compile(r"\s*[;,|]\s*")
_MAX_POSITIONS = 100_000
_MAX_CATEGORIES = 50
_TEXT_TARGETS = ("name", "description")


@dataclass
class FeatureExtra:
    """What the enrich step adds to a feature's row: other languages, categories, notes."""

    texts: list[tuple[str, str, str]] = field(default_factory=list)  # (target, lang, text)
    categories: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def _lookup(properties: dict[str, Any], name: str) -> Any:
    """The value of property `name`, following "a.b" into nested objects; None if absent."""
    if name in properties:
        return properties[name]
    value: Any = properties
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _scalar(value: Any) -> str | None:
    """A property value as text when it is one (strings, numbers, booleans), else None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, int | float) and math.isfinite(value):
        return str(value)
    return None


def representative_point(geometry: Any) -> tuple[float, float] | None:
    """(lat, long) of a geometry: a point itself; for other types the centre of the bounding
    box of the outer rings' and lines' positions; None for a null or unreadable geometry."""
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for member in geometry.get("geometries") or []:
            point = representative_point(member)
            if point is not None:
                return point
        return None
    coordinates = geometry.get("coordinates")
    depth = {
        "Point": 0,
        "MultiPoint": 1,
        "LineString": 1,
        "MultiLineString": 2,
        "Polygon": 2,
        "MultiPolygon": 3,
    }.get(str(kind))
    if depth is None:
        return None
    positions: list[Any] = [coordinates]
    for level in range(depth):
        if kind == "Polygon" and level == 0 and isinstance(coordinates, list):
            positions = coordinates[:1]  # the outer ring only
            continue
        if kind == "MultiPolygon" and level == 1:
            positions = [ring[0] for ring in positions if isinstance(ring, list) and ring]
            continue
        positions = [p for group in positions if isinstance(group, list) for p in group]
        if len(positions) > _MAX_POSITIONS:
            return None
    points = [
        (lat, long)
        for lat, long in (_position(p) for p in positions)
        if lat is not None and long is not None
    ]
    if not points:
        return None
    lats = [p[0] for p in points]
    longs = [p[1] for p in points]
    lat, long = (min(lats) + max(lats)) / 2, (min(longs) + max(longs)) / 2
    if abs(lat) > 90 or abs(long) > 180:
        return None
    return round(lat, 7), round(long, 7)


def _position(position: Any) -> tuple[float | None, float | None]:
    """(lat, long) of a GeoJSON position [long, lat, ...]; numbers written as text are read
    (some exporters quote them); (None, None) if it is not one."""
    if not isinstance(position, list) or len(position) < 2:
        return None, None
    found: list[float] = []
    for value in position[:2]:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None, None
        try:
            number = float(value)
        except ValueError:
            return None, None
        if not math.isfinite(number):
            return None, None
        found.append(number)
    return found[1], found[0]


class GeoJsonSource:
    """The features of a GeoJSON file as rows of the standard layout, through a mapping."""

    def __init__(self, path: Path, mapping: Mapping) -> None:
        self.path = path
        self.mapping = mapping
        self.features = read_features(path)
        seen: dict[str, None] = {}
        for feature in self.features:
            for name in feature.properties:
                seen.setdefault(str(name), None)
        self.property_names = list(seen)
        fields: dict[str, str] = {}
        for target, names in mapping.properties.items():
            used = next((n for n in names if n in seen or "." in n), None)
            if target != "categories" and used is not None:
                fields[target] = used
        fields.setdefault("identifier", "id")
        fields.setdefault("latitude", GEOMETRY)
        fields.setdefault("longitude", GEOMETRY)
        headers = [*self.property_names, GEOMETRY]
        unknown = tuple(n for n in self.property_names if self.describe(n)[0] == UNKNOWN)
        self.columns = Columns(tuple(headers), fields, unknown)

    def describe(self, name: str) -> tuple[str, str, str]:
        """(treatment, target, reason) of a property, for the per-column report."""
        if name == GEOMETRY:
            return MAPPED, "wgs84:lat, wgs84:long, geo:hasGeometry (representative point)", ""
        for target, names in self.mapping.properties.items():
            if name in names or any(n.startswith(name + ".") for n in names):
                if target == "categories":
                    return MAPPED, "schema:keywords; kinds and activities of the mapping", ""
                return LAYOUT_TARGETS.get(target, (MAPPED, target))[0], _target(target), ""
        variant = _LANG_SUFFIX.match(name)
        if variant:
            base = variant["base"]
            for target in _TEXT_TARGETS:
                if base in self.mapping.properties.get(target, ()):
                    if variant["lang"].lower() in LANGUAGES:
                        return TEXT, _target(target) + f" @{variant['lang'].lower()}", ""
                    return UNKNOWN, "", "only English and French texts are kept (the shapes)"
        return UNKNOWN, "", "no target in the mapping file; ignored"

    def count_rows(self) -> int:
        """The number of features."""
        return len(self.features)

    def rows(self) -> Iterator[CsvRow]:
        """Each feature as a row (numbered from 1 in the order of the file)."""
        for feature in self.features:
            yield self._row(feature)

    def _row(self, feature: Feature) -> CsvRow:
        extra = FeatureExtra()
        problem = oversized(feature.properties)
        values: dict[str, str] = {}
        used: list[str] = []
        if problem is not None:
            # Skipped: only its identifier is read, so that the report names the real reason.
            extra.issues.append(Issue(feature.number, "properties", problem, "error"))
            if feature.id:
                values["identifier"] = feature.id
            return CsvRow(feature.number, values, self.columns, (), None, extra)
        props = feature.properties
        fields = dict(self.columns.fields)  # the properties this feature's values come from
        odd: set[str] = set()
        for target, names in self.mapping.properties.items():
            if target == "categories":
                continue
            for name in names:
                value = _lookup(props, name)
                if value is None or value == "":
                    top = name.split(".", 1)[0]
                    parent = props.get(top)
                    if "." in name and parent not in (None, "") and not isinstance(parent, dict):
                        # "address.postalCode" where "address" is a text: say so, once.
                        if top in odd:
                            continue
                        odd.add(top)
                        message = f"not an object, so {name} cannot be read; left out"
                        extra.issues.append(Issue(feature.number, top, message))
                    continue
                text = _scalar(value)
                if isinstance(value, list):
                    parts = [_scalar(v) for v in value[:_MAX_CATEGORIES]]
                    text = "; ".join(p for p in parts if p)
                if text is None:
                    message = "not a text or a number; left out"
                    extra.issues.append(Issue(feature.number, name, message))
                    break
                values[target] = text.strip()
                fields[target] = name
                used.append(name)
                break
        if not values.get("identifier") and feature.id:
            values["identifier"] = feature.id
        point = representative_point(feature.geometry)
        if point is not None:
            values["latitude"], values["longitude"] = (f"{c:.7f}".rstrip("0") for c in point)
        elif feature.geometry is not None:
            message = "the geometry has no readable position; no location"
            extra.issues.append(Issue(feature.number, GEOMETRY, message))
        self._languages(props, extra, used)
        self._categories(props, extra, used)
        if not values.get("identifier"):
            seed = "|".join(values.get(k, "") for k in ("name", "latitude", "longitude"))
            values["identifier"] = "h" + hashlib.sha256(seed.encode()).hexdigest()[:12]
            message = "no identifier: one was made from the name and the position"
            extra.issues.append(Issue(feature.number, "id", message))
        kind = next(
            (
                self.mapping.kinds[c.lower()]
                for c in extra.categories
                if c.lower() in self.mapping.kinds
            ),
            None,
        )
        present = [str(n) for n, v in props.items() if v is not None and v != ""]
        if feature.geometry is not None:
            present.append(GEOMETRY)
        filled = tuple(dict.fromkeys(used + present))
        columns = Columns(self.columns.headers, fields, self.columns.unknown)
        return CsvRow(feature.number, values, columns, filled, kind, extra)

    def _languages(self, props: dict[str, Any], extra: FeatureExtra, used: list[str]) -> None:
        for name, value in props.items():
            variant = _LANG_SUFFIX.match(str(name))
            if not variant:
                continue
            lang = variant["lang"].lower()
            for target in _TEXT_TARGETS:
                if variant["base"] not in self.mapping.properties.get(target, ()):
                    continue
                text = _scalar(value)
                used.append(str(name))
                if lang in LANGUAGES and text:
                    extra.texts.append((target, lang, text))

    def _categories(self, props: dict[str, Any], extra: FeatureExtra, used: list[str]) -> None:
        for name in self.mapping.properties.get("categories", ()):
            value = _lookup(props, name)
            if value is None or value == "":
                continue
            if isinstance(value, dict):
                continue  # e.g. osmtogeojson's "tags" object: not a list of categories
            used.append(name)
            items = value if isinstance(value, list) else [value]
            for item in items[:_MAX_CATEGORIES]:
                if isinstance(item, dict):  # {"name": ...} as GoGoCarto's categoriesFull
                    item = item.get("name")
                text = _scalar(item)
                if text is None:
                    continue
                for part in _SEPARATORS.split(text):
                    part = tidy(part)
                    if part and part not in extra.categories:
                        extra.categories.append(part)

    def enrich(self, row: CsvRow, mapped: MappedRow) -> None:
        """Other languages, categories and the feature's own problems."""
        extra = row.extra
        if not isinstance(extra, FeatureExtra):
            return
        mapped.issues.extend(extra.issues)
        subject = mapped.subject
        if subject is None or mapped.failed:
            return
        lang = self.mapping.lang
        have = {(target, lang) for target in _TEXT_TARGETS if row.get(target)}
        for target, text_lang, text in extra.texts:
            if (target, text_lang) in have:
                continue
            have.add((target, text_lang))
            clean = plain_text(text)
            if not clean:
                continue
            predicate = RDFS_LABEL if target == "name" else t.DC_DESCRIPTION
            mapped.add(subject, predicate, Literal(clean, language=text_lang))
            if target == "name" and not mapped.name:
                mapped.name = clean
        for category in extra.categories:
            mapped.add(subject, t.SCHEMA_KEYWORDS, Literal(category, language=lang))
            activity = self.mapping.activities.get(category.lower())
            if activity is not None:
                mapped.add(subject, t.ESS_ECONOMIC_SECTOR, NamedNode(activity))


def _target(key: str) -> str:
    return LAYOUT_TARGETS.get(key, (MAPPED, key))[1]


def import_geojson(
    store: Store,
    path: Path,
    description: DatasetDescription,
    *,
    mapping: str | Path | None = None,
    kind: str | None = None,
    progress: Progress | None = None,
    engine: str = "auto",
) -> ImportReport:
    """Import a GeoJSON FeatureCollection as dataset `description.name` (replacing it)."""
    if not t.is_dataset_name(description.name):
        raise BadInputError("import.error.bad_name", name=description.name)
    if kind is not None and kind not in t.KINDS:
        raise BadInputError("import.error.unknown_kind", kind=kind)
    chosen = load_mapping(mapping)
    source = GeoJsonSource(path, chosen)
    if description.lang != chosen.lang:
        description = DatasetDescription(
            description.name,
            description.licence,
            description.attribution,
            description.source,
            description.title,
            chosen.lang,
        )
    return import_rows(
        store,
        source,
        description,
        kind=kind,
        progress=progress,
        engine=engine,
        enrich=source.enrich,
    )
