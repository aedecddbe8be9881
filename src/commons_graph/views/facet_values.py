"""Literal facet values (words, place names, postcodes) turned into keyed IRIs with labels."""

from __future__ import annotations

from collections.abc import Callable

from commons_graph.i18n import LANGUAGES
from commons_graph.places import (
    PLACE_BASE,
    country_code,
    country_label,
    locality_key,
    postcode_area,
    region_key,
    tidy_name,
)
from commons_graph.places.normalise import slug
from commons_graph.places.uk_postcode_areas import AREA_NAMES, NATION_NAMES, nation_of_area
from commons_graph.rdf.namespaces import ID

# Words used as facet values (e.g. sectors written as text) get IRIs under this base.
FACET_BASE = ID + "facet/"

# (key IRI, {language tag: label}) of a literal value, or None when it cannot be normalised.
Keyed = tuple[str, dict[str, str]] | None
Normaliser = Callable[[str, str, str], Keyed]


def _name(dimension: str, text: str, lang: str) -> Keyed:
    name = tidy_name(text)
    return (f"{FACET_BASE}{dimension}/{slug(name)}", {lang: name}) if name else None


def _country(dimension: str, text: str, lang: str) -> Keyed:
    code = country_code(text)
    if code is None:
        return None
    return f"{PLACE_BASE}country/{code}", {tag: country_label(code, tag) for tag in LANGUAGES}


def _region(dimension: str, text: str, lang: str) -> Keyed:
    found = region_key(text)
    return (f"{PLACE_BASE}region/{found[0]}", {"": found[1]}) if found else None


def _locality(dimension: str, text: str, lang: str) -> Keyed:
    found = locality_key(text)
    return (f"{PLACE_BASE}locality/{found[0]}", {"": found[1]}) if found else None


def _postcode_area(dimension: str, text: str, lang: str) -> Keyed:
    area = postcode_area(text)
    if area is None or area not in AREA_NAMES:
        return None
    return f"{PLACE_BASE}postcode-area/{area}", {"": f"{area} ({AREA_NAMES[area]})"}


def _nation(dimension: str, text: str, lang: str) -> Keyed:
    area = postcode_area(text)
    nation = nation_of_area(area) if area else None
    if nation is None:
        return None
    return f"{PLACE_BASE}nation/{nation}", dict(NATION_NAMES[nation])


NORMALISERS: dict[str, Normaliser] = {
    "name": _name,
    "country": _country,
    "region": _region,
    "locality": _locality,
    "postcode_area": _postcode_area,
    "nation": _nation,
}
