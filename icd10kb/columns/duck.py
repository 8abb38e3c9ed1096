"""DuckDB: the release table and every grouper map on a connection, through Arrow.

:func:`register` puts the tables of :mod:`icd10kb.columns.sql` on a DuckDB
connection (created from Arrow tables; no Python function is ever called per
row) and a macro ``icd10_key(x)``, the dotless key of a code for joins. After
it, cleaning a claims column is a join and grouping per patient is a query
(:func:`per_patient`, which writes it with :func:`~icd10kb.columns.sql.per_patient_sql`).

Examples
--------
>>> import duckdb
>>> from icd10kb.columns import duck
>>> con = duckdb.connect()
>>> duck.register(con, kb, groupers=())[:3]
('icd10cm', 'icd10_groupers', 'icd10_grouper_map')
>>> con.sql("SELECT r.code, r.category, r.billable FROM (VALUES ('e119'), ('I10'), ('junk')) t(dx) "
...         "LEFT JOIN icd10cm r ON r.dotless = icd10_key(t.dx) ORDER BY t.dx").fetchall()
[('I10', 'I10', True), ('E11.9', 'E11', True), (None, None, None)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgumentError
from ..groupers.base import as_list
from .groupmap import grouper_map, prepare, prepared_for
from .release import columns_of
from .sql import TABLES, check_name, key_sql, per_patient_sql, tables

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["per_patient", "register"]


def _grouper_names(groupers: object) -> list[Any]:
    if groupers is None:
        from .. import groupers as package

        return list(package.available())
    return as_list(groupers, "groupers", "pass a list of grouper names or maps (or None for all)")


def register(con: Any, kb: KnowledgeBase | None = None, groupers: Iterable[Any] | None = None) -> tuple[str, ...]:
    """Create the release table, the grouper tables and the ``icd10_key`` macro on *con*.

    Parameters
    ----------
    con:
        A ``duckdb.DuckDBPyConnection``.
    kb:
        The knowledge base (default: ``icd10kb.load()``).
    groupers:
        Grouper names or GrouperMaps to put on (default: every shipped one,
        :func:`icd10kb.groupers.available`).

    Returns
    -------
    tuple of str
        The names of the tables created (replaced if they were there).

    Raises
    ------
    InvalidArgumentError
        If *con* is not a DuckDB connection or *groupers* not a list.
    """
    _connection(con)
    rc = columns_of(kb)
    prepared = [prepare(grouper_map(g, rc.kb)) for g in _grouper_names(groupers)]
    for name, table in tables(rc.kb, prepared).items():
        view = f"__icd10kb_{name}"
        con.register(view, table)
        try:
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{view}"')
        finally:
            con.unregister(view)
    con.execute(f"CREATE OR REPLACE MACRO icd10_key(x) AS {key_sql('x')}")
    return TABLES


def per_patient(
    con: Any,
    claims: str,
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
    """Group the table or view *claims* of *con* per patient; a DuckDB relation, one row per patient.

    The grouper's tables must have been put on *con* by :func:`register`.
    The answers are those of :func:`icd10kb.columns.per_patient` (ordered by patient).

    Examples
    --------
    >>> import duckdb
    >>> from icd10kb.columns import duck
    >>> con = duckdb.connect()
    >>> _ = duck.register(con, kb, groupers=["charlson-quan2005"])
    >>> _ = con.execute("CREATE TABLE claims AS SELECT * FROM "
    ...                 "(VALUES (1, 'E11.9'), (1, 'e1122'), (2, 'I50.9')) t(patient, code)")
    >>> result = duck.per_patient(con, "claims", "charlson-quan2005", kb)
    >>> result.select("patient, diabwc, chf, score_charlson").fetchall()
    [(1, True, False, 2.0), (2, False, True, 1.0)]
    """
    import duckdb

    claims = check_name(claims, "claims table")
    patient, code = check_name(patient, "patient column"), check_name(code, "code column")
    poa = check_name(poa, "poa column") if poa is not None else None
    _, prepared, output = prepared_for(grouper, kb, output)
    query = per_patient_sql(
        prepared,
        claims,
        patient=patient,
        code=code,
        poa=poa,
        output=output,
        assume_poa=assume_poa,
        hierarchy=hierarchy,
        dialect="duckdb",
    )
    _connection(con)
    try:
        return con.sql(query)
    except duckdb.Error as exc:  # no such table or column, a column of another type: DuckDB's own message
        what = f"claims table (with the columns {patient!r}, {code!r}{f', {poa!r}' if poa else ''})"
        raise InvalidArgumentError(claims, f"{type(exc).__name__}: {str(exc)[:300]}", what) from None


def _connection(con: object) -> Any:
    import duckdb

    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise InvalidArgumentError(con, "expected a duckdb connection (duckdb.connect())", "connection")
    return con
