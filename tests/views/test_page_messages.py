"""Every text of the pages exists in English and French, and every key the templates use exists."""

from __future__ import annotations

import re

from commons_graph.i18n import LANGUAGES, MESSAGES
from commons_graph.views.groups import GROUPS
from commons_graph.views.kinds import KINDS
from commons_graph.web.messages import MESSAGES as PAGE_MESSAGES
from commons_graph.web.templating import TEMPLATES_DIR

OWN_TEMPLATES = (
    "base.html",
    "_macros.html",
    "home.html",
    "list.html",
    "resource.html",
    "_resource_parts.html",
    "_inbound.html",
    "ontology.html",
    "scheme.html",
    "search.html",
    "void.html",
    "error.html",
)


def test_every_page_message_has_both_languages() -> None:
    for key, texts in PAGE_MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_every_key_used_by_the_templates_exists() -> None:
    used: set[str] = set()
    for name in OWN_TEMPLATES:
        text = (TEMPLATES_DIR / name).read_text()
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.:]*[a-z_])["']""", text))
    used |= {spec.key for spec in GROUPS.values()}
    used |= {f"kind.{key}" for key in KINDS}
    used |= {f"facet.{name}" for kind in KINDS.values() for name in kind.facets}
    missing = {key for key in used if key not in PAGE_MESSAGES and key not in MESSAGES}
    assert not missing
