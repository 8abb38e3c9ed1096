"""Column functions: normalise, validate, billable, roll up and title a whole column of codes.

Each function takes a column — a pandas Series, a polars Series or
expression, a pyarrow Array or ChunkedArray, or any iterable — and returns a
column of the same kind (a list for a plain iterable), row for row. Nulls and
junk never raise: they give null, and :func:`validate` says why. The work is
done once per distinct value (see :mod:`icd10kb.columns.adapters`), so a
column of ten million claims with a hundred thousand distinct codes costs a
hundred thousand look-ups and one vectorised take.

Only codes count: categories, subcategories and codes, in any case, with or
without the dot, with spaces around. Chapter numbers and block ranges, which
``kb.normalize`` accepts, are *malformed* in a column of codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..arguments import check_bool, check_choice
from ..errors import InvalidArgumentError
from ..groupers.base import as_list
from .adapters import Encoded, emit, encode, kind_of
from .release import ReleaseColumns, columns_of
from .resolve import STATUSES

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["billable", "clean", "group", "normalize", "roll_up", "title", "validate"]

_LEVELS = ("category", "block", "chapter")
#: The deepest roll-up depth accepted (ICD-10-CM codes are at most 7 levels below their chapter).
MAX_DEPTH = 100
_LEVEL_REASON = f"a level is 'category', 'block', 'chapter' or a depth from 0 to {MAX_DEPTH}"


def _level(level: object, what: str = "level") -> str | int:
    """*level* as a plain str of :data:`_LEVELS` or a depth, else :class:`InvalidArgumentError`."""
    if isinstance(level, str):
        return check_choice(level, _LEVELS, what)
    if type(level) is not int or not 0 <= level <= MAX_DEPTH:
        raise InvalidArgumentError(level, _LEVEL_REASON, what)
    return level


def _polars_dtype(typ: str) -> Any:
    import polars as pl

    if typ == "bool":
        return pl.Boolean
    if typ == "int":
        return pl.Int8
    if typ == "list":
        return pl.List(pl.String)
    if typ == "struct":
        return pl.Struct({"status": pl.Categorical, "reason": pl.Categorical})
    return pl.Categorical


def _run(
    column: object, kb: KnowledgeBase | None, answer: Callable[[Encoded], Any], typ: str, dtype: Any = None
) -> Any:
    """Encode *column*, answer its universe, emit a column of the same kind."""
    rc = columns_of(kb)
    kind = kind_of(column)
    if kind == "polars-expr":
        return column.map_batches(  # type: ignore[attr-defined]
            lambda batch: _run(batch, rc.kb, answer, typ),
            return_dtype=dtype if dtype is not None else _polars_dtype(typ),
            is_elementwise=True,
        )
    encoded = encode(rc, column, kind)
    return emit(column, kind, encoded, answer(encoded), typ)


def _take(kb: KnowledgeBase | None, column: object, name: str, typ: str) -> Any:
    def answer(encoded: Encoded) -> Any:
        return encoded.rc.table[name].combine_chunks().take(encoded.universe_rows())

    return _run(column, kb, answer, typ)


def normalize(column: object, kb: KnowledgeBase | None = None) -> Any:
    """The canonical dotted form of each code, or null when it is not a code of the release.

    Parameters
    ----------
    column:
        A pandas Series, polars Series or expression, pyarrow Array or
        ChunkedArray, or an iterable of values.
    kb:
        The knowledge base (default: ``icd10kb.load()``).

    Returns
    -------
    The same kind of column (a list for an iterable), of strings.

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.normalize(["l942", " S72.001A ", "S72001a", "L94.7", "L9#4", None, 42], kb)
    ['L94.2', 'S72.001A', 'S72.001A', None, None, None, None]

    >>> import pandas as pd
    >>> columns.normalize(pd.Series(["e119", "I10", "junk"], name="dx"), kb).tolist()
    ['E11.9', 'I10', nan]

    >>> import polars as pl
    >>> pl.DataFrame({"dx": ["e119", None]}).select(columns.normalize(pl.col("dx"), kb))["dx"].to_list()
    ['E11.9', None]
    """
    return _take(kb, column, "code", "string")


def title(column: object, kb: KnowledgeBase | None = None) -> Any:
    """The official title of each code, or null when it is not a code of the release.

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.title(["L942", "nonsense"], kb)
    ['Calcinosis cutis', None]
    """
    return _take(kb, column, "title", "string")


def billable(column: object, kb: KnowledgeBase | None = None) -> Any:
    """Whether each code is billable: True, False for a header (category or subcategory), null when not a code.

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.billable(["I10", "E11", "E11.9", "E11.99", None], kb)
    [True, False, True, None, None]
    """

    return _take(kb, column, "billable", "bool")


def _ancestor_rows(rc: ReleaseColumns, depth: int) -> Any:
    """Row -> row of its ancestor at *depth* (itself when it is not deeper)."""

    def build() -> Any:
        import numpy as np

        depths = rc.table["depth"].to_numpy()
        parents = np.array([rc.position[p] if p is not None else -1 for p in rc.table["parent"].to_pylist()])
        up = np.arange(len(rc))
        for _ in range(int(depths.max())):
            deeper = depths[up] > depth
            up = np.where(deeper, parents[up], up)
        return up

    return rc.derived(("ancestor", depth), build)


def roll_up(column: object, level: str | int = "category", kb: KnowledgeBase | None = None) -> Any:
    """Roll each code up to its category, block, chapter or ancestor at a depth.

    Parameters
    ----------
    column:
        The column of codes (any kind accepted).
    level:
        ``"category"`` (three characters, ``"E11"``), ``"block"``
        (``"E08-E13"``), ``"chapter"`` (``"4"``), or a depth: 0 is the
        chapter, 1 the block, 2 the category, 3 the first level below it, and
        so on; a code not that deep stays as it is.
    kb:
        The knowledge base (default: ``icd10kb.load()``).

    Returns
    -------
    The same kind of column: the identifier rolled up to, or null when the
    value is not a code of the release.

    Raises
    ------
    InvalidArgumentError
        If *level* is not one of these.

    Examples
    --------
    >>> from icd10kb import columns
    >>> codes = ["S72.001A", "e1165", "I10", "bad"]
    >>> columns.roll_up(codes, "category", kb)
    ['S72', 'E11', 'I10', None]
    >>> columns.roll_up(codes, "block", kb)
    ['S70-S79', 'E08-E13', 'I10-I1A', None]
    >>> columns.roll_up(codes, "chapter", kb)
    ['19', '4', '9', None]
    >>> columns.roll_up(codes, 3, kb)
    ['S72.0', 'E11.6', 'I10', None]
    """
    level = _level(level)
    if isinstance(level, str):
        return _take(kb, column, level, "string")
    rc = columns_of(kb)
    codes = rc.table["code"].combine_chunks()
    up = _ancestor_rows(rc, level)

    def answer(encoded: Encoded) -> Any:
        import pyarrow as pa

        rows = encoded.rows
        return codes.take(pa.array(up[rows], mask=rows < 0))

    return _run(column, rc.kb, answer, "string")


def validate(column: object, kb: KnowledgeBase | None = None, *, reason: bool = False) -> Any:
    """The status of each value: ``valid``, ``header``, ``unknown`` or ``malformed``; with the reason if asked.

    ``valid`` is a billable code; ``header`` a category or subcategory with
    codes below it (not billable); ``unknown`` is shaped like a code but not in
    the release; ``malformed`` is anything else, nulls included.

    Parameters
    ----------
    column:
        The column (any kind accepted).
    kb:
        The knowledge base (default: ``icd10kb.load()``).
    reason:
        Also give why each value is not valid (null for a valid one). The
        result is then two columns: a DataFrame with ``status`` and ``reason``
        for pandas, a struct Series or expression for polars, a StructArray
        for pyarrow, a list of ``(status, reason)`` tuples for an iterable.

    Raises
    ------
    InvalidArgumentError
        If *reason* is not a bool.

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.validate(["E11.9", "E11", "E11.99", "E1#", None], kb)
    ['valid', 'header', 'unknown', 'malformed', 'malformed']
    >>> for status, why in columns.validate(["E11", "E11.99", "E1#"], kb, reason=True):
    ...     print(status, "-", why)
    header - a category of ICD-10-CM 2026-04-01, not billable: a claim needs one of its codes
    unknown - not a code in ICD-10-CM 2026-04-01
    malformed - only letters, digits, '.' and '-' may appear
    """
    check_bool(reason, "reason")

    def answer(encoded: Encoded) -> Any:
        import pyarrow as pa

        status = pa.array(STATUSES, pa.string()).take(pa.array(encoded.status))
        if not reason:
            return status
        return pa.StructArray.from_arrays([status, pa.array(encoded.reasons(), pa.string())], ["status", "reason"])

    return _run(column, kb, answer, "struct" if reason else "status")


def group(column: object, grouper: Any, kb: KnowledgeBase | None = None) -> Any:
    """The groups of each code under a grouper: its CCSR categories, HCCs or comorbidity groups, as a list.

    Parameters
    ----------
    column:
        The column of codes (any kind accepted).
    grouper:
        A grouper name (:func:`icd10kb.groupers.available`) or a GrouperMap.
    kb:
        The knowledge base (default: ``icd10kb.load()``).

    Returns
    -------
    The same kind of column, of lists of group ids in the map's order (an
    empty list for a code the grouper does not map; null for a value that is
    not shaped like a code). No hierarchy is applied: that is per patient
    (:func:`~icd10kb.columns.per_patient`).

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.group(["I50.9", "e1122", "Z00.00", "L9#4"], "ccsr-v2025.1", kb)
    [['CIR019'], ['END003', 'END005', 'GEN003'], ['FAC014'], None]
    >>> columns.group(["I50.9", "E11.22"], "cms-hcc-v28-py2026", kb)
    [['HCC226'], ['HCC37']]
    """
    from .groupmap import grouper_map, prepare

    rc = columns_of(kb)
    prepared = prepare(grouper_map(grouper, rc.kb))
    names = prepared.groups

    def answer(encoded: Encoded) -> Any:
        import pyarrow as pa

        by_key = prepared.by_key
        lists = [None if k is None else [names[g] for g in by_key.get(k, ())] for k in encoded.keys()]
        return pa.array(lists, pa.list_(pa.string()))

    return _run(column, rc.kb, answer, "list")


def clean(
    column: object,
    kb: KnowledgeBase | None = None,
    *,
    levels: tuple[str | int, ...] = ("category",),
    reason: bool = False,
) -> Any:
    """Normalise, validate and roll up a column in one pass: one table, a column per answer.

    The same answers as :func:`normalize`, :func:`validate` and :func:`roll_up`,
    for the price of one: the column is encoded once.

    Parameters
    ----------
    column:
        The column of codes (any kind accepted).
    kb:
        The knowledge base (default: ``icd10kb.load()``).
    levels:
        The roll-ups to add, each ``"category"``, ``"block"``, ``"chapter"`` or a depth.
    reason:
        Add the ``reason`` column of :func:`validate`.

    Returns
    -------
    A pandas DataFrame (same index) for a pandas Series, a polars DataFrame for a
    polars Series (a struct expression for an expression), a pyarrow Table for
    Arrow input, a list of tuples for an iterable. Columns: ``code``, ``status``,
    (``reason``), then one per level (named by the level, ``depth_<n>`` for a depth).

    Examples
    --------
    >>> from icd10kb import columns
    >>> columns.clean(["e1165", "E11", "junk"], kb, levels=("category", "chapter"))
    [('E11.65', 'valid', 'E11', '4'), ('E11', 'header', 'E11', '4'), (None, 'unknown', None, None)]
    """
    import pyarrow as pa

    check_bool(reason, "reason")
    levels = tuple(
        _level(x, "levels") for x in as_list(levels, "levels", "levels is a tuple of levels (" + _LEVEL_REASON + ")")
    )
    rc = columns_of(kb)
    names = [
        "code",
        "status",
        *(["reason"] if reason else []),
        *(x if isinstance(x, str) else f"depth_{x}" for x in levels),
    ]
    table = rc.table

    def answer(encoded: Encoded) -> Any:
        rows = encoded.universe_rows()
        fields = [
            table["code"].combine_chunks().take(rows),
            pa.array(STATUSES, pa.string()).take(pa.array(encoded.status)),
        ]
        if reason:
            fields.append(pa.array(encoded.reasons(), pa.string()))
        for level in levels:
            if isinstance(level, str):
                fields.append(table[level].combine_chunks().take(rows))
            else:
                up = _ancestor_rows(rc, level)
                fields.append(table["code"].combine_chunks().take(pa.array(up[encoded.rows], mask=encoded.rows < 0)))
        return pa.StructArray.from_arrays(fields, names)

    def polars_struct() -> Any:
        import polars as pl

        return pl.Struct({name: pl.Categorical for name in names})

    kind = kind_of(column)
    result = _run(column, rc.kb, answer, "struct", polars_struct() if kind == "polars-expr" else None)
    if kind == "arrow":
        chunks = result.chunks if isinstance(result, pa.ChunkedArray) else [result]
        return pa.Table.from_batches([pa.RecordBatch.from_struct_array(c) for c in chunks]) if chunks else None
    if kind == "polars":
        return result.struct.unnest()
    return result
