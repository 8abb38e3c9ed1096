"""The lightweight records (Concept, Finding, SearchHit, Match) after they came to share classification.record.

Value semantics across record types, the lazy Excludes1 message, and the pydantic protocol.
"""

from __future__ import annotations

import copy
import itertools
import pickle

import pytest
from pydantic import BaseModel

import icd10kb
from icd10kb.classification.concept import Concept
from icd10kb.notes.findings import Finding, FindingModel
from icd10kb.search.hits import Match, SearchHit


@pytest.fixture(scope="module")
def values(kb: icd10kb.KnowledgeBase) -> list[object]:
    hit = kb.search("calcinosis cutis", 1)[0]
    excludes1 = kb.check(["L94.2", "M34.0"])[0]
    return [
        kb["L94.2"],
        kb["S72.001A"],
        Concept.model_validate(kb["L94.2"].model_dump()),
        excludes1,
        kb.check(["L94"])[0],
        hit,
        hit.matches[0],
        hit.as_model(),
        excludes1.as_model(),
        kb["L94.2"].as_model(),
        ("L94.2",),
        "L94.2",
    ]


def test_records_of_different_types_are_never_equal_and_comparison_is_symmetric(values: list[object]) -> None:
    for x, y in itertools.product(values, repeat=2):
        equal = x == y
        assert equal == (y == x) and (x != y) == (not equal), (x, y)
        if type(x) is not type(y):
            assert not equal, (x, y)
    for x in values:
        hash(x)  # every record is hashable
        assert x == x


def test_a_lazy_excludes1_message_equals_and_hashes_as_a_given_one(kb: icd10kb.KnowledgeBase) -> None:
    for codes in (["L94.2", "M34.0"], ["L81.7", "L95.8"]):
        lazy = next(f for f in kb.check(codes) if f.kind == "excludes1")
        given = Finding(
            kind="excludes1", severity="error", codes=lazy.codes, message=lazy.message, note=lazy.note,
            note_at=lazy.note_at,
        )
        assert lazy == given and given == lazy and hash(lazy) == hash(given) and len({lazy, given}) == 1
        assert lazy.as_model() == given.as_model() == FindingModel.model_validate(given.model_dump())
        assert repr(lazy) == repr(given)
        for again in (
            pickle.loads(pickle.dumps(lazy)),
            Finding.model_validate_json(lazy.model_dump_json()),
            Finding.model_validate(lazy),
            lazy.model_copy(),
            lazy.model_copy(update={}),
            copy.copy(lazy),
        ):
            assert again == lazy and hash(again) == hash(lazy)
        other = lazy.model_copy(update={"note_at": "X"})
        assert other != lazy and other.message == lazy.message  # the message was fixed when copied


def test_finding_and_concept_model_copy_validate_the_update(kb: icd10kb.KnowledgeBase) -> None:
    finding = kb.check(["L94.2", "M34.0"])[0]
    for update in ({"severity": "fatal"}, {"codes": "L94.2"}, {"nope": 1}, {"message": None}):
        with pytest.raises(icd10kb.InvalidArgumentError):
            finding.model_copy(update=update)
    concept = kb["S72.001A"]
    assert concept.model_copy(update={"title": "x"}).title == "x"
    assert concept.model_copy() == concept and concept.model_copy(deep=True) == concept
    with pytest.raises(ValueError):  # was pydantic's ValidationError, now InvalidArgumentError: both ValueErrors
        concept.model_copy(update={"depth": "deep"})


def test_records_as_fields_of_a_pydantic_model_round_trip(kb: icd10kb.KnowledgeBase) -> None:
    class Report(BaseModel):
        concept: Concept
        findings: tuple[Finding, ...]
        hits: tuple[SearchHit, ...]
        match: Match | None = None

    hits = kb.search("fracture neck femur", 3)
    report = Report(
        concept=kb["S72.001A"], findings=kb.check(["L94.2", "M34.0", "L94", "xx", "L94.2"]), hits=hits,
        match=hits[0].matches[0],
    )
    assert Report.model_validate_json(report.model_dump_json()) == report
    assert Report.model_validate(report.model_dump()) == report
    dumped = report.model_dump(mode="json")
    assert dumped["findings"][0]["kind"] == "not_billable" and isinstance(dumped["findings"][0]["codes"], list)
    assert dumped["findings"][-1]["message"].endswith("(Excludes1 at L94)")
    schema = Report.model_json_schema()
    # A Finding field is described by FindingModel (titled "Finding"); it was "Finding" when Finding was the model.
    assert {"FindingModel", "ConceptModel", "SearchHit", "Match"} <= set(schema["$defs"])
    assert schema["$defs"]["FindingModel"]["title"] == "Finding"


def test_model_fields_and_schema_are_those_of_the_model_class() -> None:
    assert tuple(Finding.model_fields) == Finding.FIELDS == tuple(FindingModel.model_fields)
    assert Finding.model_json_schema() == FindingModel.model_json_schema()
    assert Finding.model_json_schema()["title"] == "Finding"
    assert tuple(SearchHit.model_fields) == SearchHit.FIELDS and tuple(Match.model_fields) == Match.FIELDS
    assert tuple(Concept.model_fields) == Concept.FIELDS
