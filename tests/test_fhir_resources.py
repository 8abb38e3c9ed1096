"""The FHIR resources built from a release, validated with the fhir.resources models.

fhir.resources 8 (pydantic 2) ships FHIR R5 by default and R4B (4.3.0) as a
sub-package; its R4 (4.0.1) models exist only in the pydantic-1 releases
(6.x), which cannot live beside this project's pydantic 2. CodeSystem,
ValueSet, ConceptMap, Parameters and OperationOutcome have the same shape in
R4 and R4B, so the R4B models check the R4 JSON.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.conceptmap import ConceptMap
from fhir.resources.R4B.valueset import ValueSet

import icd10kb
from icd10kb.cli import main
from icd10kb.errors import InvalidArgumentError
from icd10kb.fhir import (
    SYSTEM,
    code_system,
    concept_map,
    fhir_code,
    grouping_code_system,
    grouping_value_sets,
    hierarchy_value_set,
    kb_code,
    value_sets,
    write_code_system,
)
from icd10kb.fhir.concepts import NOTE_PROPERTIES, UnknownConceptError

OFFICIAL = Path(__file__).resolve().parent.parent / "data" / "official"


@pytest.fixture(scope="module")
def full(kb: icd10kb.KnowledgeBase) -> dict[str, Any]:
    out = io.StringIO()
    assert write_code_system(kb, out) == len(kb)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _props(concept: dict[str, Any], code: str) -> list[Any]:
    return [next(v for k, v in p.items() if k.startswith("value")) for p in concept["property"] if p["code"] == code]


def test_whole_code_system_is_valid_fhir(full: dict[str, Any], kb: icd10kb.KnowledgeBase) -> None:
    model = CodeSystem.model_validate(full)
    assert model.url == SYSTEM and model.version == "2026-04-01" and model.content == "complete"
    assert model.count == len(model.concept) == len(kb)


def test_code_system_holds_exactly_the_official_code_list(full: dict[str, Any]) -> None:
    """Every identifier of the official 2026-04-01 code list, chapters and blocks included, and nothing else.

    The official list spells a block of one category like the category (``B10`` twice); the code
    system writes the block as a range (``B10-B10``), so that no two concepts share a code.
    """
    with gzip.open(OFFICIAL / "icd10cm-code-list-2026-04-01.txt.gz", "rt", encoding="utf-8") as handle:
        official = [line.strip() for line in handle if line.strip()]
    ours = [c["code"] for c in full["concept"]]
    assert len(set(ours)) == len(ours)
    spelled = []
    for code in ours:
        first, _, last = code.removeprefix("chapter-").replace(".", "").partition("-")
        spelled.append(first if first == last else code.removeprefix("chapter-").replace(".", ""))
    assert sorted(spelled) == sorted(official)
    assert len(set(official)) == len(official) - 39  # the 39 one-category blocks


def test_concept_ids_cannot_collide(full: dict[str, Any], kb: icd10kb.KnowledgeBase) -> None:
    codes = [c["code"] for c in full["concept"]]
    chapters = [c for c in codes if c.startswith("chapter-")]
    assert len(chapters) == 22
    for concept in full["concept"]:
        kind = _props(concept, "kind")[0]
        code = concept["code"]
        assert code.startswith("chapter-") == (kind == "chapter")
        assert ("-" in code) == (kind in ("chapter", "block"))
        assert kb_code(kb, code) == kb.normalize(code.removeprefix("chapter-"))


def test_every_concept_agrees_with_the_release(full: dict[str, Any], kb: icd10kb.KnowledgeBase) -> None:
    for concept, code in zip(full["concept"], kb):
        assert concept["code"] == fhir_code(kb, code)
        assert concept["display"] == kb.title(code)
        parent = kb.parent(code)
        assert _props(concept, "parent") == ([fhir_code(kb, parent)] if parent else [])
        assert _props(concept, "child") == [fhir_code(kb, c) for c in kb.children(code)]
        assert _props(concept, "notSelectable") == [not kb.is_billable(code)]
        seventh = kb[code].seventh_character
        assert _props(concept, "seventhCharacterMeaning") == ([seventh.meaning] if seventh else [])
        if seventh is None:
            notes = kb.notes(code)
            assert [d["value"] for d in concept.get("designation", [])] == [
                n.text for n in notes if n.kind == "inclusion_terms"
            ]
            for kind, prop in NOTE_PROPERTIES.items():
                assert _props(concept, prop) == [n.text for n in notes if n.kind == kind]


def test_fragment_and_without_notes(kb: icd10kb.KnowledgeBase) -> None:
    fragment = CodeSystem.model_validate(code_system(kb, codes=kb.descendants("L94"), notes=False))
    assert fragment.content == "fragment"
    assert [c.code for c in fragment.concept] == list(kb.descendants("L94"))
    assert all(c.designation is None for c in fragment.concept)


@pytest.mark.parametrize("kind", ["chapter", "block", "category"])
def test_value_sets_are_valid(kb: icd10kb.KnowledgeBase, kind: str) -> None:
    found = list(value_sets(kb, kind))
    assert len(found) == sum(1 for c in kb if kb.kind(c) == kind)
    for vs in found[:: max(1, len(found) // 40)]:
        model = ValueSet.model_validate(vs)
        assert model.compose.include[0].filter[0].op == "is-a"
    assert len({vs["id"] for vs in found}) == len(found)


def test_value_set_errors(kb: icd10kb.KnowledgeBase) -> None:
    with pytest.raises(InvalidArgumentError):
        hierarchy_value_set(kb, "L94.2")
    with pytest.raises(InvalidArgumentError):
        list(value_sets(kb, "chapters"))


def test_grouping_resources(kb: icd10kb.KnowledgeBase) -> None:
    rows = [(c, kb.category(c)) for c in kb.descendants("L94") if kb.category(c) != c]
    labels = {"L94": kb.title("L94")}
    CodeSystem.model_validate(grouping_code_system("demo", labels, title="t", version="1", publisher="p"))
    sets = grouping_value_sets("demo", rows, labels, version="1", publisher="p", system_version="2026-04-01")
    assert [
        c["code"] for c in ValueSet.model_validate(sets[0]).model_dump()["compose"]["include"][0]["concept"]
    ] == sorted(c for c, _ in rows)
    cm = ConceptMap.model_validate(
        concept_map(
            "demo", rows, source=SYSTEM, target="urn:x", title="t", version="1", publisher="p", equivalence="wider"
        )
    )
    assert len(cm.group[0].element) == len(rows)
    with pytest.raises(InvalidArgumentError):
        grouping_value_sets("demo", rows, {}, version="1", publisher="p")
    with pytest.raises(InvalidArgumentError):
        concept_map("demo", [("L94.2",)], source=SYSTEM, target="urn:x", title="t", version="1", publisher="p")
    with pytest.raises(InvalidArgumentError):
        concept_map(
            "demo", rows, source=SYSTEM, target="urn:x", title="t", version="1", publisher="p", equivalence="same"
        )


@pytest.mark.parametrize("bad", ["l94.2", "12", "chapter-99", "chapter-x", "", "L94.7", 42, "X" * 100])
def test_kb_code_refuses_what_is_not_a_fhir_code(kb: icd10kb.KnowledgeBase, bad: object) -> None:
    with pytest.raises(UnknownConceptError):
        kb_code(kb, bad)


def test_cli_writes_value_sets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fhir", "valuesets", "--kind", "chapter"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert [e["resource"]["id"] for e in bundle["entry"]][:2] == ["icd-10-cm-chapter-1", "icd-10-cm-chapter-2"]


def test_cli_rejects_bad_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--port", "99999"])
    with pytest.raises(SystemExit):
        main(["fhir", "valuesets", "--kind", "chapters"])
    assert main(["fhir", "codesystem", "--release", "1999"]) == 1
    assert "no embedded release" in capsys.readouterr().err


def test_gem_concept_maps(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir import ICD9CM, TerminologyService, gem_concept_map
    from icd10kb.fhir.inputs import Inputs
    from icd10kb.fhir.operations import translate

    # Two entries of the FY2018 GEMs (2018_I9gem.txt), and one row made up to exercise "no map".
    rows = [("4280", "I509", "10000"), ("00845", "A0471", "10000"), ("7999", "NoDx", "11000")]
    forward = ConceptMap.model_validate(gem_concept_map(kb, rows, direction="9to10"))
    assert forward.group[0].source == ICD9CM and forward.group[0].target == SYSTEM
    elements = {e.code: [(t.code, t.equivalence) for t in e.target] for e in forward.group[0].element}
    assert elements == {
        "428.0": [("I50.9", "inexact")],
        "008.45": [("A04.71", "inexact")],
        "799.9": [(None, "unmatched")],
    }
    backward = gem_concept_map(kb, [("I509", "4280", "10000")], direction="10to9")
    assert backward["group"][0]["element"][0]["target"][0]["code"] == "428.0"
    service = TerminologyService(kb, releases=(), resources=[forward.model_dump(exclude_none=True), backward])
    found = translate(service, Inputs({"system": [ICD9CM], "code": ["428.0"]}))
    assert [p["part"][1]["valueCoding"]["code"] for p in found["parameter"] if p["name"] == "match"] == ["I50.9"]
    unmatched = translate(service, Inputs({"system": [ICD9CM], "code": ["799.9"]}))
    assert unmatched["parameter"][0] == {"name": "result", "valueBoolean": False}
    with pytest.raises(InvalidArgumentError):
        gem_concept_map(kb, [("4280", "I509", "1000")], direction="9to10")
    with pytest.raises(InvalidArgumentError):
        gem_concept_map(kb, rows, direction="both")


def test_grouping_resources_for_a_grouper(kb: icd10kb.KnowledgeBase) -> None:
    from icd10kb.fhir import grouping_resources

    rows = [(c, kb.block(c)) for c in kb.descendants("L80-L99") if kb.kind(c) == "category"]
    labels = {b: kb.title(b) for _, b in rows}
    found = grouping_resources("blocks", rows, labels, title="Blocks", version="1", publisher="p")
    for resource in found:
        from fhir.resources.R4B import get_fhir_model_class

        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert [r["resourceType"] for r in found] == ["CodeSystem", "ValueSet", "ConceptMap"]
