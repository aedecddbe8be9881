"""Cleaning cell text: HTML descriptions to plain text, entities decoded, whitespace tidied."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements after which a reader expects a line break.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
# Elements whose content is not text for people.
_SKIPPED = frozenset({"script", "style", "template", "head", "title", "noscript"})


class _TextCollector(HTMLParser):
    """Collects the character data of a document, decoding entities, keeping block breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);?")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BREAKS = re.compile(r"\s*\n\s*(?:\n\s*)+")
_UNTIDY = re.compile(r"[\t\r\n\f\v\u00a0]|  ")


def plain_text(value: str) -> str:
    """`value` without markup: tags removed, entities decoded, one blank line between blocks."""
    if not _MARKUP.search(value):
        return tidy(value)
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    text = "".join(collector.parts)
    # Escaped markup ("&lt;b&gt;") decodes to text that looks like a tag; no consumer should
    # ever mistake it for one, so its "<" becomes a look-alike angle quote.
    return tidy(_TAG_START.sub("\u2039", text))


def tidy(value: str) -> str:
    """`value` with runs of spaces collapsed, lines trimmed and blank-line runs reduced to one."""
    if not _UNTIDY.search(value):
        return value.strip()  # most cells: one line with single spaces
    lines = [_SPACES.sub(" ", line).strip() for line in value.replace("\r\n", "\n").split("\n")]
    return _BREAKS.sub("\n\n", "\n".join(lines)).strip()
