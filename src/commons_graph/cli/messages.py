"""The English and French texts of the command line."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cli.error.no_organisation": {
        "en": (
            "the store has no organisation {iri}: check the IRI, or pass --create-organisation "
            "NAME to create it"
        ),
        "fr": (
            "le magasin n'a pas d'organisation {iri} : vérifiez l'IRI, ou passez "
            "--create-organisation NOM pour la créer"
        ),
    },
    "cli.error.refused": {
        "en": "{detail}",
        "fr": "{detail}",
    },
    "cli.error.graph_as": {
        "en": "a graph result cannot be written as {format}",
        "fr": "un résultat en graphe ne peut pas être écrit en {format}",
    },
    "cli.error.rows_as": {
        "en": "a SELECT or ASK result cannot be written as {format}",
        "fr": "un résultat SELECT ou ASK ne peut pas être écrit en {format}",
    },
}
