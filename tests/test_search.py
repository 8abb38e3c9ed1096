"""Search from words, and suggestions for unknown codes."""

from __future__ import annotations

import pytest

import icd10kb


@pytest.mark.parametrize("query", ["calcinosis cutis", "calcium deposits in the skin", "calcinossis cutis",
                                   "Cutis CALCINOSIS", "calcinosis of the skin"])
def test_l94_2_is_found_in_the_top_three(kb: icd10kb.KnowledgeBase, query: str) -> None:
    assert "L94.2" in [h.code for h in kb.search(query, 3)]


def test_hits_say_what_matched(kb: icd10kb.KnowledgeBase) -> None:
    hit = kb.search("calcium deposits in the skin", 1)[0]
    assert hit.code == "L94.2" and hit.matched_words == hit.query_words == 3
    assert any(m.field == "knowledge" and set(m.words) == {"calcium", "deposit", "skin"} for m in hit.matches)
    typo = kb.search("calcinossis cutis", 1)[0]
    assert typo.corrections == (("calcinossis", "calcinosis"),)
    term = kb.search("circumscribed scleroderma", 1)[0]
    assert term.code == "L94.0" and "inclusion term" in {m.field for m in term.matches}


def test_filters(kb: icd10kb.KnowledgeBase) -> None:
    hits = kb.search("fracture neck femur", 10, billable=True)
    assert hits and all(kb.is_billable(h.code) for h in hits)
    in_chapter = kb.search("scleroderma", 10, chapter="13")
    assert in_chapter and all(kb.chapter(h.code) == "13" for h in in_chapter)
    in_block = kb.search("scleroderma", 10, block="L80-L99")
    assert {h.code for h in in_block[:2]} == {"L94.0", "L94.1"}
    headers = kb.search("scleroderma", 5, billable=False)
    assert all(not kb.is_billable(h.code) for h in headers)


def test_codes_typed_as_queries_come_first(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.search("l942", 1)[0].code == "L94.2"
    assert kb.search("S72.001", 1)[0].seventh_characters == 16


def test_empty_and_bad_queries(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.search("", 5) == () and kb.search("of the", 5) == ()
    assert kb.search("zzzzqqqq", 5) == ()
    assert kb.search("skin", 0) == ()
    for bad in (None, 3, b"skin"):
        with pytest.raises(icd10kb.InvalidCodeError):
            kb.search(bad)  # type: ignore[arg-type]
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.search("x" * 1_000_000)
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.search("skin", -1)
    with pytest.raises(icd10kb.CodeNotFoundError):
        kb.search("skin", chapter="99")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("L942x", "L94.2"), ("L49.2", "L94.2"), ("L94.7", "L94.6"), ("S06.1X7D", "S06.1X7A"), ("I1O", "I10"), ("S72.OO1A", "S72.001A")],
)
def test_suggestions(kb: icd10kb.KnowledgeBase, typed: str, meant: str) -> None:
    assert meant in kb.suggest(typed)
    assert all(s in kb for s in kb.suggest(typed))
    assert kb.suggest("###") == () and kb.suggest(None) == ()
