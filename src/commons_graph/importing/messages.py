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
    "import.geojson.too_large": {
        "en": "{file} is {size} bytes: GeoJSON files are read up to {limit} bytes",
        "fr": "{file} fait {size} octets : les fichiers GeoJSON sont lus jusqu'à {limit} octets",
    },
    "import.geojson.too_many": {
        "en": "{file} has {count} features: at most {limit} are imported at once",
        "fr": "{file} a {count} entités : on en importe au plus {limit} à la fois",
    },
    "import.geojson.too_deep": {
        "en": "{file} is nested too deeply to be GeoJSON of initiatives (limit {limit} levels)",
        "fr": (
            "{file} est trop profondément imbriqué pour du GeoJSON d'initiatives "
            "(limite {limit} niveaux)"
        ),
    },
    "import.geojson.not_json": {
        "en": "{file} is not valid JSON: line {line}, column {column}: {detail}",
        "fr": "{file} n'est pas du JSON valide : ligne {line}, colonne {column} : {detail}",
    },
    "import.geojson.not_collection": {
        "en": '{file} is not a GeoJSON FeatureCollection (an object with "type": '
        '"FeatureCollection" and a list of "features")',
        "fr": '{file} n\'est pas une FeatureCollection GeoJSON (un objet avec "type" : '
        '"FeatureCollection" et une liste "features")',
    },
    "import.mapping.missing": {
        "en": "no mapping file {file}: give a TOML file, or a shipped mapping ({shipped})",
        "fr": (
            "pas de fichier de correspondance {file} : donnez un fichier TOML, ou une "
            "correspondance livrée ({shipped})"
        ),
    },
    "import.mapping.invalid": {
        "en": "the mapping file {file} is not valid: {detail}",
        "fr": "le fichier de correspondance {file} n'est pas valide : {detail}",
    },
}
