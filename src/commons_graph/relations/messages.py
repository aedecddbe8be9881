"""The English and French texts of derived relations (pages and the command line)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "relations.rebuilt": {
        "en": (
            "{relations} relations between {organisations} organisations in {graph} "
            "({added} new or changed, {removed} removed, {kept} unchanged; {seconds} s)."
        ),
        "fr": (
            "{relations} liens entre {organisations} organisations dans {graph} "
            "({added} nouveaux ou modifiés, {removed} retirés, {kept} inchangés ; {seconds} s)."
        ),
    },
}
