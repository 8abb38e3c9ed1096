"""Checking a code printed in a table against the release in use.

A table prints codes as coders read them: ``T39.1X1`` (a 7th character
still to add), ``C34.9-`` (the dash: more characters required), ``--`` or
``-`` (no code for that column). :func:`check` turns one such cell into a
:class:`~icd10kb.tables.models.TableCode`: the code is handed out only when
the release has it, and what it still needs is worked out from the release's
own tabular list (its children and 7th-character rules), never guessed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..arguments import check_text
from .models import CodeStatus, SeventhCharacterChoice, TableCode
from .reader import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from .. import KnowledgeBase

__all__ = ["check", "printed_stem"]

_MAX_COMPLETIONS = 60
_SHOWN = 6
_CODE_LIKE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{0,4})?")


def printed_stem(printed: str) -> str:
    """The code inside a printed cell, without the trailing dash, the dot before it, or brackets.

    Examples
    --------
    >>> printed_stem("C34.9-"), printed_stem("D05.-"), printed_stem("[H36]"), printed_stem("--")
    ('C34.9', 'D05', 'H36', '')
    """
    printed = check_text(printed, "printed code", MAX_TEXT_CHARS)
    return printed.strip().strip("[]").rstrip("-").rstrip(".").strip()


def _no_code(column: str, heading: str, printed: str, reason: str, status: CodeStatus = "no_code") -> TableCode:
    return TableCode(
        column=column,
        heading=heading,
        printed=printed,
        code=None,
        status=status,
        needs="",
        seventh_characters=(),
        completions=(),
        reason=reason,
    )


def check(kb: KnowledgeBase, printed: str, column: str, heading: str) -> TableCode:
    """Check the printed code *printed* against *kb*'s release.

    Examples
    --------
    >>> entry = check(kb, "T39.1X1", "accidental", "Poisoning Accidental (unintentional)")
    >>> entry.code, entry.status
    ('T39.1X1', 'incomplete')
    >>> for part in entry.needs.split(", giving "):
    ...     print(part)
    a 7th character: A (initial encounter), D (subsequent encounter) or S (sequela)
    T39.1X1A, T39.1X1D or T39.1X1S
    >>> check(kb, "--", "adverse effect", "Adverse effect").reason
    "the table gives no code for 'adverse effect' here ('--')"
    """
    printed = check_text(printed, "printed code", MAX_TEXT_CHARS)
    column = check_text(column, "column", MAX_TEXT_CHARS)
    heading = check_text(heading, "heading", MAX_TEXT_CHARS)
    stem = printed_stem(printed)
    if not stem:
        shown = f" ({printed!r})" if printed else ""
        return _no_code(column, heading, printed, f"the table gives no code for {column!r} here{shown}")
    release = kb.release.name
    if not _CODE_LIKE.fullmatch(stem):
        return _no_code(column, heading, printed, f"{printed[:60]!r} is not a code: the file has text here")
    if stem not in kb:
        return _no_code(
            column,
            heading,
            printed,
            f"{stem!r} is not a code of ICD-10-CM {release}: the table was printed for another release, "
            "so its code is not handed out",
            "not_in_release",
        )
    code = kb.normalize(stem)
    if kb.is_billable(code):
        return TableCode(
            column=column,
            heading=heading,
            printed=printed,
            code=code,
            status="complete",
            needs="",
            seventh_characters=(),
            completions=(code,),
            reason="",
        )
    children = kb.children(code)
    concepts = [kb[c] for c in children]
    if concepts and all(c.seventh_character is not None and c.parent == code and c.billable for c in concepts):
        choices = tuple(
            SeventhCharacterChoice(
                character=c.seventh_character.character, meaning=c.seventh_character.meaning, code=c.code
            )
            for c in concepts
            if c.seventh_character is not None
        )
        listed = ", ".join(f"{c.character} ({c.meaning})" for c in choices)
        codes = ", ".join(c.code for c in choices)
        if len(choices) > 1:
            head, _, last = listed.rpartition(", ")
            listed = f"{head} or {last}"
            head, _, last = codes.rpartition(", ")
            codes = f"{head} or {last}"
        return TableCode(
            column=column,
            heading=heading,
            printed=printed,
            code=code,
            status="incomplete",
            needs=f"a 7th character: {listed}, giving {codes}",
            seventh_characters=choices,
            completions=tuple(c.code for c in choices),
            reason="",
        )
    billable = kb.billable_codes(code)
    if not billable:  # pragma: no cover - every header of the official releases has billable codes below it
        return _no_code(column, heading, printed, f"{code!r} has no billable code below it in ICD-10-CM {release}")
    shown = ", ".join(billable[:_SHOWN]) + (", …" if len(billable) > _SHOWN else "")
    seventh = any(kb[c].seventh_character is not None for c in billable[:_SHOWN])
    needs = f"more characters: one of the {len(billable)} billable codes below it ({shown})"
    if seventh:
        needs += ", which end in a 7th character"
    return TableCode(
        column=column,
        heading=heading,
        printed=printed,
        code=code,
        status="incomplete",
        needs=needs,
        seventh_characters=(),
        completions=tuple(billable[:_MAX_COMPLETIONS]),
        reason="",
    )
