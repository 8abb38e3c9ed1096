"""Readers for the release files the code history is compiled from.

Each reader takes a path, ``PathLike`` or binary file (plain or gzip) and
returns ``{dotless code: (billable, title)}`` in file order. ``billable`` is
None where the file does not say (an NCHS item list marks nothing; a CMS
code file lists billable codes only). A line out of layout, a duplicate code
or a file with no codes is refused with a :class:`~icd10kb.errors.DataFileError`
naming the file and line; nothing is guessed.

The layouts:

- derived order table (``icd10cm-order-derived-fy*.tsv.gz``): a header line
  ``order code billable short_desc long_desc``, then tab-separated rows;
- CMS order file (``icd10cm-order-*.txt``): order number (5), space, code
  (7), space, ``0``/``1`` (header/billable), space, short title (60), space,
  long title;
- CMS code file (``icd10cm-codes-*.txt``): code padded to 8, long title;
  billable codes only;
- NCHS item list (``icd10cm-code-list-*.txt``): one item a line; chapter
  numbers and block ranges are skipped;
- CMS code-descriptions addenda (``icd10cm_codes_addenda_*.txt``): see
  :func:`read_addenda`.

Examples
--------
>>> import io
>>> read_code_file(io.BytesIO(b"L942    Calcinosis cutis\\r\\n"))
{'L942': (True, 'Calcinosis cutis')}
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import DataFileError, InvalidArgumentError
from ..files import Source, read_bytes

__all__ = [
    "Addenda",
    "Entries",
    "headers_of",
    "read_addenda",
    "read_code_file",
    "read_item_list",
    "read_order_file",
    "read_order_table",
]

#: dotless code -> (billable or None when the file does not say, title or None)
Entries = dict[str, tuple["bool | None", "str | None"]]

_CODE = re.compile(r"[A-Z][0-9A-Z]{2,6}")
_CHAPTER = re.compile(r"\d{1,2}")
_BLOCK = re.compile(r"[A-Z][0-9A-Z]{2}-[A-Z][0-9A-Z]{2}")
_ORDER = re.compile(r"(\d{5}) ([A-Z][0-9A-Z]{2,6}) *([01]) (.{60}) (.+)")
_CODE_FILE = re.compile(r"([A-Z][0-9A-Z]{2,6}) +(\S.*)")
_ADDENDA = re.compile(r"(Add|Delete|Revise from|Revise to):\s+([A-Z][0-9A-Z]{2,6})\s+(\S.*)")
_SUMMARY = re.compile(r"\s*(\d+) (codes in (\S+)|additions|deletions|revisions)\s*")
_MAX_LINE = 1000


def _lines(source: Source) -> tuple[list[str], str]:
    data, name, _ = read_bytes(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            name, f"not UTF-8 text: byte {data[exc.start]:#x}", data[: exc.start].count(b"\n") + 1
        ) from None
    return text.split("\n"), name


def _clean(line: str, name: str, number: int) -> str:
    line = line.rstrip("\r").lstrip("\ufeff")
    if len(line) > _MAX_LINE:
        raise DataFileError(name, f"line longer than {_MAX_LINE} characters", number)
    return line


def _add(entries: Entries, code: str, value: tuple[bool | None, str | None], name: str, number: int) -> None:
    if not _CODE.fullmatch(code):
        raise DataFileError(name, f"not an ICD-10-CM code: {code[:20]!r}", number)
    if code in entries:
        raise DataFileError(name, f"code {code!r} is listed twice", number)
    entries[code] = value


def _done(entries: Entries, name: str) -> Entries:
    if not entries:
        raise DataFileError(name, "no codes in the file")
    return entries


def read_order_table(source: Source) -> Entries:
    """Read a derived order table (tab-separated, with a header line).

    Examples
    --------
    >>> import io
    >>> head = b"order\\tcode\\tbillable\\tshort_desc\\tlong_desc\\n"
    >>> read_order_table(io.BytesIO(head + b"00001\\tL94\\t0\\tX\\tOther\\n"))
    {'L94': (False, 'Other')}
    """
    lines, name = _lines(source)
    if not lines or _clean(lines[0], name, 1) != "order\tcode\tbillable\tshort_desc\tlong_desc":
        raise DataFileError(name, "expected the header line 'order code billable short_desc long_desc'", 1)
    entries: Entries = {}
    for number, raw in enumerate(lines[1:], 2):
        line = _clean(raw, name, number)
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 5 or not fields[0].isdigit() or fields[2] not in ("0", "1") or not fields[4].strip():
            raise DataFileError(name, f"not an order-table row: {line[:60]!r}", number)
        _add(entries, fields[1], (fields[2] == "1", fields[4].strip()), name, number)
    return _done(entries, name)


def _read_fixed(
    source: Source,
    pattern: re.Pattern[str],
    what: str,
    entry: Callable[[re.Match[str]], tuple[str, tuple[bool | None, str | None]]],
) -> Entries:
    """Read a file of one record a line: each non-blank line matches *pattern*, *entry* makes its row."""
    lines, name = _lines(source)
    entries: Entries = {}
    for number, raw in enumerate(lines, 1):
        line = _clean(raw, name, number)
        if not line:
            continue
        match = pattern.fullmatch(line)
        if match is None:
            raise DataFileError(name, f"not {what} line: {line[:60]!r}", number)
        code, row = entry(match)
        _add(entries, code, row, name, number)
    return _done(entries, name)


def read_order_file(source: Source) -> Entries:
    """Read a CMS order file (fixed width)."""
    return _read_fixed(source, _ORDER, "an order-file", lambda m: (m.group(2), (m.group(3) == "1", m.group(5).strip())))


def read_code_file(source: Source) -> Entries:
    """Read a CMS code file: billable codes and their long titles."""
    return _read_fixed(source, _CODE_FILE, "a code-file", lambda m: (m.group(1), (True, m.group(2).strip())))


def read_item_list(source: Source) -> Entries:
    """Read an NCHS item list: every valid code of a release, without titles or flags.

    A block named like the one category it holds (``B10``) is listed as
    that name, so a name may stand twice; the second is skipped.
    """
    lines, name = _lines(source)
    entries: Entries = {}
    for number, raw in enumerate(lines, 1):
        line = _clean(raw, name, number).strip()
        if not line or _CHAPTER.fullmatch(line) or _BLOCK.fullmatch(line) or (len(line) == 3 and line in entries):
            continue
        _add(entries, line, (None, None), name, number)
    return _done(entries, name)


def headers_of(billable: set[str] | frozenset[str]) -> set[str]:
    """The headers of a release whose billable codes are *billable*.

    A header is every start of three or more characters of a billable code,
    except the placeholder ``X`` s that only pad a 7th-character code
    (``O32.0XX0`` has the header ``O32.0`` but not ``O32.0X``). This rule
    gives exactly the headers of the order files of FY2016, FY2017 and FY2025;
    those of FY2018 to 2021-01 also agree but for ``H54.512``, which they leave
    out (they file ``H54.512A`` under ``H54.511``). The FY2024 code file
    lists billable codes only; its headers are worked out with this rule.

    Examples
    --------
    >>> sorted(headers_of({"O320XX0", "T360X1A"}))
    ['O32', 'O320', 'T36', 'T360', 'T360X', 'T360X1']

    Raises
    ------
    InvalidArgumentError
        If *billable* is not a set (or list) of dotless codes.
    """
    found: set[str] = set()
    for code in _codes(billable):
        for size in range(3, len(code)):
            start = code[:size]
            if len(code) == 7 and start.endswith("X") and code[size - 1 : 6] == "X" * (7 - size):
                continue
            found.add(start)
    return found


#: The most codes :func:`headers_of` takes (a release has about 75,000 billable codes).
MAX_CODES = 1_000_000


def _codes(billable: object) -> list[str]:
    """The codes of a set, frozenset, list or tuple, as plain str, each a dotless code; else InvalidArgumentError."""
    items: list[object]
    if isinstance(billable, set):  # the type's own iterator, whatever a subclass overrides
        items = list(set.__iter__(billable))
    elif isinstance(billable, frozenset):
        items = list(frozenset.__iter__(billable))
    elif isinstance(billable, list):
        items = list(list.__iter__(billable))
    elif isinstance(billable, tuple):
        items = list(tuple.__iter__(billable))
    else:
        raise InvalidArgumentError(billable, "a set of dotless codes", "billable codes")
    if len(items) > MAX_CODES:
        raise InvalidArgumentError(f"<{len(items):,} codes>", f"at most {MAX_CODES:,} codes", "billable codes")
    codes = [str.__getitem__(c, slice(None)) if isinstance(c, str) and len(c) <= 7 else "" for c in items]
    for given, code in zip(items, codes):
        if not _CODE.fullmatch(code):
            raise InvalidArgumentError(given, "a dotless ICD-10-CM code", "billable code")
    return codes


@dataclass(frozen=True)
class Addenda:
    """The changes of a CMS code-descriptions addenda file, in file order.

    Attributes
    ----------
    added, deleted:
        ``(code, title)`` pairs.
    revised:
        ``(code, old title, new title)``.
    before, after:
        The billable-code counts the file's summary states.
    """

    added: tuple[tuple[str, str], ...]
    deleted: tuple[tuple[str, str], ...]
    revised: tuple[tuple[str, str, str], ...]
    before: int
    after: int


def read_addenda(source: Source) -> Addenda:
    """Read a CMS "code descriptions addenda" file.

    Each change is a line ``Add:``, ``Delete:``, ``Revise from:`` (followed
    by its ``Revise to:``), the code (dotless) and the long title. The
    closing summary (``74719 codes in icd10cm_order_2026.txt`` …, additions,
    deletions, revisions) is read and checked against the lines.

    Raises
    ------
    DataFileError
        If a line is out of layout, a code is changed twice, a revision is
        unpaired, or the summary disagrees with the lines.

    Examples
    --------
    >>> import io
    >>> text = b"Add:         L9420   New\\r\\nCodes\\r\\n"
    >>> text += b"  1 codes in a.txt\\r\\n  2 codes in b.txt\\r\\n  1 additions\\r\\n"
    >>> read_addenda(io.BytesIO(text)).added
    (('L9420', 'New'),)
    """
    lines, name = _lines(source)
    added: list[tuple[str, str]] = []
    deleted: list[tuple[str, str]] = []
    revised: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    pending: tuple[str, str, int] | None = None
    counts: list[int] = []
    summary: dict[str, int] = {}
    in_summary = False
    for number, raw in enumerate(lines, 1):
        line = _clean(raw, name, number)
        if not line.strip():
            continue
        if in_summary or line.strip() == "Codes":
            in_summary = True
            if line.strip() == "Codes":
                continue
            match = _SUMMARY.fullmatch(line)
            if match is None:
                raise DataFileError(name, f"not a summary line: {line[:60]!r}", number)
            if match.group(3):
                counts.append(int(match.group(1)))
            else:
                summary[match.group(2)] = int(match.group(1))
            continue
        match = _ADDENDA.fullmatch(line.rstrip())
        if match is None:
            raise DataFileError(name, f"not an addenda line: {line[:60]!r}", number)
        action, code, title = match.group(1), match.group(2), match.group(3).strip()
        if pending is not None and action != "Revise to":
            raise DataFileError(name, f"'Revise from' of {pending[0]!r} has no 'Revise to'", pending[2])
        if action == "Revise to":
            if pending is None or pending[0] != code:
                raise DataFileError(name, f"'Revise to' of {code!r} does not follow its 'Revise from'", number)
            revised.append((code, pending[1], title))
            pending = None
            continue
        if code in seen:
            raise DataFileError(name, f"code {code!r} is changed twice (first on line {seen[code]})", number)
        seen[code] = number
        if action == "Add":
            added.append((code, title))
        elif action == "Delete":
            deleted.append((code, title))
        else:
            pending = (code, title, number)
    if pending is not None:
        raise DataFileError(name, f"'Revise from' of {pending[0]!r} has no 'Revise to'", pending[2])
    if len(counts) != 2:
        raise DataFileError(name, "the closing summary must give the code counts before and after")
    stated = (summary.get("additions", 0), summary.get("deletions", 0), summary.get("revisions", 0))
    found = (len(added), len(deleted), len(revised))
    if stated != found or counts[1] - counts[0] != len(added) - len(deleted):
        raise DataFileError(name, f"the summary states {stated} changes and {counts}; the lines hold {found}")
    return Addenda(tuple(added), tuple(deleted), tuple(revised), counts[0], counts[1])
