"""The claims layers over FHIR (issue 12 with issue 9 landed): grouper ValueSets and ConceptMaps, the GEMs, dates."""

from __future__ import annotations

import datetime

import pytest
from fhir.resources.R4B.conceptmap import ConceptMap
from fhir.resources.R4B.valueset import ValueSet

import icd10kb
from icd10kb import groupers
from icd10kb.fhir import SYSTEM, TerminologyService
from icd10kb.fhir.claims import grouper_resources, history_date_check
from icd10kb.fhir.inputs import Inputs
from icd10kb.fhir.operations import translate, validate_code


@pytest.fixture(scope="module")
def service() -> TerminologyService:
    kb = icd10kb.load()
    return TerminologyService(kb, releases=(), resources=grouper_resources(kb), date_check=history_date_check)


def _targets(answer: dict) -> list[str]:
    return [p["part"][1]["valueCoding"]["code"] for p in answer["parameter"] if p["name"] == "match"]


def test_ccsr_categories_by_translate(service: TerminologyService) -> None:
    ccsr = next(r for r in service.resources("CodeSystem") if r["id"] == "ccsr-v2025.1")
    found = translate(service, Inputs({"system": [SYSTEM], "code": ["E11.9"], "targetsystem": [ccsr["url"]]}))
    assert sorted(_targets(found)) == sorted(groupers.ccsr.categories("E11.9"))


def test_every_grouper_value_set_and_map_is_valid_fhir(service: TerminologyService) -> None:
    for resource in service.resources("ValueSet")[:50]:
        ValueSet.model_validate(resource)
    maps = service.resources("ConceptMap")
    for resource in maps:
        ConceptMap.model_validate(resource)
    assert {"gem-9to10", "gem-10to9", "icd-10-cm-to-cmr-v2026.1"} <= {m["id"] for m in maps}


def test_gems_keep_every_target(service: TerminologyService) -> None:
    found = translate(service, Inputs({"system": ["http://hl7.org/fhir/sid/icd-9-cm"], "code": ["428.0"]}))
    assert sorted(_targets(found)) == sorted(g.target for g in groupers.gems.forward("428.0"))


def test_validate_code_with_a_date_reads_the_history(service: TerminologyService) -> None:
    answer = validate_code(service, Inputs({"url": [SYSTEM], "code": ["U07.1"], "date": ["2019-06-01"]}))
    assert answer["parameter"][0] == {"name": "result", "valueBoolean": False}
    assert history_date_check("U07.1", datetime.date(2021, 6, 1)) is True
