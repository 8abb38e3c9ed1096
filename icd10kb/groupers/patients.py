"""Per-patient grouping in plain Python: from (patient, code[, poa]) rows to one result per patient.

For whole tables in pandas, polars, DuckDB or Spark, join the :func:`~icd10kb.groupers.mapping`
of a grouper instead; this is the reference implementation they are tested against, and the
simple path for a few thousand patients.

Examples
--------
>>> rows = [("p1", "I21.9"), ("p1", "E11.22"), ("p2", "I50.9"), ("p2", "junk!")]
>>> result = per_patient(rows, grouper="charlson-quan2005", errors="skip")
>>> result["p1"].groups, result["p2"].groups
(('ami', 'diabwc'), ('chf',))
>>> per_patient(rows[:3], grouper="cms-hcc-v28-py2026")["p2"].hccs
('HCC226',)
>>> per_patient(rows[:3], grouper="ccsr-v2025.1")
{'p1': ('CIR009', 'END003', 'END005', 'GEN003'), 'p2': ('CIR019',)}
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import uuid
from collections.abc import Hashable, Iterable
from typing import Any

from ..arguments import check_bool
from ..errors import InvalidArgumentError, InvalidCodeError
from .base import as_list, check_choice, code_key
from .comorbidity import poa_indicator
from .maps import available

__all__ = ["GROUPERS", "per_patient"]

#: The groupers :func:`per_patient` applies: the CCSR versions, the comorbidity indices and the CMS-HCC models.
GROUPERS = tuple(n for n in available() if not n.startswith("gems-"))


def per_patient(
    rows: Iterable[Any],
    grouper: str = "charlson-quan2005",
    *,
    errors: str = "raise",
    assume_poa: bool = False,
    hierarchy: bool = True,
) -> dict[Hashable, Any]:
    """Group each patient's codes; return ``{patient: result}`` in first-seen order of the patients.

    Parameters
    ----------
    rows:
        ``(patient, code)`` or ``(patient, code, poa)`` rows (tuples or lists), in a list, tuple,
        generator or other iterable. A patient is text, a number, a date or time, a UUID, ``None``
        or a tuple of these (types whose hash and equality are the interpreter's own).
        With a CMR grouper and 3-field rows, POA indicators are used; with 2-field rows the
        POA-dependent measures are unassessed unless *assume_poa*.
    grouper:
        One of :data:`GROUPERS`: ``"charlson-quan2005"``, ``"elixhauser-quan2005"``,
        ``"cmr-v2026.1"`` (results: :class:`~icd10kb.groupers.models.Comorbidities`), a
        ``"cms-hcc-<model>-py<year>"`` map (results: :class:`~icd10kb.groupers.models.HCCAssignment`),
        or ``"ccsr-v2023.1"`` / ``"ccsr-v2025.1"`` (results: the patient's distinct CCSR categories,
        sorted; codes the CCSR does not map are left out).
    errors:
        ``"raise"`` (default): a malformed code raises :class:`~icd10kb.errors.InvalidCodeError`
        naming the row; ``"skip"``: malformed codes and missing codes (``None``) are left out.
    assume_poa, hierarchy:
        As for :func:`~icd10kb.groupers.comorbidity.flags` (comorbidity groupers only).

    Notes
    -----
    Cost is linear in the number of rows; each distinct code is checked once.
    """
    grouper = check_choice(grouper, GROUPERS, "per-patient grouper")
    errors = check_choice(errors, ("raise", "skip"), "errors option")
    check_bool(assume_poa, "assume_poa")
    check_bool(hierarchy, "hierarchy")
    listed = as_list(rows, "rows", "pass an iterable of (patient, code[, poa]) rows")
    keys: dict[str, str | None] = {}
    codes: dict[Hashable, list[str]] = {}
    poas: dict[Hashable, list[str]] = {}
    with_poa: bool | None = None
    for number, row in enumerate(listed, start=1):
        if not isinstance(row, (tuple, list)):
            raise InvalidArgumentError(row, f"row {number} is not (patient, code[, poa])", "row")
        fields = list(tuple.__iter__(row) if isinstance(row, tuple) else list.__iter__(row))
        if len(fields) not in (2, 3):
            raise InvalidArgumentError(row, f"row {number} is not (patient, code[, poa])", "row")
        if with_poa is None:
            with_poa = len(fields) == 3
        elif with_poa != (len(fields) == 3):
            raise InvalidArgumentError(row, f"row {number}: every row has a POA field, or none does", "row")
        patient, code = _patient(fields[0], number), fields[1]
        key = _key(code, number, errors, keys)
        patient_codes = codes.setdefault(patient, [])
        if key is None:
            continue
        patient_codes.append(key)
        if with_poa:
            try:
                indicator = poa_indicator(fields[2])
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(fields[2], f"row {number}: {exc.reason}", "POA indicator") from None
            poas.setdefault(patient, []).append(indicator)
    return _group(grouper, codes, poas if with_poa else None, assume_poa, hierarchy)


#: The types a patient may be (and tuples of them).
_PATIENT_TYPES = (int, float, bytes, datetime.date, datetime.time, decimal.Decimal, uuid.UUID)
_TRUSTED_HASH = frozenset({"datetime", "decimal", "_decimal", "uuid"})


def _patient(value: object, number: int) -> Hashable:
    """*value* as a dictionary key, if its type's hash and equality can be trusted, else an error naming the row."""
    if isinstance(value, tuple):
        return tuple(_patient(v, number) for v in tuple.__iter__(value))
    if isinstance(value, str):
        return str.__getitem__(value, slice(None))
    kind = type(value)
    own = not any(inspect.isfunction(getattr(kind, name, None)) for name in ("__hash__", "__eq__"))
    if value is None or (isinstance(value, _PATIENT_TYPES) and (own or kind.__module__ in _TRUSTED_HASH)):
        return value
    if kind.__module__ == "numpy" and own:  # numpy's scalars
        return value
    raise InvalidArgumentError(
        value, f"row {number}: a patient is text, a number, a date, a UUID or a tuple of them", "patient"
    )


def _key(code: object, number: int, errors: str, keys: dict[str, str | None]) -> str | None:
    """The dotless key of *code* (cached by its text), None for a code skipped; or an error naming the row."""
    text = str.__getitem__(code, slice(None)) if isinstance(code, str) else None
    if text is not None and text in keys:
        return keys[text]
    try:
        key: str | None = code_key(code if text is None else text)
    except InvalidCodeError as exc:
        if errors == "raise" and code is not None:
            raise InvalidCodeError(code, f"row {number}: {exc.reason}") from None
        key = None
    if text is not None:
        keys[text] = key
    return key


def _group(
    grouper: str,
    codes: dict[Hashable, list[str]],
    poas: dict[Hashable, list[str]] | None,
    assume_poa: bool,
    hierarchy: bool,
) -> dict[Hashable, Any]:
    if grouper.startswith("ccsr-"):
        from .ccsr import _table

        table = _table(grouper[len("ccsr-") :]).codes
        empty: tuple[tuple[str, str, str], ...] = ()
        return {
            p: tuple(sorted({entry[0] for key in keys for entry in table.get(key, empty)})) for p, keys in codes.items()
        }
    if grouper.startswith("cms-hcc-"):
        from .hcc import evaluate as hcc_evaluate

        _, _, model, year = grouper.split("-")
        return {p: hcc_evaluate(model.upper(), int(year[2:]), keys) for p, keys in codes.items()}
    from .comorbidity import evaluate, index

    idx = index(grouper)
    cache: dict[str, tuple[str, ...]] = {}
    out: dict[Hashable, Any] = {}
    for patient, keys in codes.items():
        indicators = poas.get(patient, []) if poas is not None else None
        if indicators is None and assume_poa:
            indicators = ["Y"] * len(keys)
        out[patient] = evaluate(idx, keys, indicators, hierarchy, cache)
    return out
