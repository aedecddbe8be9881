"""Words for the full-text index: tokens as SQLite's unicode61 splits them, folded and stemmed.

The index stores each text as written (FTS5's `unicode61 remove_diacritics 2` folds case and
accents) and, in a column of its own, the English and French Snowball stems of its words, folded
the same way. A query is turned into a MATCH expression built only from the words it contains,
each one quoted here: FTS5's own syntax (`"`, `*`, `NEAR(`, `OR`, `:`, `^`, column filters)
never reaches SQLite from a user.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable

import Stemmer

# unicode61 keeps letters, digits and private-use characters together; everything else
# separates words (underscore included).
_WORD = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
# A stem shorter than this is matched whole, never as a prefix: "art"* would find "article".
MIN_PREFIX_STEM = 4
STEM_LANGUAGES = ("english", "french")

_local = threading.local()


def _stemmers() -> list[Stemmer._Stemmer]:
    """This thread's stemmers (a PyStemmer object is not safe to share between threads)."""
    found: list[Stemmer._Stemmer] | None = getattr(_local, "stemmers", None)
    if found is None:
        found = _local.stemmers = [Stemmer.Stemmer(lang) for lang in STEM_LANGUAGES]
    return found


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """`text` lowercased, without accents ("Économie" -> "economie"), as unicode61 folds it."""
    if text.isascii():
        return text.casefold()  # (nothing to decompose: most texts, read character by character)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return _WORD.findall(fold(text))


def stems(word: str) -> list[str]:
    """The distinct English and French stems of one folded word."""
    return list(_stems(word))


@functools.lru_cache(maxsize=65_536)
def _stems(word: str) -> tuple[str, ...]:
    # Words recur (in queries, snippets, names): each is stemmed once per process.
    found: list[str] = []
    for stemmer in _stemmers():
        stem = fold(stemmer.stemWord(word))
        if stem and stem not in found:
            found.append(stem)
    return tuple(found)


def stem_text(texts: Iterable[str]) -> str:
    """The distinct stems of every word of `texts`, space separated (the `stems` column)."""
    seen: dict[str, None] = {}
    for text in texts:
        found = _short_text_stems(text) if len(text) <= _KEPT_TEXT_CHARS else _text_stems(text)
        seen.update(dict.fromkeys(found))
    return " ".join(seen)


# The stems of short texts are kept: names recur in the documents of everything linking to
# them (a theme's or a place's names, thousands of times in a rebuild).
_KEPT_TEXT_CHARS = 200


def _text_stems(text: str) -> tuple[str, ...]:
    """The distinct stems of the words of `text`, in order."""
    seen: dict[str, None] = {}
    for word in dict.fromkeys(words(text)):  # (a word seen again adds no stem)
        seen.update(dict.fromkeys(_stems(word)))
    return tuple(seen)


_short_text_stems = functools.lru_cache(maxsize=16_384)(_text_stems)


def query_words(text: str) -> list[str]:
    """The words of a user's query, bounded in length and number."""
    cleaned = "".join(c if c.isprintable() else " " for c in text[:MAX_QUERY_CHARS])
    return words(cleaned)[:MAX_QUERY_WORDS]


def _quoted(word: str) -> str:
    # Words hold only letters and digits; doubling quotes keeps that true whatever changes.
    return '"' + word.replace('"', '""') + '"'


def _word_match(word: str, *, prefix: bool, highlight: bool = False) -> str:
    """One query word: the word itself (a prefix of one, if asked), or a word sharing one of
    its stems (the stems columns). For highlighting, a stem is also matched as a prefix of the
    text as written, so that snippets mark "gardening" for "gardens"; ranking never does:
    prefix terms make bm25 several times slower."""
    terms = [_quoted(word) + (" *" if prefix else "")]
    own = stems(word) or [word]
    if highlight:
        terms += [_quoted(s) + " *" for s in own if len(s) >= MIN_PREFIX_STEM and s != word]
    terms.append("{name_stems other_stems} : (" + " OR ".join(_quoted(s) for s in own) + ")")
    return "(" + " OR ".join(terms) + ")"


def match_expression(
    text: str, *, prefix_last: bool = False, highlight: bool = False
) -> str | None:
    """The FTS5 MATCH expression for a user's query (every word must match), or None when the
    query has no word."""
    found = query_words(text)
    if not found:
        return None
    last = len(found) - 1
    parts = [
        _word_match(w, prefix=prefix_last and i == last, highlight=highlight)
        for i, w in enumerate(found)
    ]
    return " AND ".join(parts)


def name_expression(text: str, *, prefix_last: bool = False) -> str | None:
    """A MATCH expression true when every word of the query is in a name (ranked first)."""
    found = query_words(text)
    if not found:
        return None
    parts = []
    for i, word in enumerate(found):
        star = " *" if prefix_last and i == len(found) - 1 else ""
        own = " OR ".join(_quoted(s) for s in stems(word) or [word])
        parts.append(f"({{name alt}} : ({_quoted(word)}{star}) OR name_stems : ({own}))")
    return " AND ".join(parts)
