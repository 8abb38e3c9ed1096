"""Regression tests for the hostile-input sweep of icd10kb.columns and icd10kb.groupers (issue 8).

One test per class of failure the sweep found; each asserts the error type and that the message
names the input.
"""

from __future__ import annotations

import argparse
import io

import pytest

from icd10kb.errors import InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import base, ccsr, cli, comorbidity, gems, hcc, maps, per_patient
from tests.test_hostile_sweep import HostileStr
from tests.test_hostile_sweep import RaisesFromEverything as Hostile


def _closed() -> io.StringIO:
    stream = io.StringIO()
    stream.close()
    return stream


# --- groupers -----------------------------------------------------------------------------------


def test_a_choice_given_as_a_hostile_str_subclass_is_read_as_plain_text() -> None:
    assert hcc.years(HostileStr("V24")) == (2025, 2026)
    assert hcc.map_code("I50.9", HostileStr("V28"), 2026) == ("HCC226",)
    assert comorbidity.index(HostileStr("cmr-v2026.1")).name == "cmr-v2026.1"
    assert maps.mapping(HostileStr("ccsr-v2025.1")).name == "ccsr-v2025.1"
    assert ccsr.default("L94.2", HostileStr("inpatient"), HostileStr("v2023.1")) == "SKN007"
    assert ccsr.category(HostileStr("CIR019")).label == "Heart failure"
    assert hcc.label(HostileStr("HCC226")).startswith("Heart Failure")


def test_a_gem_direction_is_checked() -> None:
    with pytest.raises(InvalidArgumentError, match="'sideways' is not a valid GEM direction"):
        gems.grouper_map("sideways")
    with pytest.raises(InvalidArgumentError, match="'i9-to-i10x' is not a valid GEM direction"):
        gems.grouper_map(HostileStr("i9-to-i10x"))


def test_the_text_helpers_refuse_what_is_not_text() -> None:
    with pytest.raises(InvalidArgumentError, match="None is not a valid dotless code"):
        base.dotted(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="b'4280' is not a valid dotless ICD-9-CM code"):
        base.icd9_dotted(b"4280")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="'abc' is not a valid mapping"):
        base.frozen_mapping("abc")  # type: ignore[arg-type]
    with pytest.raises(InvalidCodeError, match="is not a valid ICD-9-CM code: longer than 32"):
        gems.icd9_key("4" * 100_000)


@pytest.mark.parametrize("codes", [Hostile(), io.StringIO("I10\n"), _closed(), print, "I10", b"I10"])
def test_codes_that_are_not_a_list_are_refused_without_iterating_them(codes: object) -> None:
    calls = (
        lambda: comorbidity.flags(codes),  # type: ignore[arg-type]
        lambda: comorbidity.score(codes),  # type: ignore[arg-type]
        lambda: hcc.assign(codes),  # type: ignore[arg-type]
        lambda: hcc.categories(codes),  # type: ignore[arg-type]
        lambda: per_patient(codes),  # type: ignore[arg-type]
    )
    for call in calls:
        with pytest.raises(InvalidArgumentError, match="is not a valid (codes|rows): pass"):
            call()


def test_codes_may_still_be_any_plain_iterable() -> None:
    want = comorbidity.flags(["I21.9", "E11.22"]).groups
    assert comorbidity.flags(c for c in ("I21.9", "E11.22")).groups == want
    assert comorbidity.flags({"I21.9": 1, "E11.22": 2}.keys()).groups == want
    assert hcc.assign(iter(["I50.9"])).hccs == ("HCC226",)


def test_poa_indicators_that_are_hostile_are_refused() -> None:
    with pytest.raises(InvalidArgumentError, match="<RaisesFromEverything object> is not a valid POA indicator"):
        comorbidity.flags(["I50.9"], "cmr-v2026.1", [Hostile()])
    with pytest.raises(InvalidArgumentError, match="is not a valid poa: give one POA indicator per code"):
        comorbidity.flags(["I50.9"], "cmr-v2026.1", Hostile())  # type: ignore[arg-type]
    assert comorbidity.flags(["I50.9"], "cmr-v2026.1", [HostileStr("y")]).groups == ("HF",)


def test_a_score_needs_a_result_and_named_weights() -> None:
    with pytest.raises(InvalidArgumentError, match="None is not a valid comorbidity result"):
        comorbidity.score_of(None)  # type: ignore[arg-type]
    result = comorbidity.flags(["K70.30", "K72.90"])
    with pytest.raises(InvalidArgumentError, match="'Quan' is not a valid weights"):
        comorbidity.score_of(result, HostileStr("Quan"))
    assert comorbidity.score_of(result, HostileStr("quan")) == 4.0


@pytest.mark.parametrize("flag", ["assume_poa", "hierarchy"])
@pytest.mark.parametrize("value", [[], "no", 1, None])
def test_per_patient_flags_of_the_wrong_type_are_refused(flag: str, value: object) -> None:
    with pytest.raises(InvalidArgumentError, match=f"is not a valid {flag}"):
        per_patient([("p", "I10")], **{flag: value})


def test_per_patient_refuses_hostile_patients_codes_and_indicators_by_row() -> None:
    with pytest.raises(InvalidArgumentError, match="<RaisesFromEverything object> is not a valid patient: row 2"):
        per_patient([("p", "I10"), (Hostile(), "I10")])
    with pytest.raises(InvalidCodeError, match="<RaisesFromEverything object> is not a valid ICD-10-CM code: row 1"):
        per_patient([("p", Hostile())])
    assert per_patient([("p", Hostile()), ("p", "I21.9")], errors="skip")["p"].groups == ("ami",)
    with pytest.raises(InvalidArgumentError, match="<RaisesFromEverything object> is not a valid POA indicator: row 1"):
        per_patient([("p", "I50.9", Hostile())], "cmr-v2026.1")
    found = per_patient([(HostileStr("p"), HostileStr("I50.9"), HostileStr("Y"))], "cmr-v2026.1")
    assert [(type(p), r.groups) for p, r in found.items()] == [(str, ("HF",))]


def test_the_command_handlers_refuse_streams_and_arguments_they_cannot_use() -> None:
    args = argparse.Namespace(codes=["I50.9"], model="V28", year=2026, json=False)
    for out, err in ((io.BytesIO(), io.StringIO()), (io.StringIO(), _closed()), (Hostile(), io.StringIO())):
        with pytest.raises(InvalidArgumentError, match="is not a valid (output|error) stream"):
            cli.run_hcc(args, out, err)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="<RaisesFromEverything object> is not a valid args"):
        cli.run_hcc(Hostile(), io.StringIO(), io.StringIO())  # type: ignore[arg-type]
    err = io.StringIO()
    assert cli.run_hcc(argparse.Namespace(codes=["I50.9"]), io.StringIO(), err) == 1
    assert "'model' is not a valid option" in err.getvalue()
    err = io.StringIO()
    assert cli.run_hcc(argparse.Namespace(codes=Hostile(), model="V28", year=2026), io.StringIO(), err) == 1
    assert "<RaisesFromEverything object> is not a valid codes" in err.getvalue()
    with pytest.raises(InvalidArgumentError, match="None is not a valid sub-parsers"):
        cli.add_parsers(None)
    out = io.StringIO()
    assert cli.run_hcc(args, out, io.StringIO()) == 0 and out.getvalue().startswith("HCC226")


def test_the_list_helper_checks_its_own_texts() -> None:
    with pytest.raises(InvalidArgumentError, match="is not a valid reason"):
        base.as_list([], "codes", Hostile())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="is not a valid name of the argument"):
        base.as_list([], [], "pass a list")  # type: ignore[arg-type]
