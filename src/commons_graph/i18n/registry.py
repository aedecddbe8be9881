"""The message registry: every feature registers its catalogue of English and French texts."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "fr")

Catalogue = Mapping[str, Mapping[str, str]]

# Every user-facing message, keyed by a stable name, filled by `register`. Features register
# their own catalogue when they are imported, so the foundation never imports a feature.
MESSAGES: dict[str, dict[str, str]] = {}


def register(catalogue: Catalogue) -> None:
    """Add a feature's messages; each must exist in every language, and no key may change text."""
    for key, texts in catalogue.items():
        if set(texts) != set(LANGUAGES) or not all(text.strip() for text in texts.values()):
            raise ValueError(f"message {key!r} must have a text in each of {LANGUAGES}")
        known = MESSAGES.get(key)
        if known is not None and known != texts:
            raise ValueError(f"message {key!r} is registered twice with different texts")
        MESSAGES[key] = dict(texts)


def has_message(key: str) -> bool:
    """Whether `key` names a registered text."""
    return key in MESSAGES


def translate(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang` (English when missing), with `values` filled in."""
    texts = MESSAGES[key]
    return texts.get(lang, texts["en"]).format(**values)
