"""Per patient: from a long table of (patient, code[, poa][, date]) rows to one row per patient.

:func:`per_patient` takes a pandas or polars DataFrame and a grouper (a
comorbidity index such as ``"charlson-quan2005"``, ``"elixhauser-quan2005"``,
``"cmr-v2026.1"``, or a CMS-HCC map such as ``"cms-hcc-v28-py2026"``; see
:func:`icd10kb.groupers.available`) and returns one row per patient, in the
order patients first appear:

- ``output="flags"``: one boolean column per group (null when the group
  needs a present-on-admission indicator that the table does not give), and
  one ``score_<name>`` column per weight set of the grouper;
- ``output="set"``: a ``groups`` list column (HCCs in numeric order).

How it is done, and why it is fast: the code column is encoded once per
distinct value (:mod:`.adapters`), each distinct code is looked up in the
map once, the (row, group) pairs are produced by one vectorised expansion
(a join of the rows with the map), marked into a patients x groups boolean
matrix, and the hierarchy and weights are then a handful of whole-matrix
operations. The rules are those of :mod:`icd10kb.groupers` (its plain-Python
``per_patient`` is the reference the tests compare with): a code counts by
its dotless key, so codes that the map lists but the release lacks still
count; POA indicators ``Y``, ``W``, ``1``, ``E`` mean present, ``N`` and
``U`` not, blank unknown; hierarchy pairs are tested against the groups found
before any is dropped. Malformed codes and nulls are skipped, never raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..arguments import check_bool, check_choice, check_int, check_text
from ..errors import InvalidArgumentError
from ..groupers.base import as_list
from .adapters import encode, kind_of
from .frame_checks import check_bound, patient_ids_error, window_error
from .groupmap import Prepared, prepared_for
from .release import ReleaseColumns

if TYPE_CHECKING:
    from ..kb import KnowledgeBase

__all__ = ["POA_VALUES", "Grouped", "group_patients", "per_patient"]

#: The present-on-admission indicators accepted (after stripping and upper-casing; None is "").
POA_VALUES = ("Y", "W", "N", "U", "1", "E", "")
_PRESENT = frozenset({"Y", "W", "1", "E"})
_NOT_PRESENT = frozenset({"N", "U"})
_OUTPUTS = ("flags", "set")
#: The most patients grouped at once (the result is a patients x groups matrix).
MAX_PATIENTS = 50_000_000


class Grouped:
    """The result of grouping, before it is made a DataFrame.

    Attributes
    ----------
    groups:
        Boolean matrix, patients x groups, after the hierarchy.
    unassessed:
        Boolean matrix: groups matched only by codes whose POA was needed but not given.
    prepared:
        The :class:`~icd10kb.columns.groupmap.Prepared` grouper.
    """

    def __init__(self, groups: Any, unassessed: Any, prepared: Prepared) -> None:
        self.groups = groups
        self.unassessed = unassessed
        self.prepared = prepared

    def scores(self) -> dict[str, Any]:
        """Score name -> float vector over patients."""
        matrix = self.groups.astype("float64")
        return {name: matrix @ vector for name, vector in self.prepared.weights.items()}

    def lists(self) -> Any:
        """The groups of each patient as a pyarrow list array (in the grouper's order)."""
        import numpy as np
        import pyarrow as pa

        patients, columns = np.nonzero(self.groups)
        offsets = np.zeros(self.groups.shape[0] + 1, np.int32)
        np.cumsum(np.bincount(patients, minlength=self.groups.shape[0]), out=offsets[1:])
        names = pa.array(self.prepared.groups, pa.string())
        return pa.ListArray.from_arrays(pa.array(offsets), names.take(pa.array(columns)))


def _poa_codes(values: Any) -> Any:
    """POA indicator per row as a small integer (index in POA_VALUES), each distinct value checked once."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = values.to_arrow() if hasattr(values, "to_arrow") else pa.array(values, from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
        uniques = encoded.dictionary.to_pylist()
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # objects of other types: each read on its own
        return np.array([POA_VALUES.index(_poa_text(v)) for v in as_list(values, "poa column", "a column")], np.int8)
    table = [POA_VALUES.index(_poa_text(value)) for value in uniques]
    table.append(POA_VALUES.index(""))
    return np.array(table, np.int8)[np.where(codes < 0, len(uniques), codes)]


def _poa_text(value: object) -> str:
    """One POA indicator of a column as its text in :data:`POA_VALUES` (null and NaN are blank), else an error."""
    if value is None or (type(value) is float and value != value):
        return ""
    if isinstance(value, str) and len(value) <= 10:
        text = str.__getitem__(value, slice(None)).strip().upper()
    elif type(value) in (int, float, bool):
        text = str(value).strip().upper()
    else:
        text = "?"
    if text not in POA_VALUES:
        raise InvalidArgumentError(value, "a POA indicator is Y, W, N, U, 1, E, '' or null", "POA indicator")
    return text


def group_patients(
    patient_index: Any,
    n_patients: int,
    codes: Any,
    prepared: Prepared,
    rc: ReleaseColumns,
    poa: Any = None,
    *,
    assume_poa: bool = False,
    hierarchy: bool = True,
) -> Grouped:
    """The engine: rows (patient number, code column[, POA column]) to a :class:`Grouped`.

    *patient_index* is a numpy array of whole numbers from 0 to *n_patients* - 1, one per
    code of *codes*; *poa* (if given) a column of the same length.

    Raises
    ------
    InvalidArgumentError
        If an argument is not of that form.
    """
    import numpy as np

    n_patients = check_int(n_patients, "number of patients", 0, MAX_PATIENTS)
    check_bool(assume_poa, "assume_poa")
    check_bool(hierarchy, "hierarchy")
    if not isinstance(prepared, Prepared):
        raise InvalidArgumentError(prepared, "expected what prepare() returns", "prepared grouper")
    if not isinstance(patient_index, np.ndarray) or patient_index.ndim != 1 or patient_index.dtype.kind not in "iu":
        raise InvalidArgumentError(patient_index, "expected a numpy array of whole numbers", "patient index")
    if len(patient_index) and not (0 <= patient_index.min() and patient_index.max() < n_patients):
        raise InvalidArgumentError(patient_index, f"patient numbers run from 0 to {n_patients - 1}", "patient index")
    encoded = encode(rc, codes, kind_of(codes))
    if len(encoded.indices) != len(patient_index):
        raise InvalidArgumentError(patient_index, f"expected one patient per code ({len(encoded.indices):,})", "index")
    if poa is not None:
        if kind_of(poa) == "iterable":  # a column, not a single string or a hostile object
            poa = as_list(poa, "poa", "expected a column of POA indicators")
        if len(poa) != len(patient_index):
            raise InvalidArgumentError(poa, f"expected one POA indicator per code ({len(patient_index):,})", "poa")
    keys = encoded.keys()
    by_key = prepared.by_key
    lists = [by_key.get(k, ()) if k is not None else () for k in keys]
    counts = np.fromiter((len(g) for g in lists), np.int64, len(lists))
    flat = np.fromiter((g for gs in lists for g in gs), np.int64, int(counts.sum()))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    row_counts = counts[encoded.indices]
    rows = np.flatnonzero(row_counts)
    repeat = row_counts[rows]
    pair_rows = np.repeat(rows, repeat)
    within = np.arange(len(pair_rows)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    pair_groups = flat[np.repeat(starts[encoded.indices[rows]], repeat) + within]
    pair_patients = patient_index[pair_rows]
    shape = (n_patients, len(prepared.groups))
    found = np.zeros(shape, bool)
    unassessed = np.zeros(shape, bool)
    needs = prepared.poa_required[pair_groups]
    if needs.any():
        pair_keys = (
            [keys[u] for u in encoded.indices[pair_rows[needs]].tolist()]
            if (prepared.poa_exempt or prepared.sequela)
            else None
        )
        if poa is None and not assume_poa:
            unassessed[pair_patients[needs], pair_groups[needs]] = True
            ok = ~needs
        else:
            if poa is None:
                values = np.zeros(len(pair_rows), np.int8)  # "Y"
            else:
                values = _poa_codes(poa)[pair_rows]
            present = np.isin(values, [POA_VALUES.index(v) for v in _PRESENT])
            absent = np.isin(values, [POA_VALUES.index(v) for v in _NOT_PRESENT])
            if pair_keys is not None and prepared.poa_exempt:
                exempt = np.fromiter((k in prepared.poa_exempt for k in pair_keys), bool, len(pair_keys))
                where = np.flatnonzero(needs)[exempt]
                present[where], absent[where] = True, False
            sequela = np.zeros(len(pair_rows), bool)
            if pair_keys is not None and prepared.sequela:
                needed = np.flatnonzero(needs)
                groups_needed = pair_groups[needed].tolist()
                sequela[needed] = [(k, g) in prepared.sequela for k, g in zip(pair_keys, groups_needed)]
            not_poa = np.zeros(shape, bool)
            plain = needs & ~sequela
            not_poa[pair_patients[plain & absent], pair_groups[plain & absent]] = True
            sequela_ok = np.zeros(shape, bool)
            sequela_ok[pair_patients[sequela & present], pair_groups[sequela & present]] = True
            found |= sequela_ok & ~not_poa
            ok = ~needs | (plain & present)
    else:
        ok = np.ones(len(pair_rows), bool)
    found[pair_patients[ok], pair_groups[ok]] = True
    if hierarchy and prepared.hierarchy:
        removed = np.zeros(shape, bool)
        for high, low in prepared.hierarchy:
            removed[:, low] |= found[:, high] & found[:, low]
        found &= ~removed
    return Grouped(found, unassessed & ~found, prepared)


def _values(array: Any) -> Any:
    """An Arrow array of a polars column, a dictionary (Categorical, Enum) read as its values:
    dictionary_encode would keep its categories, used or not, in their own order."""
    import pyarrow as pa

    return array.cast(array.type.value_type) if pa.types.is_dictionary(array.type) else array


def per_patient(
    frame: Any,
    grouper: Any = "charlson-quan2005",
    kb: KnowledgeBase | None = None,
    *,
    patient: str = "patient",
    code: str = "code",
    poa: str | None = None,
    date: str | None = None,
    start: Any = None,
    end: Any = None,
    output: str | None = None,
    assume_poa: bool = False,
    hierarchy: bool = True,
) -> Any:
    """Group a long table of codes into one row per patient, in pandas or polars.

    Parameters
    ----------
    frame:
        A pandas or polars DataFrame with one row per (patient, code).
    grouper:
        A grouper name (:func:`icd10kb.groupers.available`) or a GrouperMap.
    kb:
        The knowledge base (default: ``icd10kb.load()``); its release reads the codes.
    patient, code:
        The names of the patient and code columns.
    poa:
        The name of the present-on-admission column, if any (values ``Y``,
        ``W``, ``N``, ``U``, ``1``, ``E``, blank or null).
    date, start, end:
        The name of a date column, and the first and last dates to keep
        (inclusive; either may be None). Without *date*, *start* and *end*
        must be None.
    output:
        ``"flags"`` (one boolean column per group and one ``score_<name>``
        column per weight set) or ``"set"`` (a ``groups`` list column).
        Default: ``"flags"`` for a comorbidity index (weights or POA rules), else ``"set"`` (CMS-HCC, CCSR).
    assume_poa:
        Without a *poa* column, count the POA-dependent groups as if every
        code were present on admission (otherwise their flags are null).
    hierarchy:
        Apply the grouper's hierarchy (default True).

    Returns
    -------
    pandas.DataFrame or polars.DataFrame
        One row per patient (every patient of the table, in order of first
        appearance), the patient column first.

    Raises
    ------
    InvalidArgumentError
        For a frame that is not a pandas or polars DataFrame, a missing
        column, an unknown option or an invalid POA indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> from icd10kb.columns import per_patient
    >>> claims = pd.DataFrame({"patient": [1, 1, 2, 2, 3],
    ...                        "code": ["E11.9", "E1122", "I50.9", "junk", None]})
    >>> flags = per_patient(claims, "charlson-quan2005", kb)
    >>> flags[["patient", "diab", "diabwc", "chf", "score_charlson"]]
       patient   diab  diabwc    chf  score_charlson
    0        1  False    True  False             2.0
    1        2  False   False   True             1.0
    2        3  False   False  False             0.0
    """
    patient, code = check_text(patient, "patient column", 1000), check_text(code, "code column", 1000)
    poa = check_text(poa, "poa column", 1000) if poa is not None else None
    date = check_text(date, "date column", 1000) if date is not None else None
    start, end = check_bound(start, "start"), check_bound(end, "end")
    if output is not None:
        output = check_choice(output, _OUTPUTS, "output")
    check_bool(assume_poa, "assume_poa flag")
    check_bool(hierarchy, "hierarchy flag")
    kind = type(frame).__module__.split(".")[0]
    if kind not in ("pandas", "polars") or type(frame).__name__ != "DataFrame":
        raise InvalidArgumentError(frame, "expected a pandas or polars DataFrame", "table")
    names = [str.__getitem__(c, slice(None)) for c in frame.columns if isinstance(c, str)]
    for role, name in (("patient", patient), ("code", code), ("poa", poa), ("date", date)):
        if name is not None and name not in names:
            raise InvalidArgumentError(
                name, f"no such column (the {role} column); columns: {', '.join(names)}", "column"
            )
    if date is None and (start is not None or end is not None):
        raise InvalidArgumentError((start, end), "start and end need a date column", "date window")
    rc, prepared, output = prepared_for(grouper, kb, output)
    if kind == "pandas":
        return _pandas(frame, rc, prepared, patient, code, poa, date, start, end, output, assume_poa, hierarchy)
    return _polars(frame, rc, prepared, patient, code, poa, date, start, end, output, assume_poa, hierarchy)


def _pandas(
    frame: Any,
    rc: ReleaseColumns,
    prepared: Prepared,
    patient: str,
    code: str,
    poa: str | None,
    date: str | None,
    start: Any,
    end: Any,
    output: str,
    assume_poa: bool,
    hierarchy: bool,
) -> Any:
    import pandas as pd

    try:
        patients_index, patients = pd.factorize(frame[patient], use_na_sentinel=False)
    except Exception as exc:  # the values' own hashing and equality: anything a user's object raises
        raise patient_ids_error(patient, exc) from None
    codes, poas = frame[code], (frame[poa] if poa is not None else None)
    if date is not None and (start is not None or end is not None):
        keep = pd.Series(True, index=frame.index)
        try:
            if start is not None:
                keep &= frame[date] >= start
            if end is not None:
                keep &= frame[date] <= end
        except Exception as exc:  # a bound the column's values cannot be compared with (their own errors too)
            raise window_error(start, end, date, exc) from None
        keep = keep.fillna(False).to_numpy(bool)
        patients_index, codes = patients_index[keep], codes[keep]
        poas = poas[keep] if poas is not None else None
    grouped = group_patients(
        patients_index, len(patients), codes, prepared, rc, poas, assume_poa=assume_poa, hierarchy=hierarchy
    )
    result = pd.DataFrame({patient: patients})
    if output == "set":
        result["groups"] = pd.Series(pd.arrays.ArrowExtensionArray(grouped.lists()))
        return result
    columns: dict[str, Any] = {}
    for i, group in enumerate(prepared.groups):
        values = pd.array(grouped.groups[:, i], dtype="boolean")
        if grouped.unassessed[:, i].any():
            values[grouped.unassessed[:, i]] = pd.NA
        columns[group] = values
    for name, scores in grouped.scores().items():
        columns[f"score_{name}"] = scores
    return pd.concat([result, pd.DataFrame(columns)], axis=1)


def _polars(
    frame: Any,
    rc: ReleaseColumns,
    prepared: Prepared,
    patient: str,
    code: str,
    poa: str | None,
    date: str | None,
    start: Any,
    end: Any,
    output: str,
    assume_poa: bool,
    hierarchy: bool,
) -> Any:
    import polars as pl
    import pyarrow.compute as pc

    if date is not None and (start is not None or end is not None):
        condition = pl.lit(True)
        if start is not None:
            condition &= pl.col(date) >= start
        if end is not None:
            condition &= pl.col(date) <= end
        try:
            kept = frame.filter(condition.fill_null(False))
        except Exception as exc:  # as for pandas (polars' own errors, or a bound it cannot read)
            raise window_error(start, end, date, exc) from None
    else:
        kept = frame
    if frame.schema[patient] == pl.Object:  # Python objects: Arrow would see their addresses, not their values
        raise patient_ids_error(patient, TypeError("a column of Python objects (pl.Object)"))
    try:  # the null patient is a patient, as in pandas; patients in order of first appearance
        everyone = pc.dictionary_encode(_values(frame[patient].to_arrow()), null_encoding="encode")
        patients = everyone.dictionary
        if kept is frame:
            index = everyone.indices
        else:
            index = pc.index_in(_values(kept[patient].to_arrow()), value_set=patients, skip_nulls=False)
    except Exception as exc:  # what Arrow cannot encode (a nested type it has no dictionary for)
        raise patient_ids_error(patient, exc) from None
    grouped = group_patients(
        index.to_numpy(zero_copy_only=False),
        len(patients),
        kept[code],
        prepared,
        rc,
        kept[poa] if poa is not None else None,
        assume_poa=assume_poa,
        hierarchy=hierarchy,
    )
    result = pl.DataFrame({patient: pl.Series(patient, patients)})
    if output == "set":
        return result.with_columns(pl.Series("groups", grouped.lists()))
    columns = []
    for i, group in enumerate(prepared.groups):
        values = pl.Series(group, grouped.groups[:, i])
        if grouped.unassessed[:, i].any():
            values = pl.select(
                pl.when(pl.Series(grouped.unassessed[:, i])).then(None).otherwise(values).alias(group)
            ).to_series()
        columns.append(values)
    for name, scores in grouped.scores().items():
        columns.append(pl.Series(f"score_{name}", scores))
    return result.with_columns(columns)
