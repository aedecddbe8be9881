"""The English and French texts of the page queries (lists, search, resources)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "view.error.filter_not_iri": {
        "en": "the {facet} filter is not an IRI: {iri!r}",
        "fr": "le filtre {facet} n'est pas une IRI : {iri!r}",
    },
    "resource.error.bad_iri": {
        "en": "the iri parameter must be an absolute http or https IRI",
        "fr": "le paramètre iri doit être une IRI absolue en http ou https",
    },
    "resource.inbound": {"en": "Links to this page", "fr": "Liens vers cette page"},
    "resource.inbound.pages": {
        "en": "Pages of this group of links",
        "fr": "Pages de ce groupe de liens",
    },
}
