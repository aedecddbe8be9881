"""English and French texts, and choosing the language of a request."""

from __future__ import annotations

LANGUAGES = ("en", "fr")

# Every user-facing message, keyed by a stable name; tests check each has both languages.
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
    "error.bad_request": {
        "en": "The request is not valid: {detail}",
        "fr": "La requête n'est pas valide : {detail}",
    },
}


def translate(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` (English when missing), with `values` filled in."""
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**values)


def negotiate_language(accept_language: str | None, default: str = "en") -> str:
    """The best of English and French for an Accept-Language header (RFC 9110 q-values)."""
    if not accept_language:
        return default
    best, best_q = default, 0.0
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary == "*":
            primary = default
        # Earlier items win ties, as browsers list preferences in order.
        if primary in LANGUAGES and q > best_q and not (q == best_q and position):
            best, best_q = primary, q
    return best
