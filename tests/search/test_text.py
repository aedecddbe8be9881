"""Query words and MATCH expressions: folded, stemmed, and never FTS5 syntax from users."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.search.index import _SCHEMA
from commons_graph.search.text import (
    MAX_QUERY_WORDS,
    fold,
    match_expression,
    name_expression,
    query_words,
    stem_text,
)

HOSTILE = ['"', "*", "NEAR(", "NEAR(a b, 3)", "OR", "AND NOT", ":", "name:x", "^x", "{name}: y",
           "a\x00b", "\x1b[31m", "x" * 100_000, "(((", "'", "-", "+"]  # fmt: skip


def _fts() -> sqlite3.Connection:
    """The index's own tables, in memory, with one resource."""
    db = sqlite3.connect(":memory:")
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO fts VALUES ('Économie near', 'or', 'and not', 'x', 'econom', '')")
    return db


def test_folding_drops_case_and_accents() -> None:
    assert fold("Économie SOLIDAIRE") == "economie solidaire"
    assert query_words("L'économie, c'est «nous»!") == ["l", "economie", "c", "est", "nous"]


def test_english_and_french_stems_meet() -> None:
    assert set(stem_text(["cooperatives"]).split()) & set(stem_text(["cooperative"]).split())
    assert "cheval" in stem_text(["chevaux"]).split()


def test_hostile_queries_are_words_only() -> None:
    db = _fts()
    for text in HOSTILE:
        for prefix in (False, True):
            for expression in (
                match_expression(text, prefix_last=prefix),
                name_expression(text, prefix_last=prefix),
            ):
                if expression is not None:
                    db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,)).fetchall()
    # FTS5 keywords in a query are words to find, not operators.
    assert query_words("NEAR OR AND NOT") == ["near", "or", "and", "not"]
    found = _fts().execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (match_expression("or"),))
    assert found.fetchone()[0] == 1
    assert len(query_words("a " * 1000)) == MAX_QUERY_WORDS


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.booleans())
def test_any_text_gives_a_valid_expression(text: str, prefix: bool) -> None:
    db = _fts()
    for expression in (
        match_expression(text, prefix_last=prefix),
        name_expression(text, prefix_last=prefix),
    ):
        if expression is not None:
            db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,)).fetchall()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="ab éÉ-.\x01", max_size=30), max_size=6))
def test_stems_of_texts_kept_or_not_are_the_same(texts: list[str]) -> None:
    """Short texts' stems are kept between calls: the column is the same as word by word."""
    from commons_graph.search.text import stems, words

    seen: dict[str, None] = {}
    for text in [*texts, *texts, "x" * 300 + " chevaux"]:
        for word in words(text):
            seen.update(dict.fromkeys(stems(word)))
    assert stem_text([*texts, *texts, "x" * 300 + " chevaux"]) == " ".join(seen)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x17F), max_size=20))
def test_folding_ascii_text_quickly_folds_it_the_same(text: str) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    slow = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    assert fold(text) == slow
