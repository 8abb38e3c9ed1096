"""CompiledPostings.longer (insertions over the vocabulary's alphabet) equals the builder's deletion table,
for words that only added texts bring, numbers, the length bounds, and text outside the alphabet."""

from __future__ import annotations

import icd10kb
from icd10kb.search.index import SearchIndex
from icd10kb.search.lazy import CompiledPostings
from icd10kb.search.postings import BuiltPostings
from icd10kb.search.text import MAX_WORD, deletions

KB = icd10kb.load()
LONG = "q" * (MAX_WORD - 1) + "z"  # a word of exactly MAX_WORD letters
EXTRA = [
    ("L94.2", "zorbulax quixotry", "layperson"),  # words that are in no title
    ("L94.2", "Ménière Ørsted straße", "layperson"),  # folded to ascii words
    ("I21.9", "12345 9876a", "index term"),  # a number, and a word with digits
    ("I21.9", LONG, "index term"),
    ("I21.9", "skin skinn", "index term"),
]
FAST = SearchIndex(KB, None, extra=EXTRA)
SLOW = SearchIndex(KB, None, extra=EXTRA, compiled=False)


def test_the_two_indexes_are_the_two_implementations() -> None:
    assert isinstance(FAST.postings, CompiledPostings) and isinstance(SLOW.postings, BuiltPostings)


def test_longer_finds_the_words_of_added_texts_as_the_builder_does() -> None:
    words = ["zorbulax", "quixotry", "meniere", "orsted", "strasse", "12345", "9876a", LONG, "skinn", "skin"]
    keys = {d for w in words for d in deletions(w)} | {d for w in words for k in deletions(w) for d in deletions(k)}
    keys |= {"", "a", "ab", "abc", LONG[:-2], LONG + "q", "é" * 4, "ski", "skín", "SKIN", "sk in", "1234", "ø" * 5}
    for key in sorted(keys):
        assert sorted(FAST.postings.longer(key)) == sorted(SLOW.postings.longer(key)), key
    assert "zorbulax" in FAST.postings.longer("zorbuax") and "skinn" in FAST.postings.longer("sinn")
    assert FAST.postings.longer("1234") == [] or all(not w.isdigit() for w in FAST.postings.longer("1234"))


def test_typo_queries_of_added_words_rank_the_same() -> None:
    for query in ("zorbulaxx", "zorblax", "quixtry", "menier", "strase", "skinnn"):
        assert FAST.search(query, 5) == SLOW.search(query, 5), query
