"""The English and French texts of full-text search."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "search.error.query_too_long": {
        "en": "the search text is too long: at most {limit} characters",
        "fr": "le texte cherché est trop long : {limit} caractères au plus",
    },
    "search.rebuilding": {
        "en": "The search index is being rebuilt: results may miss recent changes for a moment.",
        "fr": "L'index de recherche est en reconstruction : les résultats peuvent manquer "
        "des changements récents pendant un moment.",
    },
    "search.rebuilt": {
        "en": "Search index rebuilt: {count} resources in {seconds} s ({path}).",
        "fr": "Index de recherche reconstruit : {count} ressources en {seconds} s ({path}).",
    },
    "search.status": {
        "en": "Search index {path}: {count} resources; {state}.",
        "fr": "Index de recherche {path} : {count} ressources ; {state}.",
    },
    "search.status.current": {"en": "in step with the store", "fr": "à jour avec le magasin"},
    "search.status.stale": {
        "en": "may be out of step with the store (run `commons-graph search rebuild`)",
        "fr": "peut-être en retard sur le magasin (lancez `commons-graph search rebuild`)",
    },
    "search.suggest.count": {
        "en": "{count} suggestions: up and down arrows to browse, Enter to open.",
        "fr": "{count} suggestions : flèches haut et bas pour parcourir, Entrée pour ouvrir.",
    },
    "search.suggest.none": {"en": "No suggestion.", "fr": "Aucune suggestion."},
    "search.suggest.hint": {
        "en": "Suggestions appear as you type.",
        "fr": "Des suggestions s'affichent pendant la saisie.",
    },
    "search.facet.list": {"en": "Kind of resource", "fr": "Type de ressource"},
    "search.capped": {
        "en": "Filters, kinds and pages cover the best {count} matches: add a word to narrow "
        "the search.",
        "fr": "Les filtres, types et pages portent sur les {count} meilleurs résultats : "
        "ajoutez un mot pour affiner la recherche.",
    },
    "search.error.unknown_list": {
        "en": "there is no list {list!r}; lists: {offered}",
        "fr": "il n'y a pas de liste {list!r} ; listes : {offered}",
    },
    "search.export": {
        "en": "Download these {total} results, in rank order:",
        "fr": "Télécharger ces {total} résultats, dans l'ordre du classement :",
    },
    "search.export_capped": {
        "en": "(the best {count} matches at most)",
        "fr": "(au plus les {count} meilleurs résultats)",
    },
}
