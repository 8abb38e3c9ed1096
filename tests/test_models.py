"""The models: fast construction agrees with validation; JSON round trips."""

from __future__ import annotations

import pickle

import pytest

import icd10kb
from icd10kb.classification.concept import Concept


@pytest.mark.parametrize("code", ["12", "L80-L99", "L94", "L94.2", "S72.001A", "T36.0X1A", "E08.37X1", "B99-B99"])
def test_fast_construction_equals_validation(kb: icd10kb.KnowledgeBase, code: str) -> None:
    concept = kb[code]
    validated = Concept.model_validate(concept.model_dump())
    assert validated == concept and hash(validated) == hash(concept)
    assert validated.model_dump() == concept.model_dump()
    assert concept.as_model() == concept.as_model().model_validate(concept.model_dump())
    assert Concept.model_validate_json(concept.model_dump_json()) == concept
    assert pickle.loads(pickle.dumps(concept)) == concept
    with pytest.raises(Exception):
        concept.title = "x"  # type: ignore[misc]


def test_details_round_trip(kb: icd10kb.KnowledgeBase) -> None:
    details = kb.details("L94.2")
    assert type(details).model_validate_json(details.model_dump_json()) == details
    profile = kb.knowledge("L94.2")
    assert type(profile).model_validate_json(profile.model_dump_json()) == profile


def test_a_concept_is_a_frozen_record_not_a_tuple(kb: icd10kb.KnowledgeBase) -> None:
    concept = kb["L94.2"]
    with pytest.raises(AttributeError):
        concept.code = "L94.3"  # type: ignore[misc]
    with pytest.raises(TypeError):
        list(concept)
    assert concept != kb["L94.3"] and concept == kb["l942"]
    assert Concept.model_json_schema()["title"] == "Concept"
    with pytest.raises(Exception):
        Concept.model_validate({"code": "L94.2"})  # fields missing


def test_a_concept_as_a_field_of_a_model(kb: icd10kb.KnowledgeBase) -> None:
    from pydantic import BaseModel, TypeAdapter

    class Holder(BaseModel):
        concept: Concept

    held = Holder(concept=kb["S72.001A"])
    assert held.concept is kb["S72.001A"] or held.concept == kb["S72.001A"]
    again = Holder.model_validate_json(held.model_dump_json())
    assert again.concept == kb["S72.001A"]
    assert again.concept.seventh_character is not None and again.concept.seventh_character.character == "A"
    assert TypeAdapter(Concept).json_schema()["title"] == "Concept"
