"""The compiled code history: one line per code that was ever in a release file.

``icd10kb/data/icd10cm-history/icd10cm-history.tsv.gz`` (dataset
``icd10cm-history``, compiled by ``scripts/build_history.py``) is UTF-8 text:

- line 1: ``ICD10KB-HISTORY\\t1`` (magic and format version);
- line 2: the slot names, tab-separated, in date order (see
  :mod:`icd10kb.history.timeline`);
- then one line per dotless code, sorted: the code, a tab, one status letter
  per slot (``B`` billable, ``H`` header, ``.`` absent, ``?`` no file for
  that release), then the titles: a tab-separated ``slot:title`` for every
  slot where the title differs from the one before it (``slot:`` alone: the
  file gives no title, as the FY2024 code file for headers).

It is read once per process, on first use, through
:func:`icd10kb.datasets.read` (checksum-checked).
"""

from __future__ import annotations

import re

from ..arguments import check_bytes, check_text
from ..datasets import memo, read
from ..errors import DataFileError, InvalidArgumentError
from .timeline import SLOTS

__all__ = ["DATASET", "FILE", "MAGIC", "History", "decode", "encode", "history_table", "titles_of"]

DATASET = "icd10cm-history"
FILE = "icd10cm-history/icd10cm-history.tsv.gz"
MAGIC = "ICD10KB-HISTORY\t1"
_STATUS = frozenset("BH.?")

_STATUSES = re.compile(f"[BH.?]{{{len(SLOTS)}}}")
_CHANGE = re.compile(r"([0-9]{1,2}):([^\t\n]*)")
_CODE = re.compile(r"[A-Z][0-9A-Z]{2,6}")
_MAX_TITLE = 1000

#: dotless code -> (statuses, raw title field)
History = dict[str, tuple[str, str]]


def check_status(status: object) -> str:
    """*status* as a plain str if it is one letter per slot (B, H, . or ?), else InvalidArgumentError."""
    text = check_text(status, "status", len(SLOTS))
    if not _STATUSES.fullmatch(text):
        raise InvalidArgumentError(text, f"one letter per release ({len(SLOTS)}), each B, H, . or ?", "status")
    return text


def _row(code: object, row: object) -> tuple[str, str, list[str | None]]:
    """One row of :func:`encode`, checked: a dotless code, its statuses, a title (or None) per slot."""
    code = check_text(code, "code", 7)
    if not _CODE.fullmatch(code):
        raise InvalidArgumentError(code, "a dotless ICD-10-CM code", "code")
    if not isinstance(row, tuple) or len(row) != 2:
        raise InvalidArgumentError(row, "a pair (statuses, titles)", f"row of {code}")
    status = check_status(row[0])
    titles = row[1]
    if not isinstance(titles, list) or len(titles) != len(SLOTS):
        raise InvalidArgumentError(titles, f"a list of {len(SLOTS)} titles (or None)", f"titles of {code}")
    checked: list[str | None] = []
    for title in titles:
        if title is not None:
            title = check_text(title, f"title of {code}", _MAX_TITLE)
            if "\t" in title or "\n" in title:
                raise InvalidArgumentError(title, "a title on one line, without tabs", f"title of {code}")
        checked.append(title)
    return code, status, checked


def encode(rows: dict[str, tuple[str, list[str | None]]]) -> bytes:
    """The file's text for *rows*: code -> (statuses, title per slot or None).

    Raises
    ------
    InvalidArgumentError
        If *rows* is not a dict of dotless codes to (statuses, titles) pairs.
    """
    if not isinstance(rows, dict):
        raise InvalidArgumentError(rows, "a dict: dotless code -> (statuses, titles)", "rows")
    checked = sorted(_row(code, row) for code, row in dict.items(rows))
    out = [MAGIC, "\t".join(s.name for s in SLOTS)]
    for code, status, titles in checked:
        parts = [code, status]
        last: str | None = ""
        for index, title in enumerate(titles):
            if status[index] in "BH" and title != last:
                parts.append(f"{index}:{title or ''}")
                last = title
        out.append("\t".join(parts))
    return ("\n".join(out) + "\n").encode("utf-8")


def decode(data: bytes, name: str = FILE) -> History:
    """Split the file into ``{code: (statuses, titles)}``; check its layout."""
    data = check_bytes(data, "data")
    name = check_text(name, "name", 1000)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(name, f"not UTF-8 text at byte {exc.start}") from None
    lines = text.split("\n")
    if lines[0] != MAGIC:
        raise DataFileError(name, "not a compiled icd10kb history (bad magic line)", 1)
    if len(lines) < 2 or lines[1].split("\t") != [s.name for s in SLOTS]:
        raise DataFileError(name, "its releases are not those this version of icd10kb knows", 2)
    table: History = {}
    width = len(SLOTS)
    for number, line in enumerate(lines[2:], 3):
        if not line:
            continue
        code, _, rest = line.partition("\t")
        status, _, titles = rest.partition("\t")
        if len(status) != width or not set(status) <= _STATUS or code in table:
            raise DataFileError(name, f"bad history line for {code[:20]!r}", number)
        table[code] = (status, titles)
    return table


def history_table() -> History:
    """The shipped history, read once per process."""
    return memo(DATASET, "table", lambda: decode(read(DATASET, FILE)))


def titles_of(status: str, field: str) -> list[str | None]:
    """The title in each slot (None where absent, unknown or not given).

    Raises
    ------
    InvalidArgumentError
        If *status* is not one letter per slot or *field* is not a title field of the file.

    Examples
    --------
    >>> titles_of("BBBB??B??B?BB?BH", "0:Old title\\t15:New title")[-2:]
    ['Old title', 'New title']
    """
    return read_titles(*check_row(status, field))


def check_row(status: object, field: object) -> tuple[str, str]:
    """*status* and *field* as plain str if they are as a line of the file has them, else InvalidArgumentError."""
    status = check_status(status)
    field = check_text(field, "title field", len(SLOTS) * (_MAX_TITLE + 3))
    for part in field.split("\t") if field else ():
        match = _CHANGE.fullmatch(part)
        if match is None or int(match.group(1)) >= len(SLOTS):
            raise InvalidArgumentError(part, "'slot:title' parts, tab-separated", "title field")
    return status, field


def read_titles(status: str, field: str) -> list[str | None]:
    """:func:`titles_of` for a row of the checked file (the arguments are not checked again)."""
    titles: list[str | None] = [None] * len(status)
    changes: dict[int, str] = {}
    if field:
        for part in field.split("\t"):
            number, _, title = part.partition(":")
            changes[int(number)] = title
    current: str | None = None
    for position, letter in enumerate(status):
        if position in changes:
            current = changes[position] or None
        if letter in "BH":
            titles[position] = current
    return titles
