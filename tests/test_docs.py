"""The documentation keeps up with the code."""

from __future__ import annotations

from pathlib import Path

from commons_graph.config import Settings
from commons_graph.i18n import LANGUAGES, MESSAGES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented() -> None:
    """Each Settings field appears, as its environment variable, in docs/configuration.md."""
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [
        name for name in Settings.model_fields if f"`COMMONS_GRAPH_{name.upper()}`" not in text
    ]
    assert not missing, f"settings missing from docs/configuration.md: {missing}"


def test_every_setting_has_help() -> None:
    """Each Settings field carries a description."""
    assert all(field.description for field in Settings.model_fields.values())


def test_every_message_exists_in_english_and_french() -> None:
    """No user-facing message lacks a language."""
    incomplete = [key for key, texts in MESSAGES.items() if set(texts) != set(LANGUAGES)]
    assert not incomplete
    assert all(text.strip() for texts in MESSAGES.values() for text in texts.values())
