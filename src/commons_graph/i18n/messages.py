"""The texts shared by every feature: the generic errors of the web and the command line."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "error.not_found": {
        "en": "Nothing is known at this address.",
        "fr": "Rien n'est connu à cette adresse.",
    },
    "error.internal": {
        "en": "Something went wrong on our side; the error has been logged.",
        "fr": "Une erreur s'est produite de notre côté ; elle a été journalisée.",
    },
    "error.method_not_allowed": {
        "en": "This method is not allowed here.",
        "fr": "Cette méthode n'est pas permise ici.",
    },
    "error.not_acceptable": {
        "en": "The request is not valid: no acceptable representation; offered: {offered}",
        "fr": (
            "La requête n'est pas valide : aucune représentation acceptable ; proposées : {offered}"
        ),
    },
    "error.bad_request": {
        "en": "The request is not valid: {detail}",
        "fr": "La requête n'est pas valide : {detail}",
    },
}
