"""A code's history, and whether it was valid on a date.

Every code that stands in a release file from FY2016 to FY2027 has a
history, deleted codes included. For a release without a file the status
is inferred when the releases on both sides agree, and is ``"unknown"``
otherwise; nothing is filled in silently.

Examples
--------
>>> h = history("D69.1")
>>> h.billable_in[-1], h.header_in
('2026-04-01', ('FY2027',))
>>> valid_on("D69.1", "2026-10-01", billable=True)
False
>>> valid_on("D69.11", "2026-10-01")
True
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..arguments import check_bool, check_items
from ..errors import CodeNotFoundError, InvalidArgumentError, InvalidCodeError
from .data import check_row, check_status, history_table, read_titles
from .timeline import FIRST_DAY, SLOTS, parse_date, slot_at

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase
    from .models import CodeHistory, ReleaseInForce

__all__ = [
    "code_key",
    "history",
    "release_for",
    "resolve",
    "resolved_titles",
    "status_on",
    "valid_on",
    "valid_on_many",
]

#: The most rows :func:`valid_on_many` takes in one call.
MAX_ROWS = 10_000_000
_NAMES = {"B": "billable", "H": "header", ".": "absent", "?": "unknown"}


def _neighbours() -> list[tuple[int, int] | None]:
    known = [i for i, s in enumerate(SLOTS) if s.source != "none"]
    out: list[tuple[int, int] | None] = []
    for index, slot in enumerate(SLOTS):
        if slot.source != "none":
            out.append(None)
            continue
        before = [k for k in known if k < index]
        after = [k for k in known if k > index]
        out.append((before[-1], after[0]) if before and after else (-1, -1))
    return out


_AROUND = _neighbours()
_ABSENT = "".join("?" if s.source == "none" else "." for s in SLOTS)


def resolve(status: str) -> tuple[str, str]:
    """Fill the slots without a file: ``(letters, inferred flags as '1'/'0')``.

    A slot without a file takes the letter of the releases on both sides
    when they agree and keeps ``?`` when they do not.

    Examples
    --------
    >>> resolve("BBBB??B??B?BB?BH")[0]
    'BBBBBBBBBBBBBBBH'
    >>> resolve("....??B??B?BB?BB")[0]
    '....??BBBBBBBBBB'
    """
    return resolve_letters(check_status(status))


def resolve_letters(status: str) -> tuple[str, str]:
    """:func:`resolve` for a row of the checked file (the argument is not checked again)."""
    letters = list(status)
    flags = ["0"] * len(status)
    for index, around in enumerate(_AROUND):
        if around is None or status[index] != "?":
            continue
        before, after = around
        if before >= 0 and status[before] == status[after] and status[before] != "?":
            letters[index] = status[before]
            flags[index] = "1"
    return "".join(letters), "".join(flags)


def resolved_titles(status: str, field: str) -> list[str | None]:
    """The title in every slot; a slot without a file takes the title both sides agree on.

    Raises
    ------
    InvalidArgumentError
        If *status* or *field* is not as the history file has them (see :func:`~icd10kb.history.data.titles_of`).
    """
    return read_resolved_titles(*check_row(status, field))


def read_resolved_titles(status: str, field: str) -> list[str | None]:
    """:func:`resolved_titles` for a row of the checked file (the arguments are not checked again)."""
    titles = read_titles(status, field)
    for index, around in enumerate(_AROUND):
        if around is not None and around[0] >= 0 and titles[around[0]] == titles[around[1]]:
            titles[index] = titles[around[0]] if status[around[0]] == status[around[1]] != "." else None
    return titles


def code_key(code: object) -> str:
    """The dotless form of a well-formed code; blocks and chapters are refused.

    Raises
    ------
    InvalidCodeError
        If *code* is not shaped like an ICD-10-CM code.
    """
    from .. import normalize

    canonical = normalize(code)
    if "-" in canonical or canonical.isdigit():
        raise InvalidCodeError(code, "the history covers codes, not blocks or chapters")
    return canonical.replace(".", "")


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def history(code: object, kb: KnowledgeBase | None = None) -> CodeHistory:
    """The status and title of *code* in every release from FY2016 to FY2027.

    Parameters
    ----------
    code:
        A code, with or without its dot; deleted codes are answered too.
    kb:
        Used only to suggest codes when *code* is in no release file
        (default :func:`icd10kb.load`).

    Returns
    -------
    CodeHistory
        One :class:`~icd10kb.history.models.ReleaseStatus` per release.

    Raises
    ------
    InvalidCodeError
        If *code* is not shaped like a code.
    CodeNotFoundError
        If *code* stands in no release file of FY2016 to FY2027.

    Examples
    --------
    >>> h = history("U07.1")
    >>> h.valid_in[0], h.unknown_in
    ('2021-01-01', ('FY2020', 'FY2021'))
    >>> [(r.release, r.status, r.inferred) for r in h.releases][7:9]
    [('FY2022', 'billable', True), ('FY2023', 'billable', True)]
    """
    from ..classification.core import Classification
    from .models import CodeHistory, ReleaseStatus

    if kb is not None and not isinstance(kb, Classification):
        raise InvalidArgumentError(kb, "a knowledge base (icd10kb.load()) or None", "kb")
    key = code_key(code)
    found = history_table().get(key)
    if found is None:

        def suggest() -> tuple[str, ...]:
            import icd10kb

            return (kb if kb is not None else icd10kb.load()).suggest(_dotted(key))

        raise CodeNotFoundError(_dotted(key), release="FY2016-FY2027 (no release file lists it)", suggest=suggest)
    raw, field = found
    letters, flags = resolve_letters(raw)
    titles = read_resolved_titles(raw, field)
    entries = []
    for index, slot in enumerate(SLOTS):
        title = titles[index]
        entries.append(
            ReleaseStatus(
                release=slot.name,
                fiscal_year=slot.fiscal_year,
                effective=slot.effective,
                status=_NAMES[letters[index]],
                inferred=flags[index] == "1",
                title=title,
                source=slot.source,
            )
        )
    return CodeHistory(code=_dotted(key), releases=tuple(entries))


def release_for(date: object) -> ReleaseInForce:
    """The release in force on *date*.

    Releases take effect on October 1 (the fiscal year) and, where the
    history has them, on April 1 (and 2021-01-01).

    Raises
    ------
    InvalidArgumentError
        If *date* is not a date (see :func:`~icd10kb.history.timeline.parse_date`).

    Examples
    --------
    >>> r = release_for("2026-10-01")
    >>> r.release, r.fiscal_year, r.shipped
    ('FY2027', 2027, '2027')
    >>> release_for("2022-06-30").has_file
    False
    """
    from .models import ReleaseInForce

    day = parse_date(date)
    index = slot_at(day)
    if index is None:
        before = day < FIRST_DAY
        note = (
            "before 2015-10-01 US claims were coded in ICD-9-CM"
            if before
            else f"after the newest release known here (FY{SLOTS[-1].fiscal_year})"
        )
        fy = None if before else (day.year + 1 if day.month >= 10 else day.year)
        return ReleaseInForce(
            date=day, fiscal_year=fy, release=None, effective=None, has_file=False, shipped=None, note=note
        )
    slot = SLOTS[index]
    if slot.source == "none":
        note = f"no file for {slot.name}: validity is inferred where the releases on both sides agree, else unknown"
    elif slot.source == "derived":
        note = f"{slot.name} is read from a derived file: " + ", ".join(slot.files)
    else:
        note = f"{slot.name} is read from the official file(s): " + ", ".join(slot.files)
    return ReleaseInForce(
        date=day,
        fiscal_year=slot.fiscal_year,
        release=slot.name,
        effective=slot.effective,
        has_file=slot.source != "none",
        shipped=slot.shipped,
        note=note,
    )


def _letter(key: str, index: int) -> str:
    found = history_table().get(key)
    letters = resolve_letters(found[0] if found else _ABSENT)[0]
    return letters[index]


def status_on(code: object, date: object) -> str:
    """``"billable"``, ``"header"``, ``"absent"`` or ``"unknown"``: *code* on *date*.

    Examples
    --------
    >>> status_on("I42.0", "2026-09-30"), status_on("I42.0", "2026-10-01")
    ('billable', 'header')
    >>> status_on("I42.0", "2014-01-01")
    'absent'
    """
    key = code_key(code)
    index = slot_at(parse_date(date))
    if index is None:
        return "absent" if parse_date(date) < FIRST_DAY else "unknown"
    return _NAMES[_letter(key, index)]


def valid_on(code: object, date: object, *, billable: bool = False) -> bool | None:
    """Whether *code* was valid on *date*, under the release in force then.

    Parameters
    ----------
    code:
        A code, with or without its dot.
    date:
        A ``datetime.date`` or ``"YYYY-MM-DD"`` (a ``datetime`` counts as its date).
    billable:
        Ask whether it was billable (a header is valid but not billable).

    Returns
    -------
    bool or None
        None when it cannot be told: no file for that release and the
        releases on both sides disagree, or a date after FY2027. A date
        before ICD-10-CM (2015-10-01) gives False.

    Examples
    --------
    >>> valid_on("Z86.17", "2026-10-01"), valid_on("Z86.17", "2026-09-30")
    (True, False)
    >>> valid_on("J12.82", "2020-11-01") is None
    True
    """
    billable = check_bool(billable, "billable")
    status = status_on(code, date)
    if status == "unknown":
        return None
    return status == "billable" or (status == "header" and not billable)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def valid_on_many(codes: Iterable[Any], dates: Any, *, billable: bool = False) -> list[bool | None]:
    """:func:`valid_on` for a column of codes and a column (or one) of dates.

    Parameters
    ----------
    codes:
        An iterable of codes (a list, a pandas Series, …). A missing value
        (None, NaN) gives None.
    dates:
        One date for every row, or an iterable of dates as long as *codes*
        (``datetime.date``, ``datetime``, ISO text; None or NaN gives None).
    billable:
        As for :func:`valid_on`.

    Raises
    ------
    InvalidCodeError
        Naming the row, if a code is malformed.
    InvalidArgumentError
        Naming the row, if a date is malformed, or if the columns differ in length.

    Examples
    --------
    >>> valid_on_many(["I42.0", "I42.01", None], "2026-10-01", billable=True)
    [False, True, None]
    >>> valid_on_many(["I42.0", "I42.0"], ["2026-09-30", "2026-10-01"], billable=True)
    [True, False]
    """
    billable = check_bool(billable, "billable")
    rows = check_items(codes, "codes", MAX_ROWS)
    single = isinstance(dates, (str, bytes, datetime.date)) or _missing(dates)
    day_list = [dates] * len(rows) if single else check_items(dates, "dates", MAX_ROWS)
    if len(day_list) != len(rows):
        raise InvalidArgumentError(len(day_list), f"there are {len(rows)} codes", "number of dates")
    table = history_table()
    slots: dict[Any, int | str | None] = {}
    letters: dict[Any, str] = {}
    out: list[bool | None] = []
    for row, (code, date) in enumerate(zip(rows, day_list)):
        if _missing(code) or _missing(date):
            out.append(None)
            continue
        if isinstance(code, str):
            code = str.__getitem__(code, slice(None))  # a plain str: a subclass's __hash__ never runs
        found = letters.get(code) if isinstance(code, str) else None
        if found is None:
            try:
                key = code_key(code)
            except InvalidCodeError as exc:
                raise InvalidCodeError(code, f"{exc.reason} (row {row})") from None
            entry = table.get(key)
            found = resolve_letters(entry[0] if entry else _ABSENT)[0]
            if isinstance(code, str):
                letters[code] = found
        index = _slot_cached(slots, date, row)
        if index == "before":
            out.append(False)
            continue
        if index is None:
            out.append(None)
            continue
        letter = found[index]  # type: ignore[index]
        out.append(None if letter == "?" else letter == "B" or (letter == "H" and not billable))
    return out


def _slot_cached(cache: dict[Any, int | str | None], date: Any, row: int) -> int | str | None:
    if isinstance(date, str) and len(date) <= 100:
        key: Any = str.__getitem__(date, slice(None))  # a plain str: a subclass's __hash__ never runs
        if key in cache:
            return cache[key]
    else:
        key = None  # a date is read afresh (a subclass's __hash__ never runs), anything else refused below
    try:
        day = parse_date(date)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(date, exc.reason, f"date (row {row})") from None
    key = day if key is None else key
    if key not in cache:
        cache[key] = slot_at(day) if day >= FIRST_DAY else "before"
    return cache[key]
