"""The English and French texts of the command line."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "cli.error.organisation_needs_free_store": {
        "en": (
            "the store is in use by `commons-graph serve`: stop it to create an organisation "
            "with its first member"
        ),
        "fr": (
            "le magasin est utilisé par `commons-graph serve` : arrêtez-le pour créer une "
            "organisation avec son premier membre"
        ),
    },
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
    "cli.error.invalid_setting": {
        "en": "invalid setting: {problems}",
        "fr": "réglage non valide : {problems}",
    },
    "cli.error.no_store": {
        "en": (
            "there is no store at {folder}: run `commons-graph init` to create one there, or "
            "give the right --store"
        ),
        "fr": (
            "il n'y a pas de magasin à {folder} : lancez `commons-graph init` pour en créer un, "
            "ou donnez le bon --store"
        ),
    },
    "cli.error.update_in_query": {
        "en": (
            "this is a SPARQL Update: updates are not run by `query`, which only reads (SELECT, "
            "ASK, CONSTRUCT, DESCRIBE); change data with `load` or `import`"
        ),
        "fr": (
            "ceci est une mise à jour SPARQL : `query` ne fait que lire (SELECT, ASK, CONSTRUCT, "
            "DESCRIBE) ; modifiez les données avec `load` ou `import`"
        ),
    },
    "cli.error.syntax": {
        "en": "SPARQL syntax error: {detail}",
        "fr": "erreur de syntaxe SPARQL : {detail}",
    },
    "cli.error.syntax_at": {
        "en": "SPARQL syntax error at line {line}, column {column}: {detail}",
        "fr": "erreur de syntaxe SPARQL ligne {line}, colonne {column} : {detail}",
    },
}
