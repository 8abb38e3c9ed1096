"""The checks :func:`~icd10kb.columns.patients.per_patient` makes of a frame's columns and its date window."""

from __future__ import annotations

import datetime

from ..arguments import check_text
from ..errors import InvalidArgumentError

__all__ = ["BOUNDS", "check_bound", "patient_ids_error", "window_error"]

#: The types a date bound (*start*, *end*) may have, besides None.
BOUNDS = (str, int, float, datetime.date, datetime.time)


def check_bound(value: object, what: str) -> object:
    """A bound of the date window: None, text, a number or a date (a str subclass read as plain text)."""
    what = check_text(what, "what", 200)
    if value is None:
        return None
    if isinstance(value, str):
        return check_text(value, what, 100)
    if type(value) is bool or not (isinstance(value, BOUNDS) or _numpy_scalar(value)):
        raise InvalidArgumentError(value, "a bound of the window is a date, a datetime, text or a number", what)
    return value


def _numpy_scalar(value: object) -> bool:
    """Whether *value* is one numpy value (a ``numpy.datetime64``, a number), not an array."""
    if type(value).__module__ != "numpy":
        return False
    import numpy

    return isinstance(value, numpy.generic)


def patient_ids_error(patient: str, exc: Exception) -> InvalidArgumentError:
    """The error for a patient column whose values cannot be grouped (*exc* says why)."""
    patient = check_text(patient, "patient column", 1000)
    reason = f"patient identifiers are text, numbers or dates, not what this column holds ({_said(exc)})"
    return InvalidArgumentError(patient, reason, "patient column")


def window_error(start: object, end: object, date: str, exc: Exception) -> InvalidArgumentError:
    """The error for window bounds that the date column's values cannot be compared with."""
    date = check_text(date, "date column", 1000)
    reason = f"cannot be compared with the values of the column {date!r} ({_said(exc)})"
    return InvalidArgumentError((start, end), reason, "date window")


def _said(exc: object) -> str:
    """What an exception says, shortened (its type's name if its text cannot be had)."""
    if not isinstance(exc, BaseException):
        raise InvalidArgumentError(exc, "an exception", "exc")
    try:
        text = str(exc)
    except Exception:  # an exception whose own __str__ raises
        return type(exc).__name__
    return text[:120] if type(text) is str else type(exc).__name__
