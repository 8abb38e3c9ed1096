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


@pytest.mark.parametrize(
    ("query", "top", "wanted"),
    [
        ("hypertension", 3, {"I10"}),
        ("pneumonia", 5, {"J18", "J18.9"}),
        ("lower back pain", 5, {"M54.5", "M54.50", "M54.51", "M54.59"}),
        ("low back pain", 5, {"M54.5", "M54.50", "M54.51", "M54.59"}),
        ("high blood pressure", 3, {"I10"}),
        ("shingles", 3, {"B02"}),
        ("AIDS", 3, {"B20"}),
        ("calcinosis cutis", 3, {"L94.2"}),
        ("calcium deposits in the skin", 3, {"L94.2"}),
        ("calcinossis cutis", 3, {"L94.2"}),
    ],
)
def test_common_queries_put_the_obvious_code_near_the_top(
    kb: icd10kb.KnowledgeBase, query: str, top: int, wanted: set[str]
) -> None:
    assert wanted & {h.code for h in kb.search(query, top)}


def test_fractured_femur_is_a_femur_fracture(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.search("fractured femur", 1)[0].code.startswith("S72")
    assert kb.search("fractures of femur", 1)[0].code == kb.search("fracture of femur", 1)[0].code == "S72"


def test_stems_are_consistent() -> None:
    from icd10kb.search.index import stem

    assert len({stem(w) for w in ("fracture", "fractured", "fractures", "fracturing")}) == 1
    assert len({stem(w) for w in ("disease", "diseases")}) == 1
    assert stem("lower") == stem("low")
    assert [stem(w) for w in ("deposits", "deposited", "calcinosis", "arteries", "bleeding")] == [
        "deposit", "deposit", "calcinosis", "artery", "bleed"
    ]


def test_includes_notes_are_searched_and_reported(kb: icd10kb.KnowledgeBase) -> None:
    hit = kb.search("high blood pressure", 1)[0]
    assert hit.code == "I10" and hit.matched_words == 3
    assert ("includes", "high blood pressure") in {(m.field, m.text) for m in hit.matches}
    aids = kb.search("AIDS", 1)[0]
    assert aids.code == "B20" and {m.field for m in aids.matches} == {"includes"}
    assert "acquired immune deficiency syndrome [AIDS]" in {m.text for m in aids.matches}
    shingles = kb.search("shingles", 1)[0]
    assert shingles.code == "B02" and shingles.corrections == ()  # a word of the release is never "corrected"


def test_ties_prefer_the_broader_concept(kb: icd10kb.KnowledgeBase) -> None:
    codes = [h.code for h in kb.search("pneumonia", 5)]
    assert codes.index("J18") < codes.index("J18.9")
    assert [h.code for h in kb.search("fracture of femur", 1)] == ["S72"]


def test_names_in_brackets_and_other_codes(kb: icd10kb.KnowledgeBase) -> None:
    # "[AIDS]" names B20 on its own; "Other hypertension" (I1A) names a residual class, not hypertension.
    codes = [h.code for h in kb.search("hypertension", 3)]
    assert codes[0] == "I10"
    assert kb.search("herpes zoster", 1)[0].code == "B02"


def test_a_corrected_word_weighs_less(kb: icd10kb.KnowledgeBase) -> None:
    exact = kb.search("calcinosis cutis", 1)[0]
    typo = kb.search("calcinossis cutis", 1)[0]
    assert exact.code == typo.code == "L94.2" and typo.score < exact.score
    # a word of the vocabulary is read as itself, even next to a typo of it
    both = kb.search("calcinossis calcinosis", 1)[0]
    assert both.code == "L94.2" and both.corrections == ()


@pytest.mark.parametrize(
    "filters",
    [
        {"block": "L94"},
        {"block": "L94.2"},
        {"block": "12"},
        {"block": "S72.001A"},
        {"chapter": "L80-L99"},
        {"chapter": "L94"},
        {"billable": 1},
        {"billable": "yes"},
        {"billable": 0},
    ],
)
def test_filters_must_be_a_chapter_a_block_and_a_boolean(kb: icd10kb.KnowledgeBase, filters: dict[str, object]) -> None:
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.search("skin", 5, **filters)  # type: ignore[arg-type]


def test_valid_filters_are_accepted(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.search("skin", 3, chapter="12", block="L80-L99", billable=False)
    assert all(kb.chapter(h.code) == "12" for h in kb.search("skin", 5, chapter="12"))


# --- issue 7, item 5: a code typed as a search query returns that code and its close relatives ----------------


@pytest.mark.parametrize("query", ["e119", "E11.9", "e11.9", " E119 ", "E11.9-"])
def test_a_code_typed_as_the_query_gives_the_code_then_its_relatives_not_noise(
    kb: icd10kb.KnowledgeBase, query: str
) -> None:
    hits = kb.search(query, 10)
    codes = [h.code for h in hits]
    assert codes[:2] == ["E11.9", "E11"] and "Y90.5" not in codes  # not "119" read as a number in a title
    assert set(codes[2:]) <= set(kb.children("E11")) and len(codes) == 10
    assert [(m.field, m.text) for m in hits[0].matches] == [("code", "E11.9")]
    assert [(m.field, m.text) for m in hits[1].matches] == [("parent of", "E11.9")]
    assert {m.field for h in hits[2:] for m in h.matches} == {"sibling of"}
    assert [h.score for h in hits[:3]] == sorted((h.score for h in hits[:3]), reverse=True)


def test_a_code_query_in_the_notes_spelling_gives_the_category_and_its_children(kb: icd10kb.KnowledgeBase) -> None:
    for query in ("G30.-", "g30.-", "G30-", "g30"):
        codes = [h.code for h in kb.search(query, 20)]
        assert codes[:2] == ["G30", "G30-G32"], query
        assert codes[2:6] == list(kb.children("G30")) and codes[6:] == ["G31", "G32"]


def test_a_7th_character_code_typed_as_the_query(kb: icd10kb.KnowledgeBase) -> None:
    for query in ("S72.001A", "s72001a"):
        hits = kb.search(query, 5)
        assert [h.code for h in hits][:3] == ["S72.001A", "S72.001", "S72.001B"]
        assert hits[0].title == kb.title("S72.001A") and hits[0].seventh_characters == 0
        assert hits[1].seventh_characters == 16


def test_l94_2_typed_as_the_query(kb: icd10kb.KnowledgeBase) -> None:
    codes = [h.code for h in kb.search("l94.2", 10)]
    assert codes[:2] == ["L94.2", "L94"] and set(codes[2:]) == set(kb.children("L94")) - {"L94.2"}


def test_code_queries_keep_the_filters(kb: icd10kb.KnowledgeBase) -> None:
    billable = kb.search("e119", 10, billable=True)
    assert billable[0].code == "E11.9" and all(kb.is_billable(h.code) for h in billable)
    assert kb.search("e119", 10, chapter="12") == ()
    assert [h.code for h in kb.search("e119", 2, block="E08-E13")] == ["E11.9", "E11"]
    assert kb.search("e119", 0) == ()


def test_a_bare_number_is_read_as_words_with_the_chapter_first(kb: icd10kb.KnowledgeBase) -> None:
    hits = kb.search("2", 5)
    assert hits[0].code == "2" and any(h.matches and h.matches[0].field == "title" for h in hits[1:])


def test_words_that_are_no_code_are_searched_as_words(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.search("L94.7", 3) == () or all(m.field not in ("code", "parent of") for h in kb.search("L94.7", 3) for m in h.matches)
    assert kb.search("calcinosis", 1)[0].matches[0].field == "title"


# --- the hit records ------------------------------------------------------------------------------------------


def test_hits_are_frozen_records_that_pydantic_understands(kb: icd10kb.KnowledgeBase) -> None:
    import pickle

    from pydantic import BaseModel

    from icd10kb.search import models
    from icd10kb.search.index import Match, SearchHit

    hit = kb.search("calcinossis cutis", 1)[0]
    model = models.SearchHit.model_validate(hit.model_dump())
    assert model.model_dump() == hit.model_dump() and model.model_dump_json() == hit.model_dump_json()
    assert SearchHit.model_validate_json(hit.model_dump_json()) == hit == SearchHit.model_validate(hit)
    assert SearchHit.model_json_schema() == models.SearchHit.model_json_schema()
    assert pickle.loads(pickle.dumps(hit)) == hit and hash(hit) == hash(SearchHit.model_validate(hit.model_dump()))
    assert isinstance(hit.matches[0], Match) and "corrections=(('calcinossis', 'calcinosis'),)" in repr(hit)
    with pytest.raises(AttributeError):
        hit.code = "X"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del hit.matches[0].text  # type: ignore[attr-defined]

    class Holder(BaseModel):
        hit: SearchHit

    held = Holder(hit=hit)
    assert held.hit == hit and Holder.model_validate_json(held.model_dump_json()).hit == hit
    assert Holder.model_validate({"hit": hit.model_dump()}).hit == hit
    with pytest.raises(ValueError):
        SearchHit.model_validate({"code": "L94.2"})
