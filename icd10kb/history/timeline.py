"""The releases of ICD-10-CM from FY2016 to FY2027, and which one was in force on a date.

A US fiscal year starts on October 1: FY2026 took effect on 2025-10-01. Some
years also had an update on April 1 (or, for FY2021, in January). The code
history knows one *slot* per release, in date order. A slot has a file (an
official file, or a table converted from one by others), or it has none:
then whether a code was valid is inferred from the releases on both sides
when they agree, and is unknown when they do not.

=============  ==========  ===================================================
slot           in force    file
=============  ==========  ===================================================
FY2016-FY2019  Oct 1       order tables converted from the CMS order files
FY2020         2019-10-01  none
FY2021         2020-10-01  none (the only FY2021 file is the January posting)
2021-01-01     2021-01-01  CMS order file, January 2021 posting
FY2022, FY2023             none
FY2024         2023-10-01  CMS code file (billable codes only)
2024-04-01     2024-04-01  none (an April 2024 update exists; no code file)
FY2025         2024-10-01  order table converted from the CMS order file
2025-04-01     2025-04-01  NCHS code list and tabular XML
FY2026         2025-10-01  none
2026-04-01     2026-04-01  NCHS code list and tabular XML
FY2027         2026-10-01  2026-04-01 with the official FY2027 addenda applied
=============  ==========  ===================================================

Dates are ``datetime.date`` values or ISO ``"YYYY-MM-DD"`` strings. A
``datetime.datetime`` is taken at its calendar date as written (no time zone
conversion: ``2026-10-01T23:30-05:00`` is 2026-10-01). Anything else raises
:class:`~icd10kb.errors.InvalidArgumentError`.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass

from ..arguments import check_text
from ..errors import InvalidArgumentError

__all__ = ["FIRST_DAY", "SLOTS", "Slot", "fiscal_year", "parse_date", "slot_at", "slot_named"]

#: ICD-10-CM took effect in the United States on this day (before it: ICD-9-CM).
FIRST_DAY = datetime.date(2015, 10, 1)


@dataclass(frozen=True)
class Slot:
    """One release in the code history.

    Attributes
    ----------
    name:
        ``"FY2016"`` … ``"FY2027"`` for October releases, the date for the others.
    fiscal_year:
        The fiscal year it belongs to.
    effective:
        The day it took effect.
    source:
        What the history read for it: ``"official"``, ``"derived"`` (a table
        converted by others, or FY2027 built from the addenda) or ``"none"``.
    files:
        The file names, in ``data/`` of the repository.
    shipped:
        The name of the shipped knowledge base that holds this release, if any.
    """

    name: str
    fiscal_year: int
    effective: datetime.date
    source: str
    files: tuple[str, ...]
    shipped: str | None = None


def _fy(year: int, source: str, *files: str, shipped: str | None = None) -> Slot:
    return Slot(f"FY{year}", year, datetime.date(year - 1, 10, 1), source, files, shipped)


SLOTS: tuple[Slot, ...] = (
    _fy(2016, "derived", "icd10cm-releases/icd10cm-order-derived-fy2016.tsv.gz"),
    _fy(2017, "derived", "icd10cm-releases/icd10cm-order-derived-fy2017.tsv.gz"),
    _fy(2018, "derived", "icd10cm-releases/icd10cm-order-derived-fy2018.tsv.gz"),
    _fy(2019, "derived", "icd10cm-releases/icd10cm-order-derived-fy2019.tsv.gz"),
    _fy(2020, "none"),
    _fy(2021, "none"),
    Slot("2021-01-01", 2021, datetime.date(2021, 1, 1), "official", ("official/icd10cm-order-2021-01.txt.gz",), "2021"),
    _fy(2022, "none"),
    _fy(2023, "none"),
    _fy(2024, "official", "official/icd10cm-codes-2024.txt.gz"),
    Slot("2024-04-01", 2024, datetime.date(2024, 4, 1), "none", ()),
    _fy(2025, "derived", "icd10cm-releases/icd10cm-order-derived-fy2025.tsv.gz"),
    Slot(
        "2025-04-01",
        2025,
        datetime.date(2025, 4, 1),
        "official",
        ("official/icd10cm-code-list-2025-04-01.txt.gz", "official/icd10cm-tabular-2025-04-01.xml.gz"),
        "2025-04-01",
    ),
    _fy(2026, "none"),
    Slot(
        "2026-04-01",
        2026,
        datetime.date(2026, 4, 1),
        "official",
        ("official/icd10cm-code-list-2026-04-01.txt.gz", "official/icd10cm-tabular-2026-04-01.xml.gz"),
        "2026-04-01",
    ),
    _fy(
        2027,
        "derived",
        "official/icd10cm-code-list-2026-04-01.txt.gz",
        "official/icd10cm-tabular-2026-04-01.xml.gz",
        "icd10cm-releases/icd10cm_codes_addenda_2027.txt",
        shipped="2027",
    ),
)

_STARTS = [slot.effective for slot in SLOTS]
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ALIASES = {slot.shipped: slot.name for slot in SLOTS if slot.shipped}


def parse_date(value: object, what: str = "date") -> datetime.date:
    """A date from a ``datetime.date``, a ``datetime.datetime`` or an ISO string.

    Examples
    --------
    >>> parse_date("2026-10-01")
    datetime.date(2026, 10, 1)
    >>> parse_date(datetime.datetime(2026, 10, 1, 23, 30))
    datetime.date(2026, 10, 1)
    >>> parse_date("01/10/2026")
    Traceback (most recent call last):
    ...
    icd10kb.errors.InvalidArgumentError: '01/10/2026' is not a valid date: give a datetime.date or 'YYYY-MM-DD'
    """
    what = check_text(what, "what", 100)
    if isinstance(value, datetime.date):  # a datetime too: its calendar date, read without its own methods
        return datetime.date.fromordinal(datetime.date.toordinal(value))
    if isinstance(value, str):
        text = str.strip(value)  # a plain str, whatever a subclass overrides
        if _ISO.fullmatch(text):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise InvalidArgumentError(text, "no such day in the calendar", what) from None
    raise InvalidArgumentError(value, "give a datetime.date or 'YYYY-MM-DD'", what)


def fiscal_year(day: datetime.date) -> int:
    """The US fiscal year of *day* (it starts on October 1).

    Examples
    --------
    >>> fiscal_year(datetime.date(2026, 9, 30)), fiscal_year(datetime.date(2026, 10, 1))
    (2026, 2027)
    """
    day = parse_date(day, "day")
    return day.year + 1 if day.month >= 10 else day.year


def slot_at(day: datetime.date) -> int | None:
    """The index in :data:`SLOTS` of the release in force on *day*, or None outside FY2016–FY2027."""
    day = parse_date(day, "day")
    if day < FIRST_DAY or fiscal_year(day) > SLOTS[-1].fiscal_year:
        return None
    return bisect.bisect_right(_STARTS, day) - 1


def slot_named(name: object) -> int:
    """The index of the slot *name*: ``"FY2021"``, ``"fy2021"``, ``"2021-01-01"`` or a shipped release's name.

    A bare fiscal year (``"2016"``) means its October release; ``"2021"`` and
    ``"2027"`` are also the names of shipped knowledge bases, which are the
    slots ``2021-01-01`` and ``FY2027``.

    Examples
    --------
    >>> SLOTS[slot_named("2021")].name, SLOTS[slot_named("fy2019")].name
    ('2021-01-01', 'FY2019')
    """
    if isinstance(name, str) and len(name) <= 100:
        key = str.strip(name)  # a plain str, whatever a subclass overrides
        key = _ALIASES.get(key, key)
        if re.fullmatch(r"\d{4}", key):
            key = "FY" + key
        key = key.upper()
        for index, slot in enumerate(SLOTS):
            if slot.name == key:
                return index
    names = ", ".join(s.name for s in SLOTS)
    raise InvalidArgumentError(name, f"not a release of the history; known: {names}", "release")
