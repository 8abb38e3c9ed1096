"""Column functions against the one-code API, for every kind of column, nulls and junk included."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icd10kb
from icd10kb import columns
from icd10kb.columns.release import COLUMNS, columns_of
from icd10kb.errors import ICD10KBError, InvalidArgumentError

CODE_KINDS = ("category", "subcategory", "code")


def expected(kb, value):
    """(canonical or None, status, row or None) from the one-code API."""
    if not isinstance(value, str):
        return None, "malformed"
    try:
        canonical = icd10kb.normalize(value)
    except ICD10KBError:
        return None, "malformed"
    if canonical.isdigit() or "-" in canonical:
        return None, "malformed"
    if canonical not in kb:
        return None, "unknown"
    assert kb.kind(canonical) in CODE_KINDS
    return canonical, ("valid" if kb.is_billable(canonical) else "header")


@pytest.fixture(scope="module")
def sample(kb):
    rng = random.Random(7)
    codes = list(kb)
    picked = rng.sample(codes, 3000) + ["S72.001A", "E11", "I10", "1", "22", "A00-A09", "H54.0X3"]
    values = []
    for code in picked:
        values.append(code)
        values.append(code.replace(".", "").lower())
        values.append(f"  {code.lower()} ")
    values += [None, "", "   ", "L9#4", "L94.7", "E11.99", "S7201A", "ZZZ", "07", "250.00", "A00..1", "\tI10\n",
               "I10\u00a0", "ı10", " " * 30 + "I10", "x" * 40, "L94-", "é", "I1O", "S72.001AA"]  # fmt: skip
    return values


def reference(kb, values):
    return [expected(kb, v) for v in values]


def kinds_of(values):
    """The same values as every kind of column accepted (strings only)."""
    strings = pa.array(values, pa.string())
    half = len(values) // 2
    return {
        "list": values,
        "tuple": tuple(values),
        "generator": (v for v in values),
        "arrow": strings,
        "arrow-large": pa.array(values, pa.large_string()),
        "arrow-chunked": pa.chunked_array([strings[:half], strings[half:]]),
        "arrow-dictionary": strings.dictionary_encode(),
        "pandas-object": pd.Series(values, dtype=object),
        "pandas-str": pd.Series(values, dtype="str"),
        "pandas-arrow": pd.Series(values, dtype=pd.ArrowDtype(pa.string())),
        "pandas-category": pd.Series(values, dtype="category"),
        "polars": pl.Series("dx", values, dtype=pl.String),
        "polars-categorical": pl.Series("dx", values, dtype=pl.Categorical),
    }


def as_list(result):
    if isinstance(result, (pa.Array, pa.ChunkedArray)):
        return result.to_pylist()
    if isinstance(result, pd.Series):
        return [
            None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v for v in result.tolist()
        ]
    if isinstance(result, pl.Series):
        return result.to_list()
    return list(result)


KINDS = list(kinds_of(["x"]))


@pytest.mark.parametrize("kind", KINDS)
def test_normalize_and_validate_agree_with_the_one_code_api(kb, sample, kind):
    want = reference(kb, sample)
    assert as_list(columns.normalize(kinds_of(sample)[kind], kb)) == [w[0] for w in want]
    assert as_list(columns.validate(kinds_of(sample)[kind], kb)) == [w[1] for w in want]


@pytest.mark.parametrize("kind", KINDS)
def test_title_billable_and_roll_ups_agree_with_the_kb(kb, sample, kind):
    want = [w[0] for w in reference(kb, sample)]
    got = {
        "title": columns.title(kinds_of(sample)[kind], kb),
        "billable": columns.billable(kinds_of(sample)[kind], kb),
        "category": columns.roll_up(kinds_of(sample)[kind], "category", kb),
        "block": columns.roll_up(kinds_of(sample)[kind], "block", kb),
        "chapter": columns.roll_up(kinds_of(sample)[kind], "chapter", kb),
        "depth3": columns.roll_up(kinds_of(sample)[kind], 3, kb),
    }
    ask = {
        "title": kb.title,
        "billable": kb.is_billable,
        "category": kb.category,
        "block": kb.block,
        "chapter": kb.chapter,
        "depth3": lambda c: c if kb.depth(c) <= 3 else kb.path(c)[3],
    }
    for name, result in got.items():
        assert as_list(result) == [None if c is None else ask[name](c) for c in want], name


def test_same_kind_comes_back(kb):
    values = ["I10", None, "bad"]
    series = pd.Series(values, index=[10, 20, 30], name="dx")
    result = columns.normalize(series, kb)
    assert isinstance(result, pd.Series) and list(result.index) == [10, 20, 30] and result.name == "dx"
    assert isinstance(columns.normalize(pl.Series("dx", values), kb), pl.Series)
    assert columns.normalize(pl.Series("dx", values), kb).name == "dx"
    assert isinstance(columns.normalize(pa.array(values), kb), pa.Array)
    assert isinstance(columns.normalize(pa.chunked_array([values]), kb), pa.ChunkedArray)
    assert isinstance(columns.normalize(values, kb), list)
    frame = (
        pl.DataFrame({"dx": values})
        .lazy()
        .with_columns(code=columns.normalize(pl.col("dx"), kb), ok=columns.billable(pl.col("dx"), kb))
    )
    assert frame.collect().to_dict(as_series=False) == {
        "dx": values,
        "code": ["I10", None, None],
        "ok": [True, None, None],
    }


def test_reasons_per_kind(kb):
    values = ["E11", "E11.99", "E1#", None, "I10", "A00-A09", "4"]
    want = [
        ("header", "a category of ICD-10-CM 2026-04-01, not billable: a claim needs one of its codes"),
        ("unknown", "not a code in ICD-10-CM 2026-04-01"),
        ("malformed", "only letters, digits, '.' and '-' may appear"),
        ("malformed", "missing value"),
        ("valid", None),
        ("malformed", "a block of categories, not a code"),
        ("malformed", "a chapter number, not a code"),
    ]
    assert columns.validate(values, kb, reason=True) == want
    frame = columns.validate(pd.Series(values), kb, reason=True)
    assert list(frame.columns) == ["status", "reason"]
    assert [(s, None if r is None or r != r else r) for s, r in zip(frame["status"], frame["reason"])] == want
    struct = columns.validate(pl.Series("dx", values), kb, reason=True)
    assert [(r["status"], r["reason"]) for r in struct.to_list()] == want
    arrow = columns.validate(pa.array(values), kb, reason=True)
    assert [(r["status"], r["reason"]) for r in arrow.to_pylist()] == want
    expr = pl.DataFrame({"dx": values}).select(columns.validate(pl.col("dx"), kb, reason=True)).to_series()
    assert [(r["status"], r["reason"]) for r in expr.to_list()] == want


def test_other_types_are_malformed_not_errors(kb):
    values = [42, 3.5, None, float("nan"), b"I10", ["I10"], {"a": 1}, "I10"]
    assert columns.validate(values, kb) == ["malformed"] * 7 + ["valid"]
    assert columns.normalize(pd.Series(values, dtype=object), kb).tolist()[-1] == "I10"
    assert columns.validate(pa.array([1, 2, None]), kb).to_pylist() == ["malformed"] * 3
    assert columns.validate(pd.Series([1.5, np.nan]), kb).tolist() == ["malformed", "malformed"]
    assert columns.normalize(pa.nulls(3), kb).to_pylist() == [None] * 3
    assert columns.normalize([], kb) == []
    assert columns.normalize(pa.array([], pa.string()), kb).to_pylist() == []
    assert columns.normalize(pd.Series([], dtype="str"), kb).tolist() == []


def test_bad_arguments_are_named(kb):
    with pytest.raises(InvalidArgumentError, match="for one code use the knowledge base"):
        columns.normalize("I10", kb)
    with pytest.raises(InvalidArgumentError, match="iterable"):
        columns.normalize(42, kb)
    with pytest.raises(InvalidArgumentError, match="level"):
        columns.roll_up(["I10"], "categroy", kb)
    with pytest.raises(InvalidArgumentError, match="depth"):
        columns.roll_up(["I10"], -1, kb)
    with pytest.raises(InvalidArgumentError, match="level"):
        columns.roll_up(["I10"], True, kb)
    with pytest.raises(InvalidArgumentError, match="reason"):
        columns.validate(["I10"], kb, reason="yes")
    with pytest.raises(InvalidArgumentError, match="knowledge base"):
        columns.normalize(["I10"], kb="2026")
    with pytest.raises(InvalidArgumentError, match="format"):
        columns.release_table(kb, format="csv")


def test_default_kb_is_the_loaded_one(kb):
    assert columns.normalize(["e119"]) == ["E11.9"]


def test_release_table_every_row_is_the_kbs(kb):
    table = columns.release_table(kb)
    assert table.column_names == list(COLUMNS)
    assert table.num_rows == len(kb)
    for row in table.to_pylist():
        concept = kb[row["code"]]
        assert row["dotless"] == row["code"].replace(".", "")
        for field in ("kind", "title", "billable", "parent", "category", "block", "chapter", "depth"):
            assert row[field] == getattr(concept, field), (row["code"], field)
    frame = columns.release_table(kb, format="pandas")
    assert frame.shape == (len(kb), len(COLUMNS)) and frame["code"].tolist() == table["code"].to_pylist()
    polars = columns.release_table(kb, format="polars")
    assert polars.shape == (len(kb), len(COLUMNS)) and polars["title"].to_list() == table["title"].to_pylist()


def test_large_and_small_columns_agree(kb, sample, monkeypatch):
    from icd10kb.columns import adapters

    small = columns.validate(pa.array(sample), kb, reason=True).to_pylist()
    monkeypatch.setattr(adapters, "SMALL", 0)
    assert columns.validate(pa.array(sample), kb, reason=True).to_pylist() == small
    assert as_list(columns.roll_up(pd.Series(sample, dtype="str"), "block", kb)) == columns.roll_up(sample, "block", kb)


def test_every_release_code_resolves_in_every_spelling(kb):
    rc = columns_of(kb)
    codes = [c for c, k in zip(rc.codes, rc.table["kind"].to_pylist()) if k in CODE_KINDS]
    spelled = codes + [c.replace(".", "") for c in codes] + [c.lower() for c in codes]
    assert columns.normalize(pa.array(spelled), kb).to_pylist() == codes * 3


def test_work_is_once_per_distinct_value(kb, monkeypatch):
    from icd10kb.columns import resolve as module

    seen = []
    real = module._one

    def spy(rc, value):
        seen.append(value)
        return real(rc, value)

    monkeypatch.setattr(module, "_one", spy)
    columns.validate(pa.array(["L9#4", "I10", None] * 1000), kb)
    assert sorted(map(str, seen)) == ["L9#4", "None"]


TEXT = st.text(alphabet="AEISZaei0123459.- \t#", max_size=10)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(TEXT, st.none(), st.text(max_size=6)), max_size=20))
def test_arbitrary_text_never_raises_and_agrees(values):
    kb = icd10kb.load()
    want = reference(kb, values)
    assert columns.validate(values, kb) == [w[1] for w in want]
    assert columns.normalize(pa.array(values, pa.string()), kb).to_pylist() == [w[0] for w in want]
    assert as_list(columns.normalize(pd.Series(values, dtype=object), kb)) == [w[0] for w in want]


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, max_size=20))
def test_normalizing_twice_changes_nothing(values):
    kb = icd10kb.load()
    once = columns.normalize(values, kb)
    assert columns.normalize([v for v in once], kb) == once
    assert all(s in ("valid", "header") for s, v in zip(columns.validate(once, kb), once) if v is not None)


@pytest.mark.parametrize("kind", KINDS)
def test_clean_is_the_three_functions_in_one_pass(kb, sample, kind):
    levels = ("category", "block", "chapter", 3)
    got = columns.clean(kinds_of(sample)[kind], kb, levels=levels, reason=True)
    if isinstance(got, pd.DataFrame):
        rows = list(zip(*(as_list(got[c]) for c in got.columns)))
    elif isinstance(got, pl.DataFrame):
        rows = list(zip(*(got[c].to_list() for c in got.columns)))
    elif isinstance(got, pa.Table):
        rows = list(zip(*(got[c].to_pylist() for c in got.column_names)))
    else:
        rows = got
    want = list(
        zip(
            columns.normalize(sample, kb),
            *zip(*columns.validate(sample, kb, reason=True)),
            *(columns.roll_up(sample, level, kb) for level in levels),
        )
    )
    assert rows == want


def test_clean_checks_its_options(kb):
    with pytest.raises(InvalidArgumentError, match="levels"):
        columns.clean(["I10"], kb, levels="category")
    with pytest.raises(InvalidArgumentError, match="levels"):
        columns.clean(["I10"], kb, levels=("categroy",))
    with pytest.raises(InvalidArgumentError, match="reason"):
        columns.clean(["I10"], kb, reason=1)
    frame = pl.DataFrame({"dx": ["I10", "x"]}).select(columns.clean(pl.col("dx"), kb)).unnest("dx")
    want = {"code": ["I10", None], "status": ["valid", "malformed"], "category": ["I10", None]}
    assert frame.to_dict(as_series=False) == want
