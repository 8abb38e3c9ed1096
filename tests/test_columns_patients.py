"""Per patient in pandas, polars and DuckDB against the plain-Python reference of icd10kb.groupers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

from icd10kb import columns, groupers
from icd10kb.columns import duck
from icd10kb.errors import InvalidArgumentError
from icd10kb.groupers.comorbidity import score_of
from icd10kb.groupers.patients import per_patient as reference

GROUPERS = ("charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1", "cms-hcc-v28-py2026", "cms-hcc-v24-py2025")
POA = ["Y", "N", "U", "W", "", None, "1", "E", "y "]


@pytest.fixture(scope="module")
def claims(kb):
    """Random claims over the codes of every grouper (in this release), with junk, nulls and POA flags."""
    rng = random.Random(11)
    pool = sorted({c for name in GROUPERS for c, _ in groupers.mapping(name, kb).rows if c in kb})
    pool = rng.sample(pool, 3000) + ["I10", "E11.9", "I50.9", "C78.00", "C34.90", "K70.30", "K72.90"]
    junk = ["junk", None, "", "ZZZ.99", "250.00", "4", "A00-A09"]
    rows = []
    for _ in range(8000):
        code = rng.choice(pool) if rng.random() < 0.9 else rng.choice(junk)
        if isinstance(code, str) and rng.random() < 0.3:
            code = code.replace(".", "").lower()
        rows.append(
            (
                f"p{rng.randrange(600)}",
                code,
                rng.choice(POA),
                datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
            )
        )
    return pd.DataFrame(rows, columns=["patient", "code", "poa", "date"])


def want_of(claims, name, poa, assume_poa=False):
    rows = claims[["patient", "code", "poa"] if poa else ["patient", "code"]].itertuples(index=False, name=None)
    if poa:
        rows = ((p, c, o.strip() if isinstance(o, str) else None) for p, c, o in rows)
    return reference(list(rows), grouper=name, errors="skip", assume_poa=assume_poa)


def sets_of(frame, patient="patient"):
    if isinstance(frame, pl.DataFrame):
        return {p: tuple(g) for p, g in zip(frame[patient].to_list(), frame["groups"].to_list())}
    return {p: tuple(g) for p, g in zip(frame[patient].tolist(), frame["groups"].tolist())}


def groups_of(result):
    return result.hccs if hasattr(result, "hccs") else result.groups


@pytest.mark.parametrize("name", GROUPERS)
@pytest.mark.parametrize("use_poa", [False, True])
def test_sets_agree_with_the_reference_in_pandas_polars_and_duckdb(kb, claims, name, use_poa):
    if use_poa and not name.startswith("cmr"):
        return  # POA rules only change the CMR
    want = {p: groups_of(r) for p, r in want_of(claims, name, use_poa).items()}
    poa = "poa" if use_poa else None
    got_pandas = columns.per_patient(claims, name, kb, poa=poa, output="set")
    assert list(got_pandas["patient"]) == list(want)  # first-seen order
    assert sets_of(got_pandas) == want
    assert sets_of(columns.per_patient(pl.from_pandas(claims), name, kb, poa=poa, output="set")) == want
    con = duckdb.connect()
    duck.register(con, kb, groupers=[name])
    con.register("claims", claims)
    got_duck = duck.per_patient(con, "claims", name, kb, poa=poa, output="set").df()
    assert sets_of(got_duck) == want


@pytest.mark.parametrize("name", ["charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1"])
def test_flags_and_scores_agree(kb, claims, name):
    want = want_of(claims, name, False)
    gmap = groupers.mapping(name, kb)
    frames = {
        "pandas": columns.per_patient(claims, name, kb),
        "polars": columns.per_patient(pl.from_pandas(claims), name, kb).to_pandas(),
    }
    con = duckdb.connect()
    duck.register(con, kb, groupers=[name])
    con.register("claims", claims)
    frames["duckdb"] = duck.per_patient(con, "claims", name, kb).df().set_index("patient").loc[list(want)].reset_index()
    for engine, frame in frames.items():
        frame = frame.set_index("patient")
        for patient, result in want.items():
            row = frame.loc[patient]
            for group in gmap.labels:
                value = row[group]
                if group in result.unassessed:
                    assert value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)), (
                        engine,
                        group,
                    )
                else:
                    assert bool(value) == (group in result.groups), (engine, patient, group)
            for weights in gmap.weights:
                assert row[f"score_{weights}"] == pytest.approx(score_of(result, weights)), (engine, weights)


def test_assume_poa_counts_the_poa_dependent_groups(kb, claims):
    want = {p: r.groups for p, r in want_of(claims, "cmr-v2026.1", False, assume_poa=True).items()}
    assert sets_of(columns.per_patient(claims, "cmr-v2026.1", kb, output="set", assume_poa=True)) == want


def test_date_window_keeps_every_patient(kb, claims):
    start, end = datetime.date(2025, 3, 1), datetime.date(2025, 6, 30)
    inside = claims[(claims["date"] >= start) & (claims["date"] <= end)]
    want = {p: r.groups for p, r in want_of(inside, "charlson-quan2005", False).items()}
    got = sets_of(columns.per_patient(claims, "charlson-quan2005", kb, date="date", start=start, end=end, output="set"))
    assert set(got) == set(claims["patient"])
    assert {p: g for p, g in got.items() if p in want} == want
    assert all(g == () for p, g in got.items() if p not in want)
    polars = columns.per_patient(
        pl.from_pandas(claims), "charlson-quan2005", kb, date="date", start=start, end=end, output="set"
    )
    assert sets_of(polars) == got


def test_hierarchy_can_be_turned_off(kb):
    frame = pd.DataFrame({"patient": [1, 1], "code": ["E11.9", "E11.22"]})
    assert sets_of(columns.per_patient(frame, "charlson-quan2005", kb, output="set")) == {1: ("diabwc",)}
    off = columns.per_patient(frame, "charlson-quan2005", kb, output="set", hierarchy=False)
    assert sets_of(off) == {1: ("diab", "diabwc")}


@dataclass(frozen=True)
class ToyMap:
    name: str = "toy"
    version: str = "1"
    citation: str = "a test"
    rows: tuple = (("E11.9", "a"), ("E11.22", "b"), ("E11.22", "c"), ("I50.9", "d"), ("Z99.99", "e"))
    labels: Mapping = field(default_factory=lambda: {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"})
    hierarchy: tuple = (("b", "a"),)
    weights: Mapping = field(default_factory=lambda: {"w": {"a": 1, "b": 2, "c": 0.5, "d": -1}})
    poa_exempt: frozenset = frozenset({"I50.9"})
    poa_required: frozenset = frozenset({"d", "c"})
    poa_sequela: frozenset = frozenset()


def test_a_users_own_map(kb):
    frame = pd.DataFrame(
        {"patient": ["x", "x", "y", "z"], "code": ["E11.9", "e1122", "I50.9", "Z9999"], "poa": ["N", "N", "N", "Y"]}
    )
    got = columns.per_patient(frame, ToyMap(), kb, poa="poa")
    assert got["a"].tolist() == [False, False, False] and got["b"].tolist() == [True, False, False]
    assert got["c"].tolist() == [False, False, False]
    assert got["d"].tolist() == [False, True, False]  # exempt from the POA rule
    assert got["e"].tolist() == [False, False, True]  # listed by the map, not in the release: counted by its key
    assert got["score_w"].tolist() == [2.0, -1.0, 0.0]
    without = columns.per_patient(frame, ToyMap(), kb)
    assert without["c"].isna().tolist() == [True, False, False]


def test_bad_arguments(kb, claims):
    with pytest.raises(InvalidArgumentError, match="DataFrame"):
        columns.per_patient(claims.to_dict(), "charlson-quan2005", kb)
    with pytest.raises(InvalidArgumentError, match="no such column"):
        columns.per_patient(claims, "charlson-quan2005", kb, code="dx")
    with pytest.raises(InvalidArgumentError, match="output"):
        columns.per_patient(claims, "charlson-quan2005", kb, output="wide")
    with pytest.raises(InvalidArgumentError, match="date"):
        columns.per_patient(claims, "charlson-quan2005", kb, start=datetime.date(2025, 1, 1))
    with pytest.raises(InvalidArgumentError, match="POA"):
        columns.per_patient(claims.assign(poa="maybe"), "cmr-v2026.1", kb, poa="poa")
    with pytest.raises(InvalidArgumentError, match="grouper"):
        columns.per_patient(claims, 42, kb)
    with pytest.raises(InvalidArgumentError):
        columns.per_patient(claims, "no-such-grouper", kb)
    with pytest.raises(InvalidArgumentError, match="flag"):
        columns.per_patient(claims, "charlson-quan2005", kb, assume_poa="yes")


def test_codes_outside_the_release_count_only_when_the_map_lists_them(kb):
    """The documented difference from the prefix-based reference: E11.99 is not in the release."""
    frame = pd.DataFrame({"patient": [1], "code": ["E11.99"]})
    assert "E11.99" not in kb
    assert reference([(1, "E11.99")], grouper="charlson-quan2005")[1].groups == ("diab",)
    assert sets_of(columns.per_patient(frame, "charlson-quan2005", kb, output="set")) == {1: ()}
