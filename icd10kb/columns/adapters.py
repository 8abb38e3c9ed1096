"""Taking a column of any kind apart, and putting the answers back in the same kind.

A column is a pandas Series, a polars Series or expression, a pyarrow Array
or ChunkedArray, or any other iterable of values. :func:`encode` turns it into
one small integer per row, an index into a *universe*: the rows of the release
table (a value spelled exactly as a code of the release, canonical or
dotless, is found by one vectorised hash look-up, pyarrow ``index_in``),
followed by the distinct values that were not (found with
``dictionary_encode`` and decided once each by :mod:`.resolve`).
Dictionary-encoded input (pandas categorical, polars Categorical, Arrow
dictionary) is decided on its dictionary alone. Every answer is then a column
of the universe taken by those indices: :func:`emit` does that with the
library's own vectorised operations, keeping the pandas index and the name.
A polars expression becomes an expression that does the same on each batch of
its input (``map_batches``: one call per batch, never per row).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..arguments import check_choice
from ..errors import InvalidArgumentError
from ..groupers.base import as_list, check_iterable
from .release import ReleaseColumns
from .resolve import Resolved, resolve

__all__ = ["ANSWER_TYPES", "KINDS", "Encoded", "emit", "encode", "kind_of"]


def kind_of(column: object) -> str:
    """``"arrow"``, ``"pandas"``, ``"polars"``, ``"polars-expr"`` or ``"iterable"``.

    Decided by the type's module, so that no dataframe library is imported to
    look at a column that is not one of its own.

    Raises
    ------
    InvalidArgumentError
        For a single string or bytes (a column is needed) or a non-iterable.

    Examples
    --------
    >>> kind_of(["L94.2"]), kind_of(("L94.2",)), kind_of(x for x in "")
    ('iterable', 'iterable', 'iterable')
    >>> kind_of("L94.2")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: 'L94.2' is not a valid column: pass a list, Series or array (for one code ...
    """
    module = type(column).__module__.split(".")[0]
    if module == "pyarrow":
        import pyarrow as pa

        if isinstance(column, (pa.Array, pa.ChunkedArray)):
            return "arrow"
    elif module == "pandas":
        import pandas as pd

        if isinstance(column, pd.Series):
            return "pandas"
    elif module == "polars":
        import polars as pl

        if isinstance(column, pl.Series):
            return "polars"
        if isinstance(column, pl.Expr):
            return "polars-expr"
    if isinstance(column, (str, bytes, bytearray)):
        raise InvalidArgumentError(
            column, "pass a list, Series or array (for one code use the knowledge base)", "column"
        )
    check_iterable(column, "column", "expected a pandas/polars Series, a pyarrow array, a list or another iterable")
    return "iterable"


#: The kinds of column :func:`kind_of` tells apart.
KINDS = ("arrow", "pandas", "polars", "polars-expr", "iterable")
#: The answer types :func:`emit` puts back.
ANSWER_TYPES = ("string", "bool", "int", "status", "struct", "list")


def _check_form(column: object, form: object) -> str:
    """*form* as a plain str if it is the kind of *column*, else :class:`InvalidArgumentError`."""
    form = check_choice(form, KINDS, "column kind")
    actual = kind_of(column)
    if actual != form:
        raise InvalidArgumentError(form, f"the column is of kind {actual!r}", "column kind")
    return form


class Encoded:
    """A column as indices into the universe (release rows, then the other distinct values).

    Attributes
    ----------
    indices:
        numpy int32 array, one per row of the column.
    rows:
        numpy int64 array over the universe: the release row of each entry, -1 when none.
    status:
        numpy int8 array over the universe (see :data:`.resolve.STATUSES`).
    others:
        The answers for the distinct values outside the release (entries
        ``len(release)`` onwards).
    dictionary:
        Whether the input was dictionary-encoded (answers are then given as
        dictionary-encoded too, for Arrow).
    """

    def __init__(self, rc: ReleaseColumns, indices: Any, others: Resolved, dictionary: bool) -> None:
        import numpy as np

        self.rc = rc
        self.indices = indices
        self.others = others
        self.dictionary = dictionary
        self.rows = np.concatenate([np.arange(len(rc), dtype=np.int64), others.rows])
        release_status = rc.derived("status", lambda: np.where(rc.table["billable"].to_numpy(), 0, 1).astype(np.int8))
        self.status = np.concatenate([release_status, others.status])

    def universe_rows(self) -> Any:
        """The universe's release rows as a pyarrow int64 array, null where none."""
        import pyarrow as pa

        return pa.array(self.rows, mask=self.rows < 0)

    def keys(self) -> list[str | None]:
        """The dotless key of each universe entry, None when it is not shaped like a code.

        Release rows give their own key; the other values are read by
        :func:`icd10kb.normalize` (so a code that the release lacks still has one).
        """
        from ..classification.codes import normalize
        from ..errors import InvalidCodeError

        keys: list[str | None] = list(self.rc.key_position_inverse())
        for value in self.others.values:
            try:
                canonical = normalize(value)
            except InvalidCodeError:
                keys.append(None)
                continue
            keys.append(None if canonical.isdigit() or "-" in canonical else canonical.replace(".", ""))
        return keys

    def reasons(self) -> list[str | None]:
        """The reason of each universe entry (None when valid)."""
        rc = self.rc
        return [*self.rc.derived("reasons", lambda: _release_reasons(rc)), *self.others.reason_list()]


def _release_reasons(rc: ReleaseColumns) -> list[str | None]:
    release = rc.kb.release.name
    return [
        None if bill else f"a {kind} of ICD-10-CM {release}, not billable: a claim needs one of its codes"
        for bill, kind in zip(rc.billable, rc.table["kind"].to_pylist())
    ]


def _spellings(rc: ReleaseColumns) -> tuple[Any, Any]:
    """Every exact spelling looked up in one pass (canonical and dotless codes), with its release row."""

    def build() -> tuple[Any, Any]:
        import numpy as np
        import pyarrow as pa

        names: list[str] = []
        rows: list[int] = []
        for dotless, row in rc.key_position.items():
            names.append(rc.codes[row])
            rows.append(row)
            if dotless != rc.codes[row]:
                names.append(dotless)
                rows.append(row)
        return pa.array(names, pa.string()), np.array(rows, np.int32)

    return rc.derived("spellings", build)  # type: ignore[no-any-return]


def _to_arrow(column: Any, kind: str) -> Any:
    """The column as a pyarrow array, or a list when Arrow cannot hold it as strings."""
    import pyarrow as pa

    if kind == "arrow":
        return column
    if kind == "polars":
        return column.to_arrow()
    if kind == "pandas":
        if str(column.dtype) == "category":
            cat = column.array
            dictionary = pa.array(cat.categories, from_pandas=True)
            return pa.DictionaryArray.from_arrays(pa.array(cat.codes, mask=cat.codes < 0), dictionary)
        try:
            return pa.array(column, from_pandas=True, type=pa.large_string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return list(column)
    items = list(column)
    try:
        return pa.array(items, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        return items


def _spelling_rows(rc: ReleaseColumns) -> dict[str, int]:
    """Exact spelling (canonical or dotless code) -> release row, as a dict for small columns."""

    def build() -> dict[str, int]:
        names, rows = _spellings(rc)
        return dict(zip(names.to_pylist(), rows.tolist()))

    return rc.derived("spelling_rows", build)  # type: ignore[no-any-return]


#: Scalar types whose hash and equality are the interpreter's own: equal values are decided once.
_SCALARS = frozenset({int, float, bool, complex, bytes, type(None)})


def _distinct_key(item: object) -> object:
    """A dictionary key standing for *item*, or None when it must be decided on its own.

    Text is keyed by its plain ``str`` (a subclass's ``__hash__`` never runs); a few
    built-in scalars by ``(type, value)``; anything else (a hostile object, a list)
    is never hashed.
    """
    if isinstance(item, str):
        return str.__getitem__(item, slice(None))
    kind = type(item)
    if kind in _SCALARS or (kind.__module__ == "numpy" and not isinstance(item, Iterable)):
        return (kind, item)
    return None


def _encode_list(rc: ReleaseColumns, items: list[Any]) -> Encoded:
    """Small columns and values of any type: distinct ones found with a dict, the rest decided one by one."""
    import numpy as np

    spelled = _spelling_rows(rc)
    base = len(rc)
    position: dict[Any, int] = {}
    distinct: list[Any] = []
    where = np.empty(len(items), np.int32)
    for i, item in enumerate(items):
        key = _distinct_key(item)
        found = position.get(key) if key is not None else None
        if found is None:
            row = spelled.get(key) if type(key) is str else None
            if row is not None:
                found = row
            else:
                found = base + len(distinct)
                distinct.append(key if type(key) is str else item)
            if key is not None:
                position[key] = found
        where[i] = found
    return Encoded(rc, where, resolve(rc, distinct), False)


#: Columns shorter than this are encoded with a Python dict (no hash table of the release to build).
SMALL = 20_000


def encode(rc: ReleaseColumns, column: object, form: str) -> Encoded:
    """Turn *column* into indices into the universe, deciding each distinct value once.

    *form* is the column's kind, as :func:`kind_of` tells it.

    Raises
    ------
    InvalidArgumentError
        If *rc* is not a :class:`~icd10kb.columns.release.ReleaseColumns`, or *form* not the kind of *column*.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(rc, ReleaseColumns):
        raise InvalidArgumentError(rc, "expected the ReleaseColumns of columns_of(kb)", "release columns")
    kind = _check_form(column, form)
    if kind == "polars-expr":
        raise InvalidArgumentError(column, "an expression is answered batch by batch (map_batches)", "column")
    if kind == "iterable":
        return _encode_list(rc, as_list(column, "column", "expected a list or another iterable"))
    data = _to_arrow(column, kind)
    if isinstance(data, list):
        return _encode_list(rc, data)
    if len(data) < SMALL and not pa.types.is_dictionary(data.type):
        return _encode_list(rc, data.to_pylist())
    if isinstance(data, pa.ChunkedArray):
        data = data.combine_chunks() if data.num_chunks != 1 else data.chunk(0)
    if pa.types.is_dictionary(data.type):
        values = data.dictionary
        inner = encode(rc, values, "arrow") if len(values) else None
        codes = data.indices.cast(pa.int64()).fill_null(-1).to_numpy(zero_copy_only=False)
        others = inner.others if inner is not None else resolve(rc, [])
        mapping = inner.indices if inner is not None else np.empty(0, np.int32)
        null = resolve(rc, [None])
        merged = Resolved(
            rc,
            np.concatenate([others.rows, null.rows]),
            np.concatenate([others.status, null.status]),
            {**others.reasons, len(others): "missing value"},
            [*others.values, None],
        )
        null_index = len(rc) + len(others)
        indices = np.append(mapping, null_index).astype(np.int32)[codes]
        return Encoded(rc, indices, merged, True)
    if not (pa.types.is_string(data.type) or pa.types.is_large_string(data.type)):
        if pa.types.is_string_view(data.type):
            data = data.cast(pa.large_string())
        else:
            return _encode_list(rc, data.to_pylist())
    names, name_rows = _spellings(rc)
    found = pc.index_in(data, value_set=names)
    missing = found.is_null()
    found = found.fill_null(0).to_numpy(zero_copy_only=False)
    indices = name_rows[found]
    if not found.size or not pc.any(missing).as_py():
        return Encoded(rc, indices, resolve(rc, []), False)
    miss = np.flatnonzero(missing.to_numpy(zero_copy_only=False))
    rest = pc.dictionary_encode(data.take(pa.array(miss)))
    distinct = pa.concat_arrays([rest.dictionary.cast(pa.string()), pa.nulls(1, pa.string())])
    codes = rest.indices.fill_null(len(rest.dictionary)).to_numpy(zero_copy_only=False)
    indices[miss] = len(rc) + codes
    return Encoded(rc, indices, resolve(rc, distinct), False)


def emit(column: Any, form: str, encoded: Encoded, answers: Any, polars_type: str) -> Any:
    """Put the answers (a pyarrow array over the universe) back as a column of the kind of *column*.

    *form* is the column's kind (:func:`kind_of`); *polars_type* names the answer type:
    ``"string"`` (answers as categorical in pandas and polars), ``"bool"``, ``"int"``,
    ``"status"``, ``"struct"`` or ``"list"``.

    Raises
    ------
    InvalidArgumentError
        If an argument is not of that form: *encoded* made by :func:`encode` from a column
        of the length of *column*, *answers* a pyarrow array (a struct array for ``"struct"``)
        with one answer per entry of the universe.
    """
    import pyarrow as pa

    polars_type = check_choice(polars_type, ANSWER_TYPES, "answer type")
    if not isinstance(encoded, Encoded):
        raise InvalidArgumentError(encoded, "expected what encode() returns", "encoded column")
    if not isinstance(answers, pa.Array) or len(answers) != len(encoded.rows):
        raise InvalidArgumentError(answers, f"expected a pyarrow array of {len(encoded.rows):,} answers", "answers")
    if (polars_type == "struct") != isinstance(answers, pa.StructArray):
        raise InvalidArgumentError(answers, f"not answers of type {polars_type!r}", "answers")
    kind = _check_form(column, form)
    if kind == "polars-expr" or (kind != "iterable" and len(column) != len(encoded.indices)):
        raise InvalidArgumentError(column, f"expected the column of {len(encoded.indices):,} rows encoded", "column")
    indices = encoded.indices
    if kind == "iterable":
        values = answers.to_pylist()
        if polars_type == "struct":
            return [tuple(values[i].values()) for i in indices.tolist()]
        return [values[i] for i in indices.tolist()]
    if kind == "pandas":
        return _pandas(column, indices, answers, polars_type)
    names = [f.name for f in answers.type] if polars_type == "struct" else []
    if polars_type in ("string", "status"):
        if kind == "arrow" and not encoded.dictionary:
            result = answers.take(pa.array(indices))
        else:
            result = _dictionary(indices, answers)
    elif polars_type == "struct":
        result = pa.StructArray.from_arrays(
            [_dictionary(indices, answers.field(i)) for i in range(answers.type.num_fields)],
            names,
        )
    else:
        result = answers.take(pa.array(indices))
    if kind == "arrow":
        return pa.chunked_array([result]) if isinstance(column, pa.ChunkedArray) else result
    import polars as pl

    return pl.Series(column.name, result)


def _dictionary(indices: Any, answers: Any) -> Any:
    """A dictionary array with unique values (nulls as null indices)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(answers)
    small = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    codes = small[indices]
    mask = codes < 0 if (small < 0).any() else None
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask), encoded.dictionary)


def _pandas(series: Any, indices: Any, answers: Any, polars_type: str) -> Any:
    import pandas as pd

    if polars_type == "struct":
        return pd.DataFrame(
            {f.name: _pandas(series, indices, answers.field(i), "string") for i, f in enumerate(answers.type)},
            index=series.index,
        )
    if polars_type in ("string", "status"):
        result = _dictionary(indices, answers)
        array: Any = pd.Categorical.from_codes(
            result.indices.fill_null(-1).to_numpy(zero_copy_only=False), result.dictionary.to_pylist()
        )
    else:
        array = pd.arrays.ArrowExtensionArray(answers.take(indices))
    return pd.Series(array, index=series.index, name=series.name)
