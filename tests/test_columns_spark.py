"""Spark local mode: the release and grouper maps as broadcast views, the same answers as pandas.

Kept in its own file: it starts a JVM (a second CI step may run it alone).
"""

from __future__ import annotations

import random

import pandas as pd
import pytest

from icd10kb import columns, groupers
from icd10kb.columns import spark as icd10spark

GROUPERS = ["charlson-quan2005", "cmr-v2026.1", "cms-hcc-v28-py2026"]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("icd10kb-tests")
        .config("spark.driver.memory", "768m")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def claims(kb):
    rng = random.Random(5)
    pool = sorted({c for name in GROUPERS for c, _ in groupers.mapping(name, kb).rows if c in kb})
    pool = rng.sample(pool, 400) + ["I10", "E11.9", "E11.22", "I50.9", "C78.00", "C34.90"]
    junk = ["junk", None, "", "ZZZ.99", "250.00", "4", "A00-A09", "E11"]
    rows = []
    for _ in range(1500):
        code = rng.choice(pool) if rng.random() < 0.9 else rng.choice(junk)
        if isinstance(code, str) and rng.random() < 0.3:
            code = code.replace(".", "").lower()
        rows.append((f"p{rng.randrange(150):03d}", code, rng.choice(["Y", "N", "U", "W", "", None])))
    return pd.DataFrame(rows, columns=["patient", "code", "poa"])


@pytest.fixture(scope="module")
def registered(spark, kb, claims):
    icd10spark.register(spark, kb, groupers=GROUPERS)
    frame = spark.createDataFrame(claims, schema="patient string, code string, poa string")
    frame.createOrReplaceTempView("claims")
    return frame


def plain(values):
    return [None if v is None or (not isinstance(v, (list, tuple, str)) and pd.isna(v)) else v for v in values]


def test_clean_agrees_with_the_column_functions(spark, kb, claims, registered):
    got = icd10spark.clean(spark, registered).toPandas()
    series = claims["code"]
    assert plain(got["icd10_code"]) == columns.normalize(list(series), kb)
    assert got["icd10_status"].tolist() == columns.validate(list(series), kb)
    for level in ("category", "block", "chapter"):
        want = columns.roll_up(list(series), level, kb)
        assert plain(got[f"icd10_{level}"]) == want


def frame_sets(frame):
    return {p: tuple(g) for p, g in zip(frame["patient"], frame["groups"])}


@pytest.mark.parametrize(
    "name,poa", [("charlson-quan2005", None), ("cmr-v2026.1", "poa"), ("cms-hcc-v28-py2026", None)]
)
def test_per_patient_sets_agree_with_pandas(spark, kb, claims, registered, name, poa):
    want = frame_sets(columns.per_patient(claims, name, kb, poa=poa, output="set"))
    got = icd10spark.per_patient(spark, "claims", name, kb, poa=poa, output="set").toPandas()
    assert frame_sets(got) == want
    assert list(got["patient"]) == sorted(want)


def test_per_patient_flags_and_scores_agree_with_pandas(spark, kb, claims, registered):
    want = columns.per_patient(claims, "charlson-quan2005", kb).set_index("patient").sort_index()
    got = icd10spark.per_patient(spark, registered, "charlson-quan2005", kb).toPandas().set_index("patient")
    assert list(got.columns) == list(want.columns)
    for column in want.columns:
        if column.startswith("score_"):
            assert got[column].tolist() == pytest.approx(want[column].tolist())
        else:
            assert got[column].astype(bool).tolist() == want[column].astype(bool).tolist(), column


def test_not_a_session_is_named(kb):
    from icd10kb.errors import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match="SparkSession"):
        icd10spark.register("spark", kb, groupers=[])
