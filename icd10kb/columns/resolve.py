"""Resolving the distinct values of a column: row of the release, status and reason.

Everything here works on the *distinct* values of a column (a dictionary, the
uniques of a factorisation), never on its rows. A value is first tried on a
vectorised fast path (pyarrow compute: a regular expression for the shape of a
code, upper case, dot removed, looked up among the release's dotless codes);
the few values it leaves (junk, nulls, other types, unusual white space) are
decided one by one by :func:`icd10kb.normalize` and the knowledge base, so
that the answers are exactly those of the one-code API.

Statuses
--------
``valid``
    A billable code of the release.
``header``
    A category or subcategory of the release that has codes below it: not
    billable on a claim.
``unknown``
    Shaped like a code but not in the release.
``malformed``
    Not a code at all: null, empty, wrong type, stray characters, a chapter
    number or a block range.
"""

from __future__ import annotations

from typing import Any

from ..classification.codes import MAX_INPUT_LENGTH, normalize
from ..errors import InvalidArgumentError, InvalidCodeError
from ..groupers.base import as_list
from .release import ReleaseColumns

__all__ = ["STATUSES", "Resolved", "resolve"]

#: The statuses a value can have, in the order of their numbers.
STATUSES = ("valid", "header", "unknown", "malformed")
_VALID, _HEADER, _UNKNOWN, _MALFORMED = range(4)

# The syntax of a code as icd10kb.normalize reads it, restricted to spaces
# around it; anything else goes the slow, exact way.
_FAST = r"^ *[A-Za-z][0-9A-Za-z]{2}\.?[0-9A-Za-z]{0,4} *$"
_STRING_TYPES = ("string", "large_string", "string_view")


class Resolved:
    """The answers for a list of distinct values.

    Attributes
    ----------
    rows:
        numpy int64 array: the row of the release table of each value, -1
        when it is not a code of the release.
    status:
        numpy int8 array: the index in :data:`STATUSES` of each value's status.
    values:
        The values themselves, as a list.
    reasons:
        Value index -> reason, for the values decided one by one; the others'
        reasons follow from their status (see :meth:`reason_list`).
    """

    def __init__(self, rc: ReleaseColumns, rows: Any, status: Any, reasons: dict[int, str], values: list[Any]) -> None:
        self.rc = rc
        self.values = values
        self.rows = rows
        self.status = status
        self.reasons = reasons

    def __len__(self) -> int:
        return len(self.rows)

    def reason_list(self) -> list[str | None]:
        """The reason of each value: None when valid."""
        rc = self.rc
        kinds = rc.derived("kinds", lambda: rc.table["kind"].to_pylist())
        release = rc.kb.release.name
        out: list[str | None] = []
        for i, (row, status) in enumerate(zip(self.rows.tolist(), self.status.tolist())):
            if status == _VALID:
                out.append(None)
            elif i in self.reasons:
                out.append(self.reasons[i])
            elif status == _HEADER:
                out.append(f"a {kinds[row]} of ICD-10-CM {release}, not billable: a claim needs one of its codes")
            else:
                out.append(f"not a code in ICD-10-CM {release}")
        return out


def _keys(rc: ReleaseColumns) -> tuple[Any, Any]:
    """The release's dotless codes as an Arrow array, with the row number of each."""

    def build() -> tuple[Any, Any]:
        import numpy as np
        import pyarrow as pa

        keys = list(rc.key_position)
        return pa.array(keys, pa.string()), np.fromiter(rc.key_position.values(), np.int64, len(keys))

    return rc.derived("keys", build)  # type: ignore[no-any-return]


def _one(rc: ReleaseColumns, value: object) -> tuple[int, int, str | None]:
    """(row, status, reason) of one value, decided exactly as the one-code API does."""
    if value is None:
        return -1, _MALFORMED, "missing value"
    if isinstance(value, float) and value != value:  # NaN, pandas' null in object columns
        return -1, _MALFORMED, "missing value"
    try:
        canonical = normalize(value)
    except InvalidCodeError as error:
        return -1, _MALFORMED, error.reason
    if canonical.isdigit():
        return -1, _MALFORMED, "a chapter number, not a code"
    if "-" in canonical:
        return -1, _MALFORMED, "a block of categories, not a code"
    row = rc.position.get(canonical)
    if row is None:
        return -1, _UNKNOWN, None
    return row, (_VALID if rc.billable[row] else _HEADER), None


def resolve(rc: ReleaseColumns, values: Any) -> Resolved:
    """Resolve distinct *values* (a pyarrow array or a list) to rows, statuses and reasons.

    Examples
    --------
    >>> from icd10kb.columns.release import columns_of
    >>> found = resolve(columns_of(kb), ["L94.2", "l942", "L94", "L94.7", "L9#4", None])
    >>> found.rows.tolist()[:3] == [columns_of(kb).position[c] for c in ("L94.2", "L94.2", "L94")]
    True
    >>> [STATUSES[s] for s in found.status]
    ['valid', 'valid', 'header', 'unknown', 'malformed', 'malformed']
    >>> found.reason_list()[3:]
    ['not a code in ICD-10-CM 2026-04-01', "only letters, digits, '.' and '-' may appear", 'missing value']
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(rc, ReleaseColumns):
        raise InvalidArgumentError(rc, "expected the ReleaseColumns of columns_of(kb)", "release columns")
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = as_list(values, "values", "expected a pyarrow array or a list of distinct values")
        try:
            values = pa.array(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return _slow(rc, values)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if str(values.type) not in _STRING_TYPES:
        return _slow(rc, values.to_pylist())
    keys, key_rows = _keys(rc)
    shaped = pc.and_kleene(
        pc.match_substring_regex(values, _FAST), pc.less_equal(pc.utf8_length(values), MAX_INPUT_LENGTH)
    )
    shaped = shaped.fill_null(False).to_numpy(zero_copy_only=False)
    cleaned = pc.utf8_upper(pc.replace_substring(pc.utf8_trim(values, " "), ".", ""))
    found = pc.index_in(cleaned, value_set=keys).to_numpy(zero_copy_only=False)
    found = np.nan_to_num(found, nan=-1).astype(np.int64) if found.dtype.kind == "f" else found.astype(np.int64)
    rows = np.where(shaped & (found >= 0), key_rows[np.maximum(found, 0)], -1)
    billable = rc.derived("billable_np", lambda: rc.table["billable"].to_numpy())
    status = np.where(rows >= 0, np.where(billable[rows], _VALID, _HEADER), _UNKNOWN).astype(np.int8)
    todo = ~shaped
    if not todo.any():
        return Resolved(rc, rows, status, {}, values.to_pylist())
    slow = _slow(rc, values.filter(pa.array(todo)).to_pylist())
    where = np.flatnonzero(todo)
    rows[where] = slow.rows
    status[where] = slow.status
    reasons = {int(where[i]): reason for i, reason in slow.reasons.items()}
    return Resolved(rc, rows, status, reasons, values.to_pylist())


def _slow(rc: ReleaseColumns, values: list[Any]) -> Resolved:
    """Decide each value by the one-code API."""
    import numpy as np

    n = len(values)
    rows = np.full(n, -1, np.int64)
    status = np.zeros(n, np.int8)
    reasons: dict[int, str] = {}
    for i, value in enumerate(values):
        row, state, reason = _one(rc, value)
        rows[i] = row
        status[i] = state
        if reason is not None:
            reasons[i] = reason
    return Resolved(rc, rows, status, reasons, list(values))
