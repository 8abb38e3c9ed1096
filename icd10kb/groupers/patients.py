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

from collections.abc import Hashable, Iterable
from typing import Any

from ..errors import InvalidArgumentError, InvalidCodeError
from .base import check_choice, code_key
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
        ``(patient, code)`` or ``(patient, code, poa)`` rows; a patient is any hashable value.
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
    check_choice(grouper, GROUPERS, "per-patient grouper")
    check_choice(errors, ("raise", "skip"), "errors option")
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InvalidArgumentError(rows, "pass an iterable of (patient, code[, poa]) rows", "rows")
    keys: dict[object, str | None] = {}
    codes: dict[Hashable, list[str]] = {}
    poas: dict[Hashable, list[str]] = {}
    with_poa: bool | None = None
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, (tuple, list)) or len(row) not in (2, 3):
            raise InvalidArgumentError(row, f"row {number} is not (patient, code[, poa])", "row")
        if with_poa is None:
            with_poa = len(row) == 3
        elif with_poa != (len(row) == 3):
            raise InvalidArgumentError(row, f"row {number}: every row has a POA field, or none does", "row")
        patient, code = row[0], row[1]
        try:
            key = keys[code]
        except KeyError:
            try:
                key = code_key(code)
            except InvalidCodeError as exc:
                if errors == "raise" and code is not None:
                    raise InvalidCodeError(code, f"row {number}: {exc.reason}") from None
                key = None
            except TypeError:  # unhashable codes never reach the cache
                raise InvalidCodeError(code, f"row {number}: a code is a string") from None
            keys[code] = key
        patient_codes = codes.setdefault(patient, [])
        if key is None:
            continue
        patient_codes.append(key)
        if with_poa:
            value = row[2]
            poas.setdefault(patient, []).append("" if value is None else str(value).strip().upper())
    return _group(grouper, codes, poas if with_poa else None, assume_poa, hierarchy)


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
    from .comorbidity import _POA_VALUES, evaluate, index

    idx = index(grouper)
    cache: dict[str, tuple[str, ...]] = {}
    out: dict[Hashable, Any] = {}
    for patient, keys in codes.items():
        indicators = poas.get(patient, []) if poas is not None else None
        if indicators is not None:
            for value in indicators:
                if value not in _POA_VALUES:
                    raise InvalidArgumentError(
                        value, "a POA indicator is Y, W, N, U, 1, E, '' or None", "POA indicator"
                    )
        elif assume_poa:
            indicators = ["Y"] * len(keys)
        out[patient] = evaluate(idx, keys, indicators, hierarchy, cache)
    return out
