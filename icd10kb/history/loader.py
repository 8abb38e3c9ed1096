"""The knowledge base of the release in force on a date, and the FY2027 release.

The FY2027 release is shipped as the dataset ``icd10cm-2027`` (kind
``derived-release``: built from 2026-04-01 and the official FY2027 addenda,
see :mod:`icd10kb.history.addenda`). Until ``icd10kb.load`` lists it,
:func:`load_release` opens it here. Each knowledge base is built once per
process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..arguments import check_choice
from .codes import release_for
from .errors import ReleaseNotShippedError
from .timeline import SLOTS, slot_at

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase

__all__ = ["DERIVED", "load_for_date", "load_release", "shipped", "shipped_for_date"]

#: Shipped releases that ``icd10kb.load`` does not (yet) list: name -> dataset.
DERIVED = {"2027": "icd10cm-2027"}


def shipped() -> tuple[str, ...]:
    """Every shipped release a knowledge base can be loaded for, newest first.

    Examples
    --------
    >>> shipped()[:2]
    ('2027', '2026-04-01')
    """
    import icd10kb

    return icd10kb.releases()


def load_release(name: object) -> KnowledgeBase:
    """The shared knowledge base of the shipped release *name* (``icd10kb.load(name)``).

    Raises
    ------
    UnknownReleaseError
        If no such release is shipped.

    Examples
    --------
    >>> kb27 = load_release("2027")
    >>> kb27.title("D69.11"), kb27.is_billable("D69.1")
    ('Glanzmann thrombasthenia', False)
    """
    import icd10kb

    return icd10kb.load(name)  # type: ignore[arg-type]


def load_for_date(date: object, *, fallback: str = "error") -> KnowledgeBase:
    """The knowledge base of the release in force on *date*.

    Parameters
    ----------
    date:
        A ``datetime.date`` or ``"YYYY-MM-DD"`` (a ``datetime`` counts as its date).
    fallback:
        ``"error"`` (default): raise when that release is not shipped.
        ``"same-year"``: then use the newest shipped release of the same
        fiscal year (FY2021 October → ``"2021"``, FY2025 October →
        ``"2025-04-01"``, FY2026 October → ``"2026-04-01"``); still an error
        when the fiscal year has none.

    Raises
    ------
    ReleaseNotShippedError
        If no shipped release fits.
    InvalidArgumentError
        If *date* or *fallback* is not valid.

    Examples
    --------
    >>> load_for_date("2026-10-01").release.name
    '2027'
    >>> load_for_date("2025-11-15", fallback="same-year").release.name
    '2026-04-01'
    """
    return load_release(shipped_for_date(date, fallback=fallback))  # checks both before any work


def shipped_for_date(date: object, *, fallback: str = "error") -> str:
    """The name of the shipped release in force on *date* (see :func:`load_for_date` for *fallback*).

    Examples
    --------
    >>> shipped_for_date("2026-12-06"), shipped_for_date("2025-06-30")
    ('2027', '2025-04-01')
    """
    fallback = check_choice(fallback, ("error", "same-year"), "fallback")
    answer = release_for(date)
    if answer.shipped is not None:
        return answer.shipped
    index = slot_at(answer.date)
    if fallback == "same-year" and index is not None:
        same = [s.shipped for s in SLOTS if s.fiscal_year == answer.fiscal_year and s.shipped]
        if same:
            return same[-1]
    hint = "; fallback='same-year' uses the shipped release of the same fiscal year" if fallback == "error" else ""
    raise ReleaseNotShippedError(answer.date.isoformat(), answer.release, shipped(), hint)
