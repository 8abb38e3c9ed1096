"""The errors of the history functions (all are :class:`~icd10kb.errors.ICD10KBError`)."""

from __future__ import annotations

from ..errors import ICD10KBError

__all__ = ["ReleaseNotShippedError"]


class ReleaseNotShippedError(ICD10KBError, LookupError):
    """No knowledge base is shipped for the release in force on a date.

    Attributes
    ----------
    date:
        The date asked about (ISO text).
    release:
        The release in force then, or None when there is none (before
        2015-10-01, after FY2027).
    shipped:
        The names of the knowledge bases that are shipped.
    """

    def __init__(self, date: str, release: str | None, shipped: tuple[str, ...], hint: str = "") -> None:
        self.date = date
        self.release = release
        self.shipped = shipped
        what = f"the release in force, {release}, is not shipped" if release else "no ICD-10-CM release is known"
        super().__init__(f"on {date} {what}; shipped: {', '.join(shipped)}{hint}")
