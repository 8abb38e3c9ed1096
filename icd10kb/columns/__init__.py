"""Whole columns of codes: pandas, polars, Arrow, DuckDB and Spark.

Functions that take a column of ICD-10-CM codes of any kind (pandas Series,
polars Series or expression, pyarrow array, any iterable) and answer every
row, doing the work once per distinct value; the release as a table for
joins; comorbidity and HCC groupings per patient; the same on DuckDB and
Spark. pandas, polars, pyarrow, duckdb and pyspark are optional: each is
imported only by the functions that use it (pyarrow by all column work).
"""

from __future__ import annotations

from .functions import billable, clean, group, normalize, roll_up, title, validate
from .patients import per_patient
from .release import release_table

__all__ = ["billable", "clean", "group", "normalize", "per_patient", "release_table", "roll_up", "title", "validate"]
