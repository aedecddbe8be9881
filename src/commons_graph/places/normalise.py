"""Normalising place names and postcodes from the data itself (no lookup table is shipped).

Every function takes the text as imported and returns a normalised key, or None when the text
cannot be normalised (it is then left out of the facet, and counted by `place_report`).
"""

from __future__ import annotations

import re
import unicodedata

from commons_graph.rdf.namespaces import ID

# Facet values of places are IRIs minted under this base (keys, not described resources):
# <…/id/place/country/GB>, <…/id/place/region/gb/city-of-bristol>, <…/id/place/postcode-area/gb/M>.
PLACE_BASE = ID + "place/"

# A UK postcode, with or without its space: outward code (area letters, district), inward code.
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2})[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}$")
_SPACES = re.compile(r"\s+")
# "Bristol, City of" -> "City of Bristol": the ONS inverted form, written both ways in the data.
_INVERTED = re.compile(r"^(?P<name>[^,]+),\s*(?P<prefix>City of|County of|The)$", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Z]{2}$")

# Spellings of the same place seen in imported data, by their folded form.
_ALIASES = {
    "rhondda, cynon, taf": "Rhondda Cynon Taf",
    "rhondda cynon taff": "Rhondda Cynon Taf",
    "county durham": "County Durham",
    "durham": "County Durham",
    "city of edinburgh": "City of Edinburgh",
    "edinburgh": "City of Edinburgh",
    "city of glasgow": "City of Glasgow",
    "glasgow": "City of Glasgow",
    "city of aberdeen": "Aberdeen City",
    "city of dundee": "Dundee City",
}

# Country names in the site languages for the codes the data and seed use; others show the code.
COUNTRY_NAMES = {
    "GB": {"en": "United Kingdom", "fr": "Royaume-Uni"},
    "FR": {"en": "France", "fr": "France"},
    "BR": {"en": "Brazil", "fr": "Brésil"},
    "BE": {"en": "Belgium", "fr": "Belgique"},
    "DE": {"en": "Germany", "fr": "Allemagne"},
    "ES": {"en": "Spain", "fr": "Espagne"},
    "IT": {"en": "Italy", "fr": "Italie"},
    "IE": {"en": "Ireland", "fr": "Irlande"},
    "US": {"en": "United States", "fr": "États-Unis"},
    "CA": {"en": "Canada", "fr": "Canada"},
    "CH": {"en": "Switzerland", "fr": "Suisse"},
    "NL": {"en": "Netherlands", "fr": "Pays-Bas"},
    "PT": {"en": "Portugal", "fr": "Portugal"},
}
# What people write instead of the ISO 3166-1 alpha-2 code.
_COUNTRY_ALIASES = {"UK": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB"}


def _fold(text: str) -> str:
    """Text compared case- and space-insensitively (accents kept: they distinguish places)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def tidy_name(text: str) -> str | None:
    """A place name with its spacing tidied, inverted ONS forms put right and known aliases
    applied; all-capitals or all-lowercase text gets title case. None when empty."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip(" ,.;")
    if not name:
        return None
    alias = _ALIASES.get(name.casefold())
    if alias:
        return alias
    inverted = _INVERTED.match(name)
    if inverted:
        name = f"{inverted['prefix'].capitalize()} {inverted['name'].strip()}"
        alias = _ALIASES.get(name.casefold())
        if alias:
            return alias
    if name.isupper() or name.islower():
        name = " ".join(_title_word(word) for word in name.split(" "))
    return name


_SMALL_WORDS = frozenset({"and", "of", "upon", "on", "the", "in", "under", "by", "de", "le", "la"})


def _title_word(word: str) -> str:
    lowered = word.lower()
    if lowered in _SMALL_WORDS:
        return lowered
    return "-".join(part[:1].upper() + part[1:] for part in lowered.split("-"))


def slug(text: str) -> str:
    """A key for a name in an IRI: folded, accents kept, non-alphanumerics as hyphens."""
    folded = _fold(text)
    return re.sub(r"[^\w]+", "-", folded).strip("-") or "-"


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country cell ("gb", "UK" -> "GB"), or None."""
    code = _SPACES.sub("", text).upper()
    code = _COUNTRY_ALIASES.get(code, code)
    return code if _COUNTRY.match(code) else None


def country_label(code: str, lang: str) -> str:
    """The name of a country in `lang`, else its code."""
    names = COUNTRY_NAMES.get(code)
    return names.get(lang, names["en"]) if names else code


def postcode_area(text: str, country: str | None = "GB") -> str | None:
    """The postcode area (the leading letters: "M" of "M60 0AG", "SL" of "SL71RE") of a UK
    postcode; None for other countries or text that is not a UK postcode."""
    if country not in (None, "GB"):
        return None
    match = _UK_POSTCODE.match(_SPACES.sub(" ", text).strip().upper())
    return match[1] if match else None


def region_key(text: str) -> tuple[str, str] | None:
    """The (key, label) of a region cell, or None when empty."""
    name = tidy_name(text)
    return (slug(name), name) if name else None


def locality_key(text: str) -> tuple[str, str] | None:
    """The (key, label) of a locality cell, or None when empty or not a name (digits only)."""
    name = tidy_name(text)
    if not name or not any(ch.isalpha() for ch in name):
        return None
    return (slug(name), name)
