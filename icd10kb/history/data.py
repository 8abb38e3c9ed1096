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

from ..datasets import memo, read
from ..errors import DataFileError
from .timeline import SLOTS

__all__ = ["DATASET", "FILE", "MAGIC", "History", "decode", "encode", "history_table", "titles_of"]

DATASET = "icd10cm-history"
FILE = "icd10cm-history/icd10cm-history.tsv.gz"
MAGIC = "ICD10KB-HISTORY\t1"
_STATUS = frozenset("BH.?")

#: dotless code -> (statuses, raw title field)
History = dict[str, tuple[str, str]]


def encode(rows: dict[str, tuple[str, list[str | None]]]) -> bytes:
    """The file's text for *rows*: code -> (statuses, title per slot or None)."""
    out = [MAGIC, "\t".join(s.name for s in SLOTS)]
    for code in sorted(rows):
        status, titles = rows[code]
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
    """The title in each slot (None where absent, unknown or not given)."""
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
