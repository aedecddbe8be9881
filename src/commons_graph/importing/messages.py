"""The English and French texts of importing open datasets."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "import.error.missing_columns": {
        "en": "the file has no {columns} column: is it a standard CSV file?",
        "fr": "le fichier n'a pas de colonne {columns} : est-ce un fichier CSV standard ?",
    },
    "import.error.bad_row": {
        "en": "{file}, row {row}: {detail}",
        "fr": "{file}, ligne {row} : {detail}",
    },
    "import.error.not_utf8": {
        "en": "{file} is not UTF-8 text",
        "fr": "{file} n'est pas du texte UTF-8",
    },
    "import.error.not_csv": {
        "en": "{file} is not a CSV file: {detail}",
        "fr": "{file} n'est pas un fichier CSV : {detail}",
    },
    "import.error.empty": {
        "en": "{file} is empty",
        "fr": "{file} est vide",
    },
    "import.error.bad_name": {
        "en": "{name!r} cannot name a dataset: use lowercase letters, digits and hyphens",
        "fr": (
            "{name!r} ne peut pas nommer un jeu de données : utilisez des minuscules, des "
            "chiffres et des tirets"
        ),
    },
    "import.error.unknown_kind": {
        "en": "unknown kind of organisation {kind!r}",
        "fr": "type d'organisation inconnu {kind!r}",
    },
}
