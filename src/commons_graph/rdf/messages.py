"""The English and French texts of the RDF foundations: parsing, formats, hashing."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "rdf.xml_declarations": {
        "en": "{label}: RDF/XML with DOCTYPE or ENTITY declarations is refused",
        "fr": "{label} : le RDF/XML avec des déclarations DOCTYPE ou ENTITY est refusé",
    },
    "rdf.syntax": {
        "en": "{label}: {detail}",
        "fr": "{label} : {detail}",
    },
    "rdf.unreadable": {
        "en": "{label}: cannot read: {detail}",
        "fr": "{label} : lecture impossible : {detail}",
    },
    "rdf.unknown_format": {
        "en": "unknown RDF format '{name}' (known: {names})",
        "fr": "format RDF inconnu « {name} » (connus : {names})",
    },
    "rdf.unknown_extension": {
        "en": (
            "{file}: cannot tell the RDF format from the extension '{extension}' (known: {names})"
        ),
        "fr": (
            "{file} : impossible de déduire le format RDF de l'extension « {extension} » "
            "(connues : {names})"
        ),
    },
    "rdf.unknown_results_format": {
        "en": "unknown SPARQL results format '{name}'",
        "fr": "format de résultats SPARQL inconnu « {name} »",
    },
    "rdf.canonicalisation_too_hard": {
        "en": "canonicalisation took longer than {seconds} s",
        "fr": "la canonisation a pris plus de {seconds} s",
    },
    "rdf.cannot_canonicalise": {
        "en": "cannot canonicalise: {detail}",
        "fr": "canonisation impossible : {detail}",
    },
}
