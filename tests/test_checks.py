"""Code-set checks for one encounter, built from real notes of the 2026 release."""

from __future__ import annotations

import pytest

import icd10kb


def kinds(findings: tuple[icd10kb.checks.Finding, ...]) -> list[str]:  # type: ignore[name-defined]
    return [f.kind for f in findings]


def test_clean_encounters_have_no_findings(kb: icd10kb.KnowledgeBase) -> None:
    assert kb.check(["L94.2"]) == ()
    assert kb.check(["E85.1", "G63"]) == ()  # the etiology first, as the note asks
    assert kb.check(["l94.2", "E83.824"]) == ()


def test_excludes1_pair_is_flagged_and_the_same_codes_apart_are_not(kb: icd10kb.KnowledgeBase) -> None:
    (finding,) = kb.check(["L94.2", "M34.0"])
    assert finding.kind == "excludes1" and finding.severity == "error"
    assert finding.codes == ("L94.2", "M34.0")
    assert finding.note == "systemic connective tissue disorders (M30-M36)" and finding.note_at == "L94"
    assert kb.check(["L94.2"]) == () and kb.check(["M34.0"]) == ()
    # the note at L95 names L81.7; the reverse order is found too
    assert kinds(kb.check(["L81.7", "L95.8"])) == ["excludes1"]


def test_excludes2_does_not_forbid(kb: icd10kb.KnowledgeBase) -> None:
    # chapter 12 has "Excludes2: systemic connective tissue disorders (M30-M36)"; only L94's Excludes1 counts
    assert [f.note_at for f in kb.check(["L95.8", "M34.0"])] == []


def test_header_and_seventh_character(kb: icd10kb.KnowledgeBase) -> None:
    (header,) = kb.check(["L94"])
    assert header.kind == "not_billable" and "L94.2" in header.suggestions
    (seventh,) = kb.check(["S72.001"])
    assert seventh.kind == "missing_seventh_character" and seventh.suggestions[0] == "S72.001A"
    placeholder = kb.check(["T36.0X1"])
    assert placeholder[0].kind == "missing_seventh_character" and placeholder[0].suggestions[0] == "T36.0X1A"


def test_unknown_malformed_duplicate(kb: icd10kb.KnowledgeBase) -> None:
    findings = kb.check(["L94.7", "##", "L94.2", "l942"])
    assert kinds(findings) == ["unknown", "malformed", "duplicate"]
    assert findings[0].suggestions[:2] == ("L94.6", "L94.8")


def test_code_first(kb: icd10kb.KnowledgeBase) -> None:
    missing = kb.check(["G63"])
    assert kinds(missing) == ["code_first"] and "amyloidosis (E85.-)" in (missing[0].note or "")
    order = kb.check(["G63", "E85.1"])
    assert kinds(order) == ["code_first"] and order[0].codes == ("G63", "E85.1")


@pytest.mark.parametrize("bad", ["L94.2", None, 42, {"L94.2"}])
def test_codes_must_be_a_list(kb: icd10kb.KnowledgeBase, bad: object) -> None:
    with pytest.raises(icd10kb.InvalidCodeError):
        kb.check(bad)


def test_qualified_excludes1_is_read_exactly(kb: icd10kb.KnowledgeBase) -> None:
    # Regression (review): J17 excludes "A37 with fifth-character 1" (pertussis with pneumonia) only.
    assert "excludes1" not in kinds(kb.check(["A37.10", "J17"]))
    assert "excludes1" in kinds(kb.check(["A37.11", "J17"]))
    assert kb.check(["I69.231", "F80.81"]) == ()  # monoplegia is not a fluency disorder
    assert "excludes1" in kinds(kb.check(["I69.323", "F80.81"]))


@pytest.mark.parametrize("code", ["T36.0X1A", "E66.9", "B20", "S32.001A", "N18.30"])
def test_conditional_code_first_notes_do_not_warn(kb: icd10kb.KnowledgeBase, code: str) -> None:
    # Regression (review): "if applicable", "for adverse effects", "any associated" notes are conditions.
    assert kb.check([code]) == ()


def test_code_first_quotes_the_whole_note(kb: icd10kb.KnowledgeBase) -> None:
    (finding,) = kb.check(["F02.80"])
    assert finding.note_at == "F02" and finding.note.startswith("the underlying physiological condition")


def test_header_with_real_eight_character_children_is_not_a_missing_seventh(kb: icd10kb.KnowledgeBase) -> None:
    # H54.0X3's children (H54.0X33 …) are codes of the tabular list, not 7th-character codes.
    (finding,) = kb.check(["H54.0X3"])
    assert finding.kind == "not_billable" and finding.suggestions[0] == "H54.0X33"


def _pairwise_excludes1(kb: icd10kb.KnowledgeBase, codes: list[str]) -> list[tuple[str, str, str, str]]:
    """The Excludes1 rule read straight from the documentation, pair by pair (quadratic): for each code
    in order, each Excludes1 reference that applies to it (its own, then its ancestors'), and each other
    code in order, the pair conflicts when the other code is at or below a target, neither code is at
    or below the other, and the other is not under the concept that carries the note. The first
    reference found for a pair is the one quoted."""
    from icd10kb.notes.references import own_references

    def at_or_below(code: str, concept: str) -> bool:
        return code == concept or kb.is_ancestor(concept, code)

    found: dict[frozenset[str], tuple[str, str, str, str]] = {}
    for a in codes:
        for owner in (a, *kb.ancestors(a)):
            for reference in own_references(kb, owner):
                if reference.kind != "excludes1":
                    continue
                for b in codes:
                    if b == a or at_or_below(b, a) or at_or_below(a, b) or at_or_below(b, reference.at):
                        continue
                    if any(at_or_below(b, target) for target in reference.targets):
                        found.setdefault(frozenset((a, b)), (a, b, reference.at, reference.text))
    return list(found.values())


@pytest.mark.parametrize("seed", range(12))
def test_excludes1_findings_equal_the_pairwise_rule(kb: icd10kb.KnowledgeBase, seed: int) -> None:
    import random

    rng = random.Random(seed)
    carriers = sorted({r.at for r in kb.references() if r.kind == "excludes1" and r.targets})
    codes: list[str] = []
    for at in rng.sample(carriers, 6):  # codes under note carriers and under their targets: many conflicts
        codes += rng.sample((at, *kb.descendants(at)), 1)
        targets = next(r.targets for r in kb.references(at) if r.kind == "excludes1" and r.targets)
        target = rng.choice(targets)
        codes += rng.sample((target, *kb.descendants(target)), 1)
    codes += rng.sample(list(kb), 8)  # and some at random, headers and chapters included
    codes = list(dict.fromkeys(codes))
    got = [(f.codes[0], f.codes[1], f.note_at, f.note) for f in kb.check(codes) if f.kind == "excludes1"]
    assert got == _pairwise_excludes1(kb, codes)
    assert all(f.message == f"{f.codes[0]} and {f.codes[1]} are not coded together (Excludes1 at {f.note_at})"
               for f in kb.check(codes) if f.kind == "excludes1")


def test_a_finding_is_a_frozen_record_with_its_models_protocol(kb: icd10kb.KnowledgeBase) -> None:
    import copy
    import pickle

    from pydantic import BaseModel, TypeAdapter

    from icd10kb.notes.findings import Finding, FindingModel

    findings = kb.check(["L94.2", "M34.0", "L94", "XX", "L94.2"])
    assert [(f.kind, f.codes) for f in findings] == [
        ("not_billable", ("L94",)),
        ("malformed", ("XX",)),
        ("duplicate", ("L94.2",)),
        ("excludes1", ("L94.2", "M34.0")),
        ("excludes1", ("L94", "M34.0")),  # the note at L94 applies to L94 itself
    ]
    for finding in findings:
        model = finding.as_model()
        assert isinstance(model, FindingModel) and model == FindingModel.model_validate(finding.model_dump())
        assert Finding.model_validate_json(finding.model_dump_json()) == finding
        assert Finding.model_validate(finding) == finding and hash(Finding.model_validate(finding)) == hash(finding)
        assert pickle.loads(pickle.dumps(finding)) == finding and copy.deepcopy(finding) is finding
        with pytest.raises(AttributeError):
            finding.kind = "duplicate"  # type: ignore[misc]
        with pytest.raises(AttributeError):
            del finding.codes
        assert repr(finding).startswith("Finding(kind=")
    excludes1 = findings[-2]
    assert excludes1.model_dump()["message"] == excludes1.message
    assert excludes1.model_copy(update={"severity": "warning"}).severity == "warning"
    with pytest.raises(icd10kb.InvalidArgumentError):
        excludes1.model_copy(update={"severity": "fatal"})
    with pytest.raises(Exception):
        Finding(kind="excludes1")  # fields missing
    assert Finding.model_json_schema()["title"] == "Finding" and "kind" in Finding.model_fields

    class Report(BaseModel):
        findings: tuple[Finding, ...]

    report = Report(findings=findings)
    assert Report.model_validate_json(report.model_dump_json()).findings == findings
    assert TypeAdapter(Finding).json_schema()["title"] == "Finding"
