"""The release as a table: one row per concept, for joins and for column work.

:func:`release_table` gives every chapter, block, category, subcategory and
code of a release with its dotless form, kind, title, billable flag, parent,
category, block, chapter and depth, as a pyarrow Table, a pandas DataFrame or
a polars DataFrame. The same table, built once per knowledge base and kept,
is what the column functions of :mod:`icd10kb.columns` look values up in:
a column is resolved to *row numbers of this table* once per distinct value,
and every answer (canonical code, title, billable, roll-up) is then a take of
one of its columns.

The row order is the classification's (chapter, then its blocks, ...), so the
row number of a code is stable for a release.
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING, Any

from ..arguments import check_choice
from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["COLUMNS", "ReleaseColumns", "columns_of", "release_table"]

#: The columns of the release table, in order.
COLUMNS = ("code", "dotless", "kind", "title", "billable", "parent", "category", "block", "chapter", "depth")

_FORMATS = ("arrow", "pandas", "polars")
_CODE_KINDS = frozenset({"category", "subcategory", "code"})


class ReleaseColumns:
    """The release table of one knowledge base, as Python lists and Arrow arrays, built once.

    Attributes
    ----------
    table:
        The pyarrow Table (:data:`COLUMNS`).
    position:
        Canonical identifier -> row number, for every concept.
    key_position:
        Dotless code -> row number, for codes only (categories, subcategories
        and codes; not blocks or chapters): what a cleaned claims value is
        looked up in.
    kb:
        The knowledge base it was built from.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        import pyarrow as pa

        codes = list(kb)
        n = len(codes)
        kinds = [kb.kind(c) for c in codes]
        titles = [kb.title(c) for c in codes]
        billable = [kb.is_billable(c) for c in codes]
        parents = [kb.parent(c) for c in codes]
        position = {code: i for i, code in enumerate(codes)}
        depth = [0] * n
        chapter: list[str] = [""] * n
        block: list[str | None] = [None] * n
        category: list[str | None] = [None] * n
        for i, (code, kind, parent) in enumerate(zip(codes, kinds, parents)):
            if parent is None:
                chapter[i] = code
                continue
            up = position[parent]  # a parent always comes before its children
            depth[i] = depth[up] + 1
            chapter[i] = chapter[up]
            block[i] = block[up] if kind != "block" else None
            if kinds[up] == "block":
                block[i] = parent
            category[i] = code if kind == "category" else category[up]
        dotless = [c.replace(".", "") for c in codes]
        self.kb = kb
        self.codes = codes
        self.billable = billable
        self.position = position
        self.key_position = {d: i for i, (d, k) in enumerate(zip(dotless, kinds)) if k in _CODE_KINDS}
        self.table = pa.table(
            {
                "code": pa.array(codes, pa.string()),
                "dotless": pa.array(dotless, pa.string()),
                "kind": pa.array(kinds, pa.string()),
                "title": pa.array(titles, pa.string()),
                "billable": pa.array(billable, pa.bool_()),
                "parent": pa.array(parents, pa.string()),
                "category": pa.array(category, pa.string()),
                "block": pa.array(block, pa.string()),
                "chapter": pa.array(chapter, pa.string()),
                "depth": pa.array(depth, pa.int8()),
            }
        )
        self._lock = threading.RLock()  # a derived value may be built from another
        self._derived: dict[Any, Any] = {}

    def __len__(self) -> int:
        return len(self.codes)

    def key_position_inverse(self) -> list[str | None]:
        """The dotless key of each row: None for blocks and chapters."""

        def build() -> list[str | None]:
            keys: list[str | None] = [None] * len(self.codes)
            for key, row in self.key_position.items():
                keys[row] = key
            return keys

        return self.derived("row_keys", build)  # type: ignore[no-any-return]

    def derived(self, key: Any, build: Any) -> Any:
        """A value computed from this table once (row-number arrays for a roll-up, a key array, ...)."""
        with self._lock:
            if key not in self._derived:
                self._derived[key] = build()
            return self._derived[key]


_cache: weakref.WeakKeyDictionary[Any, ReleaseColumns] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def columns_of(kb: KnowledgeBase | None = None) -> ReleaseColumns:
    """The :class:`ReleaseColumns` of *kb* (default: ``icd10kb.load()``), built on first use and kept.

    Raises
    ------
    InvalidArgumentError
        If *kb* is not a knowledge base.
    """
    if kb is None:
        import icd10kb

        kb = icd10kb.load()
    from ..kb import KnowledgeBase

    if not isinstance(kb, KnowledgeBase):
        raise InvalidArgumentError(kb, "expected a KnowledgeBase (icd10kb.load()) or None", "knowledge base")
    with _cache_lock:
        found = _cache.get(kb)
        if found is None:
            found = _cache[kb] = ReleaseColumns(kb)
    return found


def release_table(kb: KnowledgeBase | None = None, format: str = "arrow") -> Any:
    """The release as a table, one row per concept, for joins.

    Parameters
    ----------
    kb:
        The knowledge base (default: ``icd10kb.load()``).
    format:
        ``"arrow"`` (a ``pyarrow.Table``), ``"pandas"`` or ``"polars"`` (a DataFrame).

    Returns
    -------
    pyarrow.Table, pandas.DataFrame or polars.DataFrame
        Columns ``code`` (canonical identifier), ``dotless``, ``kind``
        (chapter, block, category, subcategory or code), ``title``,
        ``billable``, ``parent`` (null for a chapter), ``category`` (null
        above the category level), ``block`` (null for a chapter or a block),
        ``chapter`` and ``depth`` (0 for a chapter, 1 for a block, 2 for a
        category, ...).

    Raises
    ------
    InvalidArgumentError
        If *format* is not one of the three.

    Examples
    --------
    >>> from icd10kb.columns.release import columns_of, release_table
    >>> table = release_table(kb)
    >>> table.num_rows == len(kb)
    True
    >>> row = table.slice(columns_of(kb).position["S72.001A"], 1).to_pylist()[0]
    >>> row["dotless"], row["parent"], row["category"], row["block"], row["chapter"], row["depth"]
    ('S72001A', 'S72.001', 'S72', 'S70-S79', '19', 6)
    >>> release_table(kb, format="pandas").set_index("code").loc["L94.2", "title"]
    'Calcinosis cutis'
    """
    format = check_choice(format, _FORMATS, "table format")
    table = columns_of(kb).table
    if format == "pandas":
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if format == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table
