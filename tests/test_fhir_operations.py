"""The terminology operations called in-process: their answers and their invariants."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.valueset import ValueSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb.fhir import SYSTEM, FhirError, Limits, TerminologyService, fhir_code
from icd10kb.fhir.inputs import Inputs, from_body, from_query
from icd10kb.fhir.operations import lookup, subsumes, validate_code
from icd10kb.fhir.valuesets import expand, validate_in_value_set


@pytest.fixture(scope="module")
def service(kb: icd10kb.KnowledgeBase) -> TerminologyService:
    return TerminologyService(kb)


@pytest.fixture(scope="module")
def codes(kb: icd10kb.KnowledgeBase) -> list[str]:
    return [c for c in kb if kb.kind(c) != "chapter"]


def _get(**values: Any) -> Inputs:
    return Inputs({k.replace("_", "-") if k == "system_version" else k: [str(v)] for k, v in values.items()})


def _value(parameters: dict[str, Any], name: str) -> Any:
    found = next(p for p in parameters["parameter"] if p["name"] == name)
    return next(v for k, v in found.items() if k.startswith("value"))


def _inline(*filters: tuple[str, str, str], exclude: list[dict[str, Any]] | None = None) -> Inputs:
    compose: dict[str, Any] = {
        "include": [{"system": SYSTEM, "filter": [{"property": p, "op": o, "value": v} for p, o, v in filters]}]
    }
    if exclude:
        compose["exclude"] = exclude
    return Inputs(
        {"valueSet": [{"resourceType": "ValueSet", "status": "active", "compose": compose}], "count": ["1000"]}
    )


def _codes(result: dict[str, Any]) -> list[str]:
    return [c["code"] for c in ValueSet.model_validate(result).model_dump()["expansion"].get("contains") or []]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_subsumes_agrees_with_the_hierarchy(
    service: TerminologyService, kb: icd10kb.KnowledgeBase, codes: list[str], data: st.DataObject
) -> None:
    a = data.draw(st.sampled_from(codes))
    b = data.draw(st.sampled_from([a, kb.parent(a) or a, *kb.children(a), data.draw(st.sampled_from(codes))]))
    outcome = _value(subsumes(service, _get(system=SYSTEM, codeA=fhir_code(kb, a), codeB=fhir_code(kb, b))), "outcome")
    expected = (
        "equivalent"
        if a == b
        else "subsumes"
        if kb.is_ancestor(a, b)
        else "subsumed-by"
        if kb.is_ancestor(b, a)
        else "not-subsumed"
    )
    assert outcome == expected


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_lookup_of_any_code_is_valid_fhir(
    service: TerminologyService, kb: icd10kb.KnowledgeBase, codes: list[str], data: st.DataObject
) -> None:
    code = data.draw(st.sampled_from(codes))
    result = Parameters.model_validate(lookup(service, _get(system=SYSTEM, code=code)))
    assert [p.valueString for p in result.parameter if p.name == "display"] == [kb.title(code)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 400), root=st.sampled_from(["L80-L99", "S72", "chapter-12", "E11"]))
def test_expand_pages_cover_the_value_set(
    service: TerminologyService, kb: icd10kb.KnowledgeBase, size: int, root: str
) -> None:
    url = f"{SYSTEM}?fhir_vs=isa/{root}"
    pages: list[str] = []
    for offset in range(0, 100_000, size):  # bounded
        result = expand(service, _get(url=url, count=size, offset=offset))
        pages += _codes(result)
        if offset + size >= result["expansion"]["total"]:
            break
    start = root.removeprefix("chapter-")
    assert pages == [root, *kb.descendants(start)]


def test_expand_filters(service: TerminologyService, kb: icd10kb.KnowledgeBase) -> None:
    assert _codes(expand(service, _inline(("concept", "descendent-of", "L94")))) == list(kb.descendants("L94"))
    assert _codes(expand(service, _inline(("parent", "=", "L94")))) == list(kb.children("L94"))
    assert _codes(expand(service, _inline(("concept", "is-a", "L80-L99"), ("kind", "=", "category")))) == [
        c for c in kb.descendants("L80-L99") if kb.kind(c) == "category"
    ]
    kept = _codes(expand(service, _inline(("concept", "is-a", "L94"), ("concept", "is-not-a", "L94.2"))))
    assert kept == ["L94", *[c for c in kb.descendants("L94") if c != "L94.2"]]
    excluded = _codes(
        expand(
            service,
            _inline(
                ("concept", "is-a", "L94"),
                exclude=[{"system": SYSTEM, "concept": [{"code": "L94.0"}, {"code": "L94.1"}]}],
            ),
        )
    )
    assert excluded == ["L94", *[c for c in kb.descendants("L94") if c not in ("L94.0", "L94.1")]]
    assert _codes(expand(service, _inline(("concept", "is-a", "L94"), ("concept", "is-a", "A00")))) == []


@pytest.mark.parametrize(
    ("compose_filter", "status"),
    [
        (("concept", "regex", "L9.*"), 422),
        (("concept", "is-a", "L99.9"), 422),
        (("kind", "=", "leaf"), 400),
        (("notSelectable", "=", "maybe"), 422),
    ],
)
def test_expand_filter_errors(service: TerminologyService, compose_filter: tuple[str, str, str], status: int) -> None:
    with pytest.raises(FhirError) as caught:
        expand(service, _inline(compose_filter))
    assert caught.value.status == status


def test_expansion_time_is_bounded(kb: icd10kb.KnowledgeBase) -> None:
    slow = TerminologyService(kb, releases=(), limits=Limits(time_limit=0.0001))
    with pytest.raises(FhirError) as caught:
        expand(slow, _inline(("notSelectable", "=", "false")))
    assert (caught.value.status, caught.value.code) == (422, "too-costly")


def test_expansion_page_is_bounded(kb: icd10kb.KnowledgeBase) -> None:
    small = TerminologyService(kb, releases=(), limits=Limits(max_expansion=5))
    result = expand(small, _get(url=f"{SYSTEM}?fhir_vs=isa/L94", count=50))
    assert len(_codes(result)) == 5 and result["expansion"]["total"] == 10
    with pytest.raises(FhirError):
        expand(small, _get(url=f"{SYSTEM}?fhir_vs=isa/L94"))


def test_validate_code_date_hook(kb: icd10kb.KnowledgeBase) -> None:
    seen: list[tuple[str, datetime.date]] = []

    def history(code: str, when: datetime.date) -> bool | None:
        seen.append((code, when))
        return None if code == "L94.0" else when.year >= 2020

    service = TerminologyService(kb, releases=(), date_check=history)
    old = validate_code(service, _get(url=SYSTEM, code="L94.2", date="2019-12-31T10:00:00Z"))
    assert _value(old, "result") is False and "per the code history" in _value(old, "message")
    unknown = validate_code(service, _get(url=SYSTEM, code="L94.0", date="2019"))
    assert _value(unknown, "result") is True and "answered from release" in _value(unknown, "message")
    assert seen == [("L94.2", datetime.date(2019, 12, 31)), ("L94.0", datetime.date(2019, 1, 1))]
    with pytest.raises(FhirError):
        validate_code(service, _get(url=SYSTEM, code="L94.0", date="yesterday"))


def test_validate_code_display_and_codeable_concept(service: TerminologyService) -> None:
    wrong = validate_code(service, _get(url=SYSTEM, code="L94.2", display="Calcium"))
    assert _value(wrong, "result") is False and _value(wrong, "display") == "Calcinosis cutis"
    right = validate_code(
        service,
        Inputs({"codeableConcept": [{"coding": [{"system": SYSTEM, "code": "L94.2", "display": "calcinosis cutis"}]}]}),
    )
    assert _value(right, "result") is True


def test_older_release_by_version(service: TerminologyService) -> None:
    result = lookup(service, _get(system=SYSTEM, code="A00.0", version="2025-04-01"))
    assert _value(result, "version") == "2025-04-01"
    assert service.release("2025-04-01").release.name == "2025-04-01"


def test_value_set_validate_code_in_a_block(service: TerminologyService) -> None:
    inside = validate_in_value_set(service, Inputs({"system": [SYSTEM], "code": ["L94.2"]}), "icd-10-cm-block-L80-L99")
    outside = validate_in_value_set(
        service, Inputs({"system": [SYSTEM], "code": ["L02.01"]}), "icd-10-cm-block-L80-L99"
    )
    assert _value(inside, "result") is True and _value(outside, "result") is False


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_query_string_gives_inputs_or_a_fhir_error(text: str) -> None:
    service = _SERVICE
    try:
        lookup(service, from_query(text))
    except FhirError as error:
        assert 400 <= error.status < 500


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
            max_leaves=20,
        ).map(lambda v: json.dumps({"resourceType": "Parameters", "parameter": v}).encode()),
    )
)
def test_any_body_gives_inputs_or_a_fhir_error(body: bytes) -> None:
    try:
        lookup(_SERVICE, from_body(body))
    except FhirError as error:
        assert 400 <= error.status < 500


_SERVICE = TerminologyService(icd10kb.load(), releases=())
