"""Codes through time: the history of every code FY2016-FY2027, the release in force on a date, diffs.

The functions here read the compiled history (dataset ``icd10cm-history``)
on first use; nothing is read when the package is imported.

- :func:`history`: a code's status (billable, header, absent, unknown) and
  title in every release, deleted codes included;
- :func:`release_for`, :func:`valid_on`, :func:`valid_on_many`: the release
  in force on a date, and whether a code was valid then;
- :func:`load_for_date`, :func:`load_release`: the knowledge base of that
  release (FY2027 included, built from the official addenda);
- :func:`diff`: what changed between two releases.

Examples
--------
>>> from icd10kb.history import valid_on
>>> valid_on("Z68.1", "2026-09-30", billable=True), valid_on("Z68.1", "2026-10-01", billable=True)
(True, False)
"""

from __future__ import annotations

from .codes import history, release_for, status_on, valid_on, valid_on_many
from .diff import diff
from .errors import ReleaseNotShippedError
from .loader import load_for_date, load_release, shipped, shipped_for_date
from .timeline import SLOTS, Slot, parse_date

__all__ = [
    "SLOTS",
    "ReleaseNotShippedError",
    "Slot",
    "diff",
    "history",
    "load_for_date",
    "load_release",
    "parse_date",
    "release_for",
    "shipped",
    "shipped_for_date",
    "status_on",
    "valid_on",
    "valid_on_many",
]
