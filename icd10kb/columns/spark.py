"""Spark: the same groupings on a Spark DataFrame, by joins against broadcast maps.

:func:`register` puts the release table and the grouper maps (the tables of
:mod:`icd10kb.columns.sql`) on a SparkSession as temporary views, created
from Arrow; they are small (the release is 98,505 rows, a grouper a few
thousand) and are broadcast to every executor by the queries' hints, so the
claims table is never shuffled to meet them. :func:`clean` and
:func:`per_patient` run the same SQL as the DuckDB path; no Python function
runs per row (no UDF), so the work stays in the JVM.

The Spark tests (``tests/test_columns_spark.py``) run these functions in
local mode and compare with the pandas answers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgumentError
from .groupmap import grouper_map, prepare, prepared_for
from .release import columns_of
from .sql import TABLES, check_name, clean_sql, per_patient_sql, tables

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["clean", "per_patient", "register"]

_views = itertools.count()


def _session(spark: object) -> Any:
    from ..extras import require

    if not isinstance(spark, require("pyspark.sql", "spark", "Spark").SparkSession):
        raise InvalidArgumentError(spark, "expected a pyspark SparkSession", "Spark session")
    return spark


def register(spark: Any, kb: KnowledgeBase | None = None, groupers: Iterable[Any] | None = None) -> tuple[str, ...]:
    """Create the release and grouper tables as temporary views of *spark*.

    Parameters
    ----------
    spark:
        A ``pyspark.sql.SparkSession``.
    kb:
        The knowledge base (default: ``icd10kb.load()``).
    groupers:
        Grouper names or GrouperMaps (default: every shipped one).

    Returns
    -------
    tuple of str
        The names of the views.
    """
    from .duck import _grouper_names

    rc = columns_of(kb)
    prepared = [prepare(grouper_map(g, rc.kb)) for g in _grouper_names(groupers)]
    session = _session(spark)
    for name, table in tables(rc.kb, prepared).items():
        frame = session.createDataFrame(table.to_pandas(), schema=_schema(table))
        frame.createOrReplaceTempView(name)
    return TABLES


def _schema(table: Any) -> Any:
    """The Spark schema of a pyarrow table of strings, booleans, integers and doubles."""
    import pyarrow as pa
    from pyspark.sql import types as T

    def spark_type(t: Any) -> Any:
        if pa.types.is_boolean(t):
            return T.BooleanType()
        if pa.types.is_integer(t):
            return T.IntegerType()
        if pa.types.is_floating(t):
            return T.DoubleType()
        return T.StringType()

    return T.StructType([T.StructField(f.name, spark_type(f.type), True) for f in table.schema])


def _claims(claims: object) -> tuple[str, Any]:
    """(the name of the view to query, the DataFrame to put there or None) for *claims*, checked."""
    if isinstance(claims, str):
        return check_name(claims, "claims table"), None
    from ..extras import require

    if not isinstance(claims, require("pyspark.sql", "spark", "Spark").DataFrame):
        raise InvalidArgumentError(claims, "expected a Spark DataFrame or the name of a view", "claims table")
    return f"icd10kb_claims_{next(_views)}", claims


def _run(session: Any, view: str, frame: Any, query: str) -> Any:
    """Put *frame* (if any) on *view*, and run *query*; Spark's own errors about the query name the claims."""
    from pyspark.errors import PySparkException

    if frame is not None:
        frame.createOrReplaceTempView(view)
    try:
        return session.sql(query)
    except PySparkException as exc:  # no such view or column, a column of another type: Spark's own message
        raise InvalidArgumentError(view, f"{type(exc).__name__}: {str(exc)[:300]}", "claims table") from None


def clean(spark: Any, claims: Any, code: str = "code") -> Any:
    """*claims* with ``icd10_code``, ``icd10_status``, ``icd10_category``, ``icd10_block`` and ``icd10_chapter``.

    A broadcast join with the release table (:func:`register` first).
    """
    view, frame = _claims(claims)
    query = clean_sql(view, code, "spark")
    return _run(_session(spark), view, frame, query)


def per_patient(
    spark: Any,
    claims: Any,
    grouper: Any,
    kb: KnowledgeBase | None = None,
    *,
    patient: str = "patient",
    code: str = "code",
    poa: str | None = None,
    output: str | None = None,
    assume_poa: bool = False,
    hierarchy: bool = True,
) -> Any:
    """Group *claims* (a Spark DataFrame or view name) per patient: a Spark DataFrame, one row per patient.

    The answers are those of :func:`icd10kb.columns.per_patient`; the grouper's
    views must have been created by :func:`register`.
    """
    view, frame = _claims(claims)
    _, prepared, output = prepared_for(grouper, kb, output)
    query = per_patient_sql(
        prepared,
        view,
        patient=patient,
        code=code,
        poa=poa,
        output=output,
        assume_poa=assume_poa,
        hierarchy=hierarchy,
        dialect="spark",
    )
    return _run(_session(spark), view, frame, query)
