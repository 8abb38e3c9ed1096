"""The built-in L94.2 knowledge, knowledge packs (valid and broken), reverse questions."""

from __future__ import annotations

import copy
import gzip
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import icd10kb
from icd10kb.knowledge.packs import read_pack

PACK = Path(icd10kb.__file__).parent / "data" / "knowledge" / "calcinosis-cutis.json"


def minimal(**disease: Any) -> dict[str, Any]:
    entry = {"code": "L94.3", "label": "Sclerodactyly", "sources": ["s"], **disease}
    return {
        "format": "icd10kb-knowledge/1",
        "id": "test-pack",
        "title": "A test pack",
        "sources": {"s": {"title": "Test source", "url": "https://example.org/s", "accessed": "2026-11-01"}},
        "diseases": [entry],
    }


def test_l94_2_profile_carries_the_brief(kb: icd10kb.KnowledgeBase) -> None:
    profile = kb.knowledge("L94.2")
    assert profile.label == "Calcinosis cutis"
    assert [i.curie for i in profile.identifiers] == ["HP:0025520"]
    assert "rare" in profile.about
    groups = {c.group for c in profile.causes}
    assert groups == {"idiopathic", "connective tissue disorder", "trauma or inflammation", "inherited disorder",
                      "other underlying condition"}
    linked = {c.label: c.code for c in profile.causes if c.code}
    assert linked == {"systemic sclerosis": "M34", "dermatomyositis": "M33",
                      "systemic lupus erythematosus": "M32", "pseudoxanthoma elasticum": "E83.824"}
    tumoral = next(c for c in profile.causes if c.label == "tumoral calcinosis")
    assert tumoral.code is None and tumoral.identifiers == ()  # no verified code: left unlinked
    hpo = {s.label: s.identifier("HPO") for s in profile.symptoms}
    assert hpo == {
        "hard, firm or bumpy skin nodules": "HP:0001482",
        "pain or tenderness at the deposits": "HP:0012531",
        "restricted joint movement": "HP:0001376",
        "skin ulceration": "HP:0200042",
        "infection of the lesions": None,
    }
    joint = next(s for s in profile.symptoms if s.label == "restricted joint movement")
    assert joint.qualifiers.condition == "deposits lie near a joint"
    assert {s.qualifiers.severity for s in profile.symptoms if s.label.startswith(("skin ulc", "infection"))} == {"severe cases"}
    loinc = {t.identifier("LOINC") for t in profile.tests} - {None}
    assert loinc == {"17861-6", "2777-1"}
    assert {t.label for t in profile.tests} >= {"X-ray imaging", "skin biopsy"}
    assert profile.treatments == ()
    assert [(g.kind, bool(g.reason)) for g in profile.gaps] == [("treatment", True)]
    for fact in profile.facts:
        assert [s.url for s in fact.sources] == ["https://disease.expert/items/calcinosis-cutis"]


def test_codes_without_knowledge_get_an_empty_profile(kb: icd10kb.KnowledgeBase) -> None:
    empty = kb.knowledge("A00.0")
    assert empty.is_empty and empty.code == "A00.0" and empty.facts == ()
    rolled = kb.knowledge("L94", include_descendants=True)
    assert not rolled.is_empty and len(rolled.symptoms) == 5
    assert kb.knowledge("L94").is_empty


def test_reverse_lookups(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.codes_with_symptom("HP:0001376") == ("L94.2",)
    assert kb.codes_with_symptom("  RESTRICTED joint movement ") == ("L94.2",)
    assert kb.codes_with_symptom("Limitation of joint mobility") == ("L94.2",)
    assert kb.codes_with_symptom("fever") == ()
    assert kb.codes_with_cause("M34") == ("L94.2",)
    assert kb.codes_with_cause("Systemic Sclerosis") == ("L94.2",)
    assert kb.codes_with_cause("M30-M36") == ("L94.2",)  # subsumption: M34 lies in M30-M36
    assert kb.codes_with_cause("13") == ("L94.2",)  # the whole chapter
    assert kb.codes_with_cause("M30-M36", subsumed=False) == ()
    assert kb.codes_with_cause("E83.8") == ("L94.2",)
    assert kb.codes_with_test("2777-1") == kb.codes_with_test("loinc:2777-1") == ("L94.2",)
    assert kb.codes_with_test("skin biopsy") == ("L94.2",)
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.codes_with_symptom("")


def test_differential_puts_l94_2_first(kb: icd10kb.KnowledgeBase) -> None:
    symptoms = [s.identifier("HPO") or s.label for s in kb.knowledge("L94.2").symptoms]
    best = kb.differential(symptoms)[0]
    assert best.code == "L94.2" and best.score == 1.0 and best.coverage == 1.0
    assert best.unexplained == ()
    assert kb.differential(["fever"]) == ()
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.differential("HP:0001482")  # a bare string is not a list of symptoms


def test_builtin_pack_is_a_pack(kb: icd10kb.KnowledgeBase) -> None:
    pack, name = read_pack(PACK)
    assert pack.id == "calcinosis-cutis" and name.endswith("calcinosis-cutis.json")
    assert kb.knowledge_index.packs == ("calcinosis-cutis",)


def test_loading_a_pack_gives_a_new_knowledge_base(tmp_path: Path) -> None:
    default = icd10kb.load()
    path = tmp_path / "sclerodactyly.json"
    path.write_text(json.dumps(minimal(symptoms=[{"label": "skin ulceration", "identifiers": {"HPO": "HP:0200042"}}],
                                       causes=[{"label": "systemic sclerosis", "identifiers": {"ICD10CM": "M34"}}])))
    extended = icd10kb.load(knowledge=[path])
    assert extended is not default
    assert extended.codes_with_symptom("HP:0200042") == ("L94.2", "L94.3")
    assert default.codes_with_symptom("HP:0200042") == ("L94.2",)  # untouched
    assert extended.knowledge("L94.3").symptoms[0].sources[0].title == "Test source"
    assert extended.codes_with_cause("M34") == ("L94.2", "L94.3")
    assert extended.shared_symptoms("L94.3") == (("L94.2", ("skin ulceration",)),)
    assert extended.graph.has_edge("L94.3", "HP:0200042", key="has_symptom")


def test_same_fact_from_two_packs_keeps_both_sources() -> None:
    second = minimal(code="L94.2", label="Calcinosis cutis",
                     symptoms=[{"label": "Skin ulcer", "identifiers": {"HPO": "HP:0200042"}}])
    second["diseases"][0]["code"] = "L94.2"
    kb = icd10kb.load(knowledge=[second])
    ulcer = [s for s in kb.knowledge("L94.2").symptoms if s.identifier("HPO") == "HP:0200042"]
    assert len(ulcer) == 1
    assert [s.title for s in ulcer[0].sources] == ["Calcinosis cutis", "Test source"]


def test_pack_naming_a_missing_code_error_or_warning() -> None:
    pack = minimal(causes=[{"label": "pseudoxanthoma elasticum", "identifiers": {"ICD10CM": "E83.824"}}])
    with pytest.raises(icd10kb.KnowledgePackError) as caught:
        icd10kb.load("2025-04-01", knowledge=[pack])  # E83.824 is new in 2026
    assert caught.value.problems[0][0] == "diseases[0].causes[0].identifiers.ICD10CM"
    with pytest.warns(icd10kb.KnowledgeWarning, match="E83.824"):
        kb = icd10kb.load("2025-04-01", knowledge=[pack], on_missing="warn")
    assert kb.knowledge("L94.3").causes[0].code is None
    # the shipped pack is never an obstacle: it is left unlinked and listed
    assert any("E83.824" in p for _, p in kb.knowledge_index.problems)
    unknown = minimal()
    unknown["diseases"][0]["code"] = "L94.7"
    with pytest.raises(icd10kb.KnowledgePackError, match="L94.7"):
        icd10kb.load(knowledge=[unknown])


def _broken(change: Any) -> dict[str, Any]:
    pack = minimal(symptoms=[{"label": "skin ulceration", "identifiers": {"HPO": "HP:0200042"}}])
    change(pack)
    return pack


BROKEN = {
    "format": (lambda p: p.update(format="icd10kb-knowledge/9"), "format"),
    "missing id": (lambda p: p.pop("id"), "id"),
    "bad id": (lambda p: p.update(id="Has Spaces"), "id"),
    "no diseases": (lambda p: p.update(diseases=[]), "diseases"),
    "bad code": (lambda p: p["diseases"][0].update(code="L9#"), "diseases[0].code"),
    "bad HPO": (lambda p: p["diseases"][0]["symptoms"][0]["identifiers"].update(HPO="HP:123"), "diseases[0].symptoms[0].identifiers"),
    "bad LOINC": (lambda p: p["diseases"][0].update(tests=[{"label": "x", "identifiers": {"LOINC": "abc"}}]), "diseases[0].tests[0].identifiers"),
    "unknown scheme": (lambda p: p["diseases"][0]["symptoms"][0]["identifiers"].update(XYZ="1"), "diseases[0].symptoms[0].identifiers"),
    "unknown source": (lambda p: p["diseases"][0]["symptoms"][0].update(sources=["nope"]), "unknown source"),
    "extra field": (lambda p: p["diseases"][0]["symptoms"][0].update(colour="red"), "diseases[0].symptoms[0].colour"),
    "empty label": (lambda p: p["diseases"][0]["symptoms"][0].update(label=""), "diseases[0].symptoms[0].label"),
    "label is a number": (lambda p: p["diseases"][0]["symptoms"][0].update(label=7), "diseases[0].symptoms[0].label"),
    "bad url": (lambda p: p["sources"]["s"].update(url="javascript:alert(1)"), "sources.s.url"),
    "bad date": (lambda p: p["sources"]["s"].update(accessed="yesterday"), "sources.s.accessed"),
    "gap with facts": (lambda p: p["diseases"][0].update(not_covered={"symptoms": "none"}), "not_covered"),
    "bad qualifier": (lambda p: p["diseases"][0]["symptoms"][0].update(qualifiers={"mood": "x"}), "qualifiers.mood"),
    "no sources": (lambda p: p["diseases"][0].update(sources=[]), "diseases[0].sources"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_packs_are_rejected_whole_with_the_place(name: str) -> None:
    change, where = BROKEN[name]
    pack = _broken(change)
    with pytest.raises(icd10kb.KnowledgePackError) as caught:
        icd10kb.load(knowledge=[copy.deepcopy(pack)])
    error = caught.value
    assert isinstance(error, icd10kb.DataFileError) and isinstance(error, ValueError)
    assert any(where in f"{loc} {msg}" for loc, msg in error.problems), error.problems
    assert icd10kb.load().knowledge("L94.3").is_empty  # nothing half-loaded anywhere


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "icd10kb-knowledge/1", "id": ', "line 1"),
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"[1, 2, 3]", "top level must be an object"),
        (b"", "malformed JSON"),
        (b"[" * 100_000, "nested too deeply|malformed"),
    ],
)
def test_unreadable_pack_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(icd10kb.KnowledgePackError, match=expected) as caught:
        read_pack(path)
    assert "bad.json" in str(caught.value)


def test_pack_file_forms(tmp_path: Path) -> None:
    data = json.dumps(minimal()).encode()
    gz = tmp_path / "p.json.gz"
    gz.write_bytes(gzip.compress(data))
    assert read_pack(gz)[0].id == "test-pack"
    assert read_pack(io.BytesIO(data))[0].id == "test-pack"
    import yaml  # in the test extra (the yaml extra for users)
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(minimal()))
    assert read_pack(path)[0].id == "test-pack"
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    with pytest.raises(icd10kb.KnowledgePackError, match="line"):
        read_pack(bad)
    with pytest.raises(icd10kb.KnowledgePackError, match="cannot be read"):
        read_pack(tmp_path / "missing.json")


def test_no_warning_for_the_default_knowledge_base() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        icd10kb.load("2025-04-01").knowledge("L94.2")


def test_pack_problems_are_placed_and_codes_normalised() -> None:
    # Regressions (review): unknown sources were placed at <top>; duplicates slipped through.
    pack = minimal(symptoms=[{"label": "x", "sources": ["nope"]}])
    with pytest.raises(icd10kb.KnowledgePackError) as caught:
        read_pack(pack)
    assert caught.value.problems == (("diseases[0].symptoms[0].sources", "unknown source 'nope'"),)
    twice = minimal()
    twice["diseases"].append(dict(twice["diseases"][0]))
    with pytest.raises(icd10kb.KnowledgePackError, match="described twice"):
        read_pack(twice)
    with pytest.raises(icd10kb.KnowledgePackError, match="appears twice"):
        read_pack(io.BytesIO(b'{"id": "a", "id": "b"}'))
    lower = minimal(causes=[{"label": "systemic sclerosis", "identifiers": {"ICD10CM": "m34"}}])
    lower["diseases"][0]["code"] = "l943"
    pack_, _ = read_pack(lower)
    assert pack_.diseases[0].code == "L94.3" and pack_.diseases[0].causes[0].identifiers["ICD10CM"] == "M34"


@pytest.mark.parametrize(
    "kwargs",
    [{"knowledge": 5}, {"on_missing": "ignore"}, {"builtin_knowledge": "yes"}],
)
def test_load_arguments_are_checked(kwargs: dict[str, Any]) -> None:
    with pytest.raises(icd10kb.InvalidArgumentError):
        icd10kb.load(**kwargs)


def test_one_pack_may_be_given_without_a_list(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(minimal(symptoms=[{"label": "skin ulceration"}])))
    assert icd10kb.load(knowledge=path).codes_with_symptom("skin ulceration") == ("L94.2", "L94.3")
    assert icd10kb.load(knowledge=str(path)).codes_with_symptom("skin ulceration") == ("L94.2", "L94.3")


def test_cause_ranges_and_partial_symptoms(kb: icd10kb.KnowledgeBase) -> None:
    # Regressions (review): a range that is not a block gave (); "skin nodules" matched nothing;
    # a symptom given twice counted twice.
    assert kb.codes_with_cause("M32-M34") == ("L94.2",)
    assert kb.codes_with_cause("M35-M36") == ()
    (best,) = kb.differential(["skin nodules", "skin nodules"])
    assert best.code == "L94.2" and best.score == 1.0 and len(best.matches) == 1 and best.matches[0].by == "words"


def test_reverse_answers_in_the_classification_order() -> None:
    # Regression (review): codes were sorted as strings ("10" before "2", C4A after C44).
    def disease(code: str) -> dict[str, Any]:
        return {"code": code, "label": code, "sources": ["s"], "symptoms": [{"label": "fever", "sources": ["s"]}]}

    pack = {"format": "icd10kb-knowledge/1", "id": "x", "title": "X", "sources": {"s": {"title": "S"}},
            "diseases": [disease(c) for c in ("J18.9", "C44.01", "C4A.0", "C43.0")]}
    kb = icd10kb.load(knowledge=[pack], builtin_knowledge=False)
    assert kb.codes_with_symptom("fever") == ("C43.0", "C4A.0", "C44.01", "J18.9")
    assert [c.code for c in kb.differential(["fever"])] == ["C43.0", "C4A.0", "C44.01", "J18.9"]
