"""Regression tests for the hostile-input sweep of icd10kb.columns and icd10kb.groupers (issue 8).

One test per class of failure the sweep found; each asserts the error type and that the message
names the input.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from icd10kb import columns
from icd10kb.arguments import check_choice
from icd10kb.columns import adapters, duck, groupmap, patients, release, resolve, spark, sql
from icd10kb.columns import cli as columns_cli
from icd10kb.errors import ICD10KBError, InvalidArgumentError, InvalidCodeError
from icd10kb.groupers import base, ccsr, cli, comorbidity, gems, hcc, maps, per_patient
from tests.test_hostile_sweep import Boom, HostileStr
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


# --- columns ------------------------------------------------------------------------------------


class PythonIterable:
    """An iterable whose __iter__ is Python code: it could raise anything, so it is refused."""

    def __iter__(self) -> Iterator[str]:
        yield "I10"


@pytest.mark.parametrize("column", [Hostile(), _closed(), io.StringIO("I10\n"), PythonIterable(), print, 42])
def test_a_column_that_is_no_column_is_refused_without_iterating_it(kb: Any, column: object) -> None:
    for call in (columns.normalize, columns.title, columns.billable, columns.validate, columns.clean):
        with pytest.raises(InvalidArgumentError, match="is not a valid column"):
            call(column, kb)
    with pytest.raises(InvalidArgumentError, match="is not a valid column"):
        columns.roll_up(column, 3, kb)


def test_hostile_values_in_a_column_are_nulls_never_errors(kb: Any) -> None:
    values = [HostileStr("i10"), Hostile(), ["I10"], HostileStr("I10"), None, "E11.9"]
    assert columns.normalize(values, kb) == ["I10", None, None, "I10", None, "E11.9"]
    assert columns.validate(values, kb) == ["valid", "malformed", "malformed", "valid", "malformed", "valid"]
    series = pd.Series(values, dtype=object)
    assert columns.normalize(series, kb).tolist()[::3] == ["I10", "I10"]
    frame = pd.DataFrame(
        {"patient": [1, 1, 2], "code": pd.Series([Hostile(), "E11.22", HostileStr("I50.9")], dtype=object)}
    )
    assert columns.per_patient(frame, "charlson-quan2005", kb, output="set")["groups"].tolist() == [["diabwc"], ["chf"]]


def test_levels_are_read_as_plain_text_or_bounded_depths(kb: Any) -> None:
    assert columns.roll_up(["E11.9"], HostileStr("chapter"), kb) == ["4"]
    for level in (10**30, -1, True, Hostile(), HostileStr("leaf")):
        with pytest.raises(InvalidArgumentError, match="is not a valid level"):
            columns.roll_up(["E11.9"], level, kb)
    with pytest.raises(InvalidArgumentError, match="is not a valid levels"):
        columns.clean(["E11.9"], kb, levels=Hostile())  # type: ignore[arg-type]
    assert columns.clean(["E11.9"], kb, levels=[HostileStr("block"), 3]) == [("E11.9", "valid", "E08-E13", "E11.9")]
    assert columns.release_table(kb, HostileStr("polars")).height == len(kb)
    with pytest.raises(InvalidArgumentError, match="None is not a valid table format"):
        columns.release_table(kb, None)  # type: ignore[arg-type]


def test_grouper_maps_are_checked_and_never_hashed(kb: Any) -> None:
    class Unhashable:
        def __init__(self) -> None:
            self.name, self.version, self.hierarchy = "toy", "1", ()
            self.labels, self.weights = {"A": "group A"}, {"w": {"A": 2}}
            self.rows: Any = (("I10", "A"),)

        def __hash__(self) -> int:
            raise Boom("__hash__")

    assert columns.group(["I10", "E11.9"], Unhashable(), kb) == [["A"], []]
    bad = Unhashable()
    bad.rows = (("I10", Hostile()),)  # type: ignore[assignment]
    with pytest.raises(InvalidArgumentError, match="is not a valid grouper map: rows"):
        groupmap.prepare(bad)
    bad.rows, bad.weights = (("I10", "A"),), {"w": {"A": "two"}}  # type: ignore[assignment]
    with pytest.raises(InvalidArgumentError, match="'two' is not a valid grouper map: weights"):
        groupmap.prepare(bad)
    with pytest.raises(InvalidArgumentError, match="is not a valid prepared grouper"):
        groupmap.default_output(Hostile())  # type: ignore[arg-type]


def test_the_adapters_check_that_their_arguments_belong_together(kb: Any) -> None:
    rc = release.columns_of(kb)
    with pytest.raises(
        InvalidArgumentError, match="'pandas' is not a valid column kind: the column is of kind 'iterable'"
    ):
        adapters.encode(rc, ["I10"], "pandas")
    with pytest.raises(InvalidArgumentError, match="is not a valid release columns"):
        adapters.encode(Hostile(), ["I10"], "iterable")  # type: ignore[arg-type]
    encoded = adapters.encode(rc, ["I10", "junk"], "iterable")
    answers = rc.table["code"].combine_chunks().take(encoded.universe_rows())
    assert adapters.emit(["I10", "junk"], "iterable", encoded, answers, "string") == ["I10", None]
    with pytest.raises(InvalidArgumentError, match="is not a valid answers"):
        adapters.emit(["I10", "junk"], "iterable", encoded, answers[:3], "string")
    with pytest.raises(InvalidArgumentError, match="is not a valid column: expected the column of 2 rows"):
        adapters.emit(pd.Series(["I10"]), "pandas", encoded, answers, "string")
    with pytest.raises(InvalidArgumentError, match="is not a valid values"):
        resolve.resolve(rc, Hostile())


def test_the_per_patient_engine_checks_its_bounds(kb: Any) -> None:
    rc, prepared = release.columns_of(kb), groupmap.prepare(groupmap.grouper_map("cmr-v2026.1", kb))
    index = np.array([0, 1])
    with pytest.raises(InvalidArgumentError, match="is not a valid number of patients"):
        patients.group_patients(index, 10**30, ["I50.9", "I10"], prepared, rc)
    with pytest.raises(InvalidArgumentError, match="is not a valid patient index: patient numbers run from 0 to 0"):
        patients.group_patients(index, 1, ["I50.9", "I10"], prepared, rc)
    with pytest.raises(InvalidArgumentError, match="is not a valid index: expected one patient per code"):
        patients.group_patients(index, 2, ["I50.9"], prepared, rc)
    grouped = patients.group_patients(index, 2, ["I50.9", "I10"], prepared, rc, iter(["Y", "N"]))
    assert grouped.groups[0, prepared.groups.index("HF")]


def test_per_patient_checks_names_bounds_and_indicators(kb: Any) -> None:
    frame = pd.DataFrame({"patient": [1, 2], "code": ["I50.9", "I10"], "poa": ["Y", Hostile()], "day": [1, 2]})
    with pytest.raises(InvalidArgumentError, match="42 is not a valid patient column"):
        columns.per_patient(frame, kb=kb, patient=42)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="is not a valid start"):
        columns.per_patient(frame, kb=kb, date="day", start=Hostile())
    with pytest.raises(InvalidArgumentError, match="is not a valid date window: cannot be compared with"):
        columns.per_patient(frame.assign(day=pd.to_datetime(["2025-01-01", "2025-02-01"])), kb=kb, date="day", start=3)
    with pytest.raises(InvalidArgumentError, match="<RaisesFromEverything object> is not a valid POA indicator"):
        columns.per_patient(frame, "cmr-v2026.1", kb, poa="poa")
    got = columns.per_patient(frame.drop(columns="poa"), kb=kb, patient=HostileStr("patient"), date="day", start=2)
    assert got["patient"].tolist() == [1, 2] and got["chf"].tolist() == [False, False]
    assert columns.per_patient(frame.drop(columns="poa"), kb=kb)["chf"].tolist() == [True, False]


def test_sql_names_and_options_are_checked() -> None:
    with pytest.raises(InvalidArgumentError, match="'' is not a valid code column"):
        sql.clean_sql("claims", "")
    with pytest.raises(InvalidArgumentError, match="is not a valid claims table: a name is 1 to 1,000"):
        sql.clean_sql("claims\ud800")
    with pytest.raises(InvalidArgumentError, match="is not a valid broadcast"):
        sql.clean_sql("claims", broadcast="yes")  # type: ignore[arg-type]
    assert sql.key_sql("dx", HostileStr("spark")).startswith("CASE WHEN length(dx) <= 32 AND regexp_like")
    with pytest.raises(InvalidArgumentError, match="is not a valid SQL expression"):
        sql.key_sql(b"dx")  # type: ignore[arg-type]


def test_duckdb_errors_about_the_claims_name_the_input(kb: Any) -> None:
    con = duckdb.connect()
    duck.register(con, kb, groupers=["charlson-quan2005"])
    con.execute("CREATE TABLE claims AS SELECT * FROM (VALUES (1, 'I10')) t(patient, code)")
    with pytest.raises(
        InvalidArgumentError, match="'claims' is not a valid claims table .with the columns 'patient', 'dx'"
    ):
        duck.per_patient(con, "claims", "charlson-quan2005", kb, code="dx")
    with pytest.raises(InvalidArgumentError, match="'nope' is not a valid claims table"):
        duck.per_patient(con, "nope", "charlson-quan2005", kb)
    with pytest.raises(InvalidArgumentError, match="is not a valid groupers"):
        duck.register(con, kb, groupers=Hostile())  # type: ignore[arg-type]


def test_spark_arguments_are_checked_before_the_session_is_needed(kb: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="42 is not a valid patient column"):
        spark.per_patient(None, "claims", "charlson-quan2005", kb, patient=42)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="is not a valid code column"):
        spark.clean(None, "claims", code=b"dx")  # type: ignore[arg-type]
    # A claims object that is not a view name is checked against pyspark's DataFrame: without the spark
    # extra (the README's test command does not install it) that is the typed error naming the extra.
    with pytest.raises(ICD10KBError, match="is not a valid claims table: expected a Spark DataFrame|icd10kb.spark."):
        spark.clean(None, Hostile())


def test_the_file_commands_refuse_streams_and_arguments_they_cannot_use(tmp_path: Any) -> None:
    args = argparse.Namespace(input=tmp_path / "in.csv", output=tmp_path / "out.csv", column="code", level="category")
    for run in (columns_cli.run_clean, columns_cli.run_per_patient):
        with pytest.raises(InvalidArgumentError, match="is not a valid output stream"):
            run(args, io.BytesIO(), io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="is not a valid input file"):
        columns_cli.run_clean(argparse.Namespace(**{**vars(args), "input": Hostile()}), io.StringIO(), io.StringIO())
    with pytest.raises(InvalidArgumentError, match="'grouper' is not a valid option"):
        columns_cli.run_per_patient(args, io.StringIO(), io.StringIO())
    err = io.StringIO()
    assert columns_cli.run_clean(args, io.StringIO(), err) == 2 and "no such file" in err.getvalue()


def test_check_choice_checks_its_choices() -> None:
    """The shared helper behind every choice of these packages (icd10kb.arguments.check_choice)."""
    with pytest.raises(InvalidArgumentError, match="None is not a valid choices: the choices are a tuple of text"):
        check_choice("V28", None, "model")  # type: ignore[arg-type]
    assert check_choice(HostileStr("V28"), ("V24", "V28"), "model") == "V28"
