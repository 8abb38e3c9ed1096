"""What changed between two releases: added, deleted, retitled, billable and header codes.

Any two releases of the history can be compared (``"FY2016"`` …
``"FY2027"``, ``"2025-04-01"``, the shipped names ``"2021"`` and
``"2027"``). A release without a file is compared through its inferred
statuses; codes whose status is unknown there are listed apart.

Where a deleted billable code stays as a header with new codes below it
(D69.1 in FY2027, split into D69.11 and D69.19), the new codes are where its
content went. The files say nothing more: a code that disappears outright
has an empty ``content_to``.

Examples
--------
>>> d = diff("2026-04-01", "FY2027")
>>> len(d.added), len(d.deleted), len(d.retitled)
(238, 36, 4)
>>> [x.content_to for x in d.deleted if x.code == "D69.1"]
[('D69.11', 'D69.19')]
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from ..arguments import check_text
from ..datasets import memo
from .codes import read_resolved_titles, resolve_letters
from .data import DATASET, history_table
from .timeline import SLOTS, slot_named

if TYPE_CHECKING:
    from .models import ReleaseDiff

__all__ = ["diff", "same_title"]


def _dotted(code: str) -> str:
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


@lru_cache(maxsize=4096)
def _fold(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def same_title(a: str, b: str) -> bool:
    """Whether two titles are the same, letters compared without accents and runs of spaces as one.

    Examples
    --------
    >>> same_title("Sézary disease", "Sezary disease"), same_title("globin", "globulin")
    (True, False)
    """
    return _same(check_text(a, "title"), check_text(b, "title"))


def _same(a: str, b: str) -> bool:
    return a == b or _fold(a) == _fold(b)


def diff(a: object, b: object) -> ReleaseDiff:
    """The changes from release *a* to release *b*.

    Parameters
    ----------
    a, b:
        Release names of the history (see :func:`~icd10kb.history.timeline.slot_named`);
        *b* may be older than *a*.

    Returns
    -------
    ReleaseDiff
        Added, deleted, retitled codes and billable/header changes, sorted by code.

    Raises
    ------
    InvalidArgumentError
        If a name is not a release of the history.

    Examples
    --------
    >>> d = diff("FY2016", "FY2017")
    >>> len(d.added), len([x for x in d.deleted if x.now == "absent"])
    (2305, 212)
    """
    from .models import DeletedCode, ReleaseDiff, Retitled

    first, second = slot_named(a), slot_named(b)
    added: list[str] = []
    deleted: list[DeletedCode] = []
    retitled: list[Retitled] = []
    to_header: list[str] = []
    to_billable: list[str] = []
    unknown: list[str] = []
    untitled = 0
    table = history_table()
    letters_of = memo(DATASET, "resolved", lambda: {code: resolve_letters(raw)[0] for code, (raw, _) in table.items()})
    new_billable = sorted(c for c, s in letters_of.items() if s[second] == "B" and s[first] != "B")
    for code in sorted(table):
        before, after = letters_of[code][first], letters_of[code][second]
        if before == after == ".":
            continue
        if "?" in (before, after):
            unknown.append(_dotted(code))
            continue
        if before == ".":
            added.append(_dotted(code))
            continue
        raw, field = table[code]
        if after == before and "\t" not in field and not field.endswith(":"):
            continue  # one title in every release: nothing changed
        every = read_resolved_titles(raw, field)
        titles = every[first], every[second]
        if after == "." or (before, after) == ("B", "H"):
            content = (
                tuple(_dotted(c) for c in new_billable if c.startswith(code) and c != code) if after == "H" else ()
            )
            deleted.append(
                DeletedCode(
                    code=_dotted(code), title=titles[0], now="absent" if after == "." else "header", content_to=content
                )
            )
            if after == ".":
                continue
        if (before, after) == ("B", "H"):
            to_header.append(_dotted(code))
        elif (before, after) == ("H", "B"):
            to_billable.append(_dotted(code))
        if titles[0] is None or titles[1] is None:
            untitled += 1
        elif not _same(titles[0], titles[1]):
            retitled.append(Retitled(code=_dotted(code), before=titles[0], after=titles[1]))
    return ReleaseDiff(
        a=SLOTS[first].name,
        b=SLOTS[second].name,
        added=tuple(added),
        deleted=tuple(deleted),
        retitled=tuple(retitled),
        billable_to_header=tuple(to_header),
        header_to_billable=tuple(to_billable),
        unknown=tuple(unknown),
        untitled=untitled,
    )
