"""Places as imported data writes them, normalised for facets: country, region, locality,
postcode area (the original text is kept in the store; only facet keys are normalised)."""

from __future__ import annotations

from commons_graph.places.normalise import (
    PLACE_BASE,
    country_code,
    country_label,
    locality_key,
    postcode_area,
    region_key,
    tidy_name,
)

__all__ = [
    "PLACE_BASE",
    "country_code",
    "country_label",
    "locality_key",
    "postcode_area",
    "region_key",
    "tidy_name",
]
