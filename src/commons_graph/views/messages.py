"""The English and French texts of the page queries (lists, search, resources)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "view.error.filter_not_iri": {
        "en": "the {facet} filter is not an IRI: {iri!r}",
        "fr": "le filtre {facet} n'est pas une IRI : {iri!r}",
    },
}
