"""Hostile values where the sweep found gaps: the FHIR service's constructor, and patient columns
that cannot be grouped (unhashable values, objects that raise, Python objects in a polars frame)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl
import pytest

import icd10kb
from icd10kb.columns.patients import per_patient
from icd10kb.fhir.service import Limits, TerminologyService


class Hostile:
    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


class HostileStr(str):
    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")


@pytest.mark.parametrize(
    "arguments",
    [
        {"kb": "2026"},
        {"kb": Hostile()},
        {"limits": "fast"},
        {"limits": Hostile()},
        {"date_check": "yes"},
        {"base": 42},
        {"base": "x" * 3000},
        {"releases": "2026-04-01"},  # one string, not a list of names
        {"releases": [Hostile()]},
        {"releases": ["FY1999"]},
        {"resources": [{"resourceType": HostileStr("ValueSet"), "id": "x", "url": "u"}]},
        {"resources": [{"resourceType": "ValueSet", "id": HostileStr("x"), "url": "u"}]},
        {"resources": Hostile()},
    ],
)
def test_the_service_refuses_what_it_cannot_use(kb: icd10kb.KnowledgeBase, arguments: dict[str, Any]) -> None:
    arguments = {"kb": kb, **arguments}
    with pytest.raises(icd10kb.InvalidArgumentError):
        TerminologyService(**arguments)


def test_the_service_takes_what_it_documents(kb: icd10kb.KnowledgeBase) -> None:
    service = TerminologyService(kb, releases=("2026-04-01",), limits=Limits(time_limit=1), date_check=None)
    assert service.release("2026-04-01") is kb and service.limits.time_limit == 1.0


@pytest.mark.parametrize("time_limit", [True, float("nan"), 0, 601, "2"])
def test_limits_refuse_what_is_not_seconds(time_limit: object) -> None:
    with pytest.raises(icd10kb.InvalidArgumentError, match="time_limit"):
        Limits(time_limit=time_limit)  # type: ignore[arg-type]


@pytest.mark.parametrize("grouper", ["charlson-quan2005", "ccsr-v2025.1"])
@pytest.mark.parametrize(
    "patients",
    [[Hostile(), Hostile(), 1], [Hostile(), 2, 1], [[1], [2], [3]], [{1}, 2, 3]],
    ids=["hostile", "hostile-and-numbers", "lists", "sets"],
)
def test_a_pandas_patient_column_that_cannot_be_grouped_is_refused(patients: list[Any], grouper: str) -> None:
    frame = pd.DataFrame({"patient": patients, "code": ["E11.9", "I10", "L94.2"]})
    with pytest.raises(icd10kb.InvalidArgumentError, match="patient column"):
        per_patient(frame, grouper, patient="patient", code="code")


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("patient", [Hostile(), Hostile(), 1], dtype=pl.Object),  # Arrow would group their addresses
        pl.Series("patient", [[1], [2], [3]]),
        pl.Series("patient", [{"a": 1}, {"a": 2}, {"a": 3}]),
    ],
    ids=["objects", "lists", "structs"],
)
def test_a_polars_patient_column_that_cannot_be_grouped_is_refused(column: pl.Series) -> None:
    frame = pl.DataFrame([column, pl.Series("code", ["E11.9", "I10", "L94.2"])])
    with pytest.raises(icd10kb.InvalidArgumentError, match="patient column"):
        per_patient(frame, "charlson-quan2005", patient="patient", code="code")


def test_patients_of_every_plain_kind_are_grouped() -> None:
    for patients in (["a", "b", "a"], [1, 2, 1], [1.5, 2.5, 1.5], [None, "b", None]):
        result = per_patient(
            pd.DataFrame({"patient": patients, "code": ["E11.9", "I10", "E11.9"]}), "charlson-quan2005"
        )
        assert len(result) == 2


@pytest.mark.parametrize("kb", ["2026", Hostile(), object()])
def test_the_groupers_and_phenotypes_refuse_what_is_not_a_knowledge_base(kb: object) -> None:
    from icd10kb.groupers.comorbidity import grouper_map
    from icd10kb.phenotypes.layer import graph_layer

    with pytest.raises(icd10kb.InvalidArgumentError, match="KnowledgeBase"):
        grouper_map("charlson-quan2005", kb)  # type: ignore[arg-type]
    with pytest.raises(icd10kb.InvalidArgumentError, match="KnowledgeBase"):
        graph_layer(kb)  # type: ignore[arg-type]


def test_the_service_takes_a_set_of_release_names_and_wants_the_whole_knowledge_base(
    kb: icd10kb.KnowledgeBase,
) -> None:
    from icd10kb.classification.core import Classification

    assert TerminologyService(kb, releases={"2021", "2026-04-01"})._names == ("2026-04-01", "2021")
    core = Classification.__new__(Classification)  # the core alone: no notes or knowledge to answer from
    with pytest.raises(icd10kb.InvalidArgumentError, match="KnowledgeBase"):
        TerminologyService(core)  # type: ignore[arg-type]
