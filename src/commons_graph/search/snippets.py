"""Snippets: a few words of a resource's text around the first word a query found, marked.

Made here rather than by FTS5's `snippet()`, which expands the query's prefix terms over the
whole index for each resource shown (80 ms for a page of 50 at 100k triples against ~2 ms
here). A word is marked when it is a query word, shares a stem with one, or begins with a
query word's stem (as the index matches them). The markers are control characters that the
indexed text never holds, so the page escapes the text and marks the words after.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from commons_graph.search.text import MIN_PREFIX_STEM, _stems, fold, query_words, stems

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
SNIPPET_WORDS = 24
# Words shown before the first one marked.
_LEAD = 6
_WORD = re.compile(r"[^\W_]+")
_SCANNED = 400
ELLIPSIS = "…"
# Words whose answer a highlighter keeps (bounds its memory for a long page of texts).
_KNOWN_WORDS = 20_000


class Highlighter:
    """Marks the words of texts that a query matches."""

    def __init__(self, query: str, *, prefix_last: bool = False) -> None:
        found = query_words(query)
        self.words = set(found)
        self.stems = {s for w in found for s in stems(w)}
        self.prefixes = tuple(
            {s for s in self.stems if len(s) >= MIN_PREFIX_STEM}
            | ({found[-1]} if prefix_last and found else set())
        )
        # Each word's answer, once: a page's texts repeat their words (0.17 M calls a page).
        self._known: dict[str, bool] = {}

    def matches(self, word: str) -> bool:
        """Whether one word of a text (as written) is found by the query."""
        known = self._known.get(word)
        if known is None:
            folded = fold(word)
            known = bool(
                folded in self.words
                or (self.prefixes and folded.startswith(self.prefixes))
                or any(s in self.stems for s in _stems(folded))
            )
            if len(self._known) < _KNOWN_WORDS:
                self._known[word] = known
        return known

    def snippet(self, text: str, *, marked_only: bool = True) -> str:
        """Up to SNIPPET_WORDS words of `text` from a little before the first match, matches
        marked; "" when nothing matches and `marked_only`."""
        # The first words are enough to find where to start (long texts stay cheap).
        spans = [(m.start(), m.end()) for m in islice(_WORD.finditer(text), _SCANNED)]
        hit = next(
            (i for i, (start, end) in enumerate(spans) if self.matches(text[start:end])), None
        )
        if not spans or (marked_only and hit is None):
            return ""
        first = max(0, hit - _LEAD) if hit is not None else 0
        last = min(len(spans), first + SNIPPET_WORDS)
        pieces: list[str] = [ELLIPSIS if first > 0 else ""]
        cursor = spans[first][0] if first else 0
        for start, end in spans[first:last]:
            pieces.append(text[cursor:start])
            word = text[start:end]
            pieces.append(f"{MARK_OPEN}{word}{MARK_CLOSE}" if self.matches(word) else word)
            cursor = end
        pieces.append(ELLIPSIS if last < len(spans) else text[cursor:])
        return " ".join("".join(pieces).split())


def best_snippet(highlighter: Highlighter, body: str, others: Sequence[str]) -> str:
    """The description where a word matched; else other names or link labels where one did;
    else the description's beginning."""
    return (
        highlighter.snippet(body)
        or next((s for text in others if (s := highlighter.snippet(text))), "")
        or highlighter.snippet(body, marked_only=False)
    )
