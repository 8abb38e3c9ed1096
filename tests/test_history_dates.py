"""The release in force on a date, validity on a date, and the column form: properties and edge cases."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icd10kb.errors import CodeNotFoundError, ICD10KBError, InvalidArgumentError, InvalidCodeError
from icd10kb.history import (
    SLOTS,
    ReleaseNotShippedError,
    history,
    load_for_date,
    parse_date,
    release_for,
    status_on,
    valid_on,
    valid_on_many,
)

DAYS = st.dates(min_value=datetime.date(2010, 1, 1), max_value=datetime.date(2030, 12, 31))
CODES = st.sampled_from(["L94.2", "D69.1", "D69.11", "U07.1", "J12.82", "I42.0", "T52.8X1A", "Z68.1", "A00", "M35.8"])


@settings(deadline=None)
@given(DAYS)
def test_the_release_in_force_started_on_or_before_the_date_and_the_next_one_after(day: datetime.date) -> None:
    answer = release_for(day)
    if answer.release is None:
        assert day < datetime.date(2015, 10, 1) or day >= datetime.date(2027, 10, 1)
        return
    names = [s.name for s in SLOTS]
    index = names.index(answer.release)
    assert answer.effective is not None and answer.effective <= day
    if index + 1 < len(SLOTS):
        assert SLOTS[index + 1].effective > day
    assert answer.fiscal_year == (day.year + 1 if day.month >= 10 else day.year)
    assert answer.has_file == (SLOTS[index].source != "none")


@settings(deadline=None)
@given(DAYS)
def test_iso_text_and_datetime_give_the_same_answer_as_the_date(day: datetime.date) -> None:
    at_night = datetime.datetime.combine(
        day, datetime.time(23, 59), tzinfo=datetime.timezone(datetime.timedelta(hours=-5))
    )
    assert release_for(day.isoformat()) == release_for(day)
    assert release_for(at_night) == release_for(day)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(CODES, DAYS), max_size=20), st.booleans())
def test_the_column_form_equals_row_by_row(rows: list[tuple[str, datetime.date]], billable: bool) -> None:
    codes = [c for c, _ in rows]
    days = [d for _, d in rows]
    assert valid_on_many(codes, days, billable=billable) == [valid_on(c, d, billable=billable) for c, d in rows]


@settings(deadline=None)
@given(CODES, DAYS)
def test_valid_on_agrees_with_the_history(code: str, day: datetime.date) -> None:
    answer = valid_on(code, day)
    index = [s.name for s in SLOTS].index(release_for(day).release) if release_for(day).release else None
    if index is None:
        assert answer is (False if day < datetime.date(2015, 10, 1) else None)
        return
    entry = history(code).releases[index]
    assert answer == (None if entry.status == "unknown" else entry.status in ("billable", "header"))


@given(st.text(max_size=12) | st.integers() | st.none() | st.floats())
def test_arbitrary_dates_raise_only_the_documented_error(value: object) -> None:
    try:
        parse_date(value)
    except InvalidArgumentError:
        pass


@settings(deadline=None)
@given(st.text(max_size=10))
def test_arbitrary_codes_raise_only_documented_errors(value: str) -> None:
    try:
        history(value)
    except (InvalidCodeError, CodeNotFoundError):
        pass


def test_the_fiscal_year_starts_on_october_first() -> None:
    assert release_for("2026-09-30").release == "2026-04-01"
    assert release_for("2026-10-01").release == "FY2027"
    assert release_for("2025-03-31").release == "FY2025" and release_for("2025-04-01").release == "2025-04-01"
    assert release_for("2021-01-01").shipped == "2021" and release_for("2020-12-31").release == "FY2021"
    assert release_for("2015-09-30").release is None and "ICD-9-CM" in release_for("2015-09-30").note
    assert release_for("2027-10-01").release is None and release_for("2027-10-01").fiscal_year == 2028


def test_codes_on_the_day_of_a_change() -> None:
    assert valid_on("I42.0", "2026-09-30", billable=True) is True
    assert valid_on("I42.0", "2026-10-01", billable=True) is False
    assert valid_on("I42.0", "2026-10-01") is True  # still a header
    assert valid_on("S23.420A", "2026-10-01") is False
    assert valid_on("L94.2", "2014-06-01") is False
    assert valid_on("L94.2", "2028-01-01") is None
    assert status_on("J12.82", "2020-11-01") == "unknown"


def test_deleted_codes_have_a_history_and_unknown_codes_do_not() -> None:
    assert history("S23.420A").releases[-1].status == "absent"
    with pytest.raises(CodeNotFoundError):
        history("A00.5")
    with pytest.raises(InvalidCodeError):
        history("L94-L99")
    with pytest.raises(InvalidCodeError):
        history("not a code")


@pytest.mark.parametrize(
    "bad", [20261001, 2026.1, b"2026-10-01", "2026-13-01", "2026-02-30", "2026/10/01", "20261001", ["2026-10-01"]]
)
def test_bad_dates_are_typed_errors(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="date"):
        release_for(bad)


def test_column_errors_name_the_row() -> None:
    with pytest.raises(InvalidCodeError, match="row 1"):
        valid_on_many(["L94.2", "garbage!"], "2026-10-01")
    with pytest.raises(InvalidArgumentError, match="row 1"):
        valid_on_many(["L94.2", "L94.2"], ["2026-10-01", "yesterday"])
    with pytest.raises(InvalidArgumentError, match="number of dates"):
        valid_on_many(["L94.2"], ["2026-10-01", "2026-10-02"])
    with pytest.raises(InvalidArgumentError, match="not one string"):
        valid_on_many("L94.2", "2026-10-01")
    with pytest.raises(InvalidArgumentError, match="billable"):
        valid_on("L94.2", "2026-10-01", billable="yes")  # type: ignore[arg-type]
    assert valid_on_many([None, float("nan"), "L94.2"], [None, "2026-10-01", float("nan")]) == [None, None, None]


def test_load_for_date() -> None:
    assert load_for_date("2026-10-01").release.name == "2027"
    assert load_for_date(datetime.date(2026, 5, 1)).release.name == "2026-04-01"
    assert load_for_date("2021-02-01").release.name == "2021"
    with pytest.raises(ReleaseNotShippedError, match="FY2022"):
        load_for_date("2022-06-30")
    with pytest.raises(ReleaseNotShippedError, match="same-year"):
        load_for_date("2025-11-01")
    assert load_for_date("2025-11-01", fallback="same-year").release.name == "2026-04-01"
    with pytest.raises(ReleaseNotShippedError):
        load_for_date("2022-06-30", fallback="same-year")
    with pytest.raises(InvalidArgumentError, match="fallback"):
        load_for_date("2026-10-01", fallback="nearest")
    assert issubclass(ReleaseNotShippedError, ICD10KBError)


def test_a_malformed_code_is_refused_whatever_its_date() -> None:
    with pytest.raises(InvalidCodeError, match="row 0"):
        valid_on_many(["L94,2"], ["2001-01-01"])


JUNK = st.one_of(st.text(max_size=10), st.integers(), st.none(), st.floats(), st.dates(), st.binary(max_size=4), CODES)


@settings(deadline=None)
@given(st.one_of(JUNK, st.lists(JUNK, max_size=6)), st.one_of(JUNK, st.lists(JUNK, min_size=0, max_size=6)))
def test_arbitrary_columns_raise_only_documented_errors(codes: list[object], dates: object) -> None:
    try:
        result = valid_on_many(codes, dates)
    except ICD10KBError:
        return
    assert isinstance(codes, list) and len(result) == len(codes) and all(r in (True, False, None) for r in result)
