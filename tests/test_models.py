"""The models: fast construction agrees with validation; JSON round trips."""

from __future__ import annotations

import pytest

import icd10kb
from icd10kb.models import Concept


@pytest.mark.parametrize("code", ["12", "L80-L99", "L94", "L94.2", "S72.001A", "T36.0X1A", "E08.37X1", "B99-B99"])
def test_fast_construction_equals_validation(kb: icd10kb.KnowledgeBase, code: str) -> None:
    concept = kb[code]
    validated = Concept.model_validate(concept.model_dump())
    assert validated == concept
    assert concept.model_fields_set == validated.model_fields_set
    assert Concept.model_validate_json(concept.model_dump_json()) == concept
    with pytest.raises(Exception):
        concept.title = "x"  # type: ignore[misc]


def test_details_round_trip(kb: icd10kb.KnowledgeBase) -> None:
    details = kb.details("L94.2")
    assert type(details).model_validate_json(details.model_dump_json()) == details
    profile = kb.knowledge("L94.2")
    assert type(profile).model_validate_json(profile.model_dump_json()) == profile
