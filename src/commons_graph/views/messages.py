"""The English and French texts of the page queries (lists, search, resources)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "view.error.export_format": {
        "en": "a list is not offered as {format!r}; formats: {offered}",
        "fr": "une liste n'est pas proposée en {format!r} ; formats : {offered}",
    },
    "view.error.unknown_facet": {
        "en": "this list has no facet {facet!r}",
        "fr": "cette liste n'a pas de facette {facet!r}",
    },
    "view.error.too_many_filters": {
        "en": "too many filter values: at most {most} per facet and {total} in all",
        "fr": "trop de valeurs de filtre : au plus {most} par facette et {total} en tout",
    },
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
    "view.error.dump_version_gone": {
        "en": "version {version} of the data is no longer available: the store has changed "
        "since; the current version is {current}",
        "fr": "la version {version} des données n'est plus disponible : le magasin a changé "
        "depuis ; la version actuelle est {current}",
    },
}
