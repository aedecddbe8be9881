"""The English and French texts of the page queries (lists, search, resources)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "view.error.filter_not_iri": {
        "en": "the {facet} filter is not an IRI: {iri!r}",
        "fr": "le filtre {facet} n'est pas une IRI : {iri!r}",
    },
    "view.error.dump_version_gone": {
        "en": "version {version} of the data is no longer available: the store has changed "
        "since; the current version is {current}",
        "fr": "la version {version} des données n'est plus disponible : le magasin a changé "
        "depuis ; la version actuelle est {current}",
    },
}
