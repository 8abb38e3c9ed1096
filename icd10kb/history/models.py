"""The frozen results of the history functions: a code's history, the release in force, a diff.

Imported only when a history function first builds a result, so that
``import icd10kb`` does not import pydantic.
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CodeHistory",
    "DeletedCode",
    "ReleaseDiff",
    "ReleaseInForce",
    "ReleaseStatus",
    "Retitled",
    "Status",
]

Status = Literal["billable", "header", "absent", "unknown"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReleaseStatus(_Frozen):
    """What one release says about one code."""

    release: str = Field(description="The release: 'FY2016' … 'FY2027' (October), or the date of an update.")
    fiscal_year: int = Field(description="The US fiscal year the release belongs to (it starts on October 1).")
    effective: datetime.date = Field(description="The day the release took effect.")
    status: Status = Field(
        description="'billable', 'header' (valid as a category or subcategory, not billable), 'absent' "
        "(not a code of that release) or 'unknown' (no file for the release, and the releases on both "
        "sides disagree)."
    )
    inferred: bool = Field(
        description="True when the release has no file and the status is that of the releases on both sides."
    )
    title: str | None = Field(description="The code's title in that release; None where absent or not given.")
    source: Literal["official", "derived", "none"] = Field(
        description="What the release was read from: an official file, a table derived from one, or nothing."
    )


class CodeHistory(_Frozen):
    """A code's status and title in every release from FY2016 to FY2027."""

    code: str = Field(description="The code, dotted ('D69.1').")
    releases: tuple[ReleaseStatus, ...] = Field(description="One entry per release, oldest first.")

    def _names(self, *statuses: str) -> tuple[str, ...]:
        return tuple(r.release for r in self.releases if r.status in statuses)

    @property
    def valid_in(self) -> tuple[str, ...]:
        """The releases in which the code was valid (billable or header), inferred ones included."""
        return self._names("billable", "header")

    @property
    def billable_in(self) -> tuple[str, ...]:
        """The releases in which the code was billable, inferred ones included."""
        return self._names("billable")

    @property
    def header_in(self) -> tuple[str, ...]:
        """The releases in which the code was a header, inferred ones included."""
        return self._names("header")

    @property
    def unknown_in(self) -> tuple[str, ...]:
        """The releases for which nothing can be said (no file, neighbours disagree)."""
        return self._names("unknown")

    @property
    def titles(self) -> tuple[tuple[str, str], ...]:
        """``(release, title)`` where the title changes, oldest first."""
        out: list[tuple[str, str]] = []
        for entry in self.releases:
            if entry.title is not None and (not out or out[-1][1] != entry.title):
                out.append((entry.release, entry.title))
        return tuple(out)


class ReleaseInForce(_Frozen):
    """The release in force on a date."""

    date: datetime.date = Field(description="The date asked about.")
    fiscal_year: int | None = Field(description="Its US fiscal year; None before ICD-10-CM (2015-10-01).")
    release: str | None = Field(description="The release in force; None before 2015-10-01 or after FY2027.")
    effective: datetime.date | None = Field(description="The day that release took effect.")
    has_file: bool = Field(description="Whether the history has a file for that release.")
    shipped: str | None = Field(
        description="The name of the shipped knowledge base holding exactly that release, if any."
    )
    note: str = Field(description="What to know about the answer (no file, not yet known, before ICD-10-CM).")


class DeletedCode(_Frozen):
    """A code valid in the first release of a diff and not valid, or no longer billable, in the second."""

    code: str = Field(description="The code, dotted.")
    title: str | None = Field(description="Its title in the first release.")
    now: Literal["absent", "header"] = Field(
        description="'absent': no longer a code; 'header': kept as a header with new codes below it."
    )
    content_to: tuple[str, ...] = Field(
        description="Where the files show its content went: the new billable codes below it in the second "
        "release. Empty when the files do not say."
    )


class Retitled(_Frozen):
    """A code whose title changed between two releases."""

    code: str = Field(description="The code, dotted.")
    before: str = Field(description="Its title in the first release.")
    after: str = Field(description="Its title in the second release.")


class ReleaseDiff(_Frozen):
    """What changed between two releases."""

    a: str = Field(description="The first release.")
    b: str = Field(description="The second release.")
    added: tuple[str, ...] = Field(description="Codes valid in b and not in a (billable or header), dotted.")
    deleted: tuple[DeletedCode, ...] = Field(
        description="Codes valid in a that are no longer codes in b, and billable codes of a that are headers in b."
    )
    retitled: tuple[Retitled, ...] = Field(
        description="Codes whose titles differ (letters compared without accents and runs of spaces as one: "
        "the order files write 'Sezary' where the tabular XML writes 'Sézary')."
    )
    billable_to_header: tuple[str, ...] = Field(description="Codes billable in a and headers in b.")
    header_to_billable: tuple[str, ...] = Field(description="Codes that are headers in a and billable in b.")
    unknown: tuple[str, ...] = Field(
        description="Codes whose status in a or b is unknown (a release without a file), left out of the rest."
    )
    untitled: int = Field(
        description="How many codes valid in both releases have no title in one of them (FY2024 headers, "
        "releases without a file whose neighbours' titles differ), so could not be compared."
    )
