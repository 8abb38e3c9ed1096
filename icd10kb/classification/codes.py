"""Syntax of ICD-10-CM identifiers: checking and normalising them.

Three kinds of identifier name a concept of the classification:

- a **chapter** by its number, ``"1"`` to ``"22"``;
- a **block** by its range, ``"A00-A09"``; a block that holds a single
  category is written as the range from that category to itself
  (``"B99-B99"``), so that it never collides with the category ``"B99"``;
- a **code** (category, subcategory or code) in dotted form, ``"L94.2"``,
  ``"S72.001A"``.

Normalising accepts any case, surrounding white space and codes with or
without their dot, and returns the canonical form used everywhere else.
"""

from __future__ import annotations

import re

from ..errors import InvalidCodeError

__all__ = [
    "MAX_INPUT_LENGTH",
    "block_id",
    "dotless",
    "dotted",
    "normalize",
    "strip_dot",
]

#: Inputs longer than this are rejected before any other work.
MAX_INPUT_LENGTH = 32

_CODE = re.compile(r"[A-Z][0-9A-Z]{2}(?:[0-9A-Z]{1,4})?")
_CATEGORY = r"[A-Z][0-9A-Z]{2}"
_BLOCK = re.compile(rf"({_CATEGORY}) *- *({_CATEGORY})")
_ALLOWED = re.compile(r"[0-9A-Za-z.\- ]*")


def dotted(code: str) -> str:
    """Insert the dot after the third character of a dotless code.

    Examples
    --------
    >>> dotted("L942")
    'L94.2'
    >>> dotted("L94")
    'L94'
    """
    if type(code) is not str:
        raise InvalidCodeError(code, f"expected a string, got {type(code).__name__}")
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def strip_dot(code: str) -> str:
    """Remove the dot of a canonical code (no checks: for codes already normalised).

    Examples
    --------
    >>> strip_dot("S72.001A")
    'S72001A'
    """
    if type(code) is not str:
        raise InvalidCodeError(code, f"expected a string, got {type(code).__name__}")
    return code.replace(".", "")


def dotless(code: object) -> str:
    """The dotless form of a code, as claims files write it: normalised first, so any spelling works.

    Raises
    ------
    InvalidCodeError
        If *code* is not shaped like a code (see :func:`normalize`).

    Examples
    --------
    >>> dotless("s72.001a"), dotless(" L942 "), dotless("L80-L99")
    ('S72001A', 'L942', 'L80-L99')
    """
    return normalize(code).replace(".", "")


def block_id(first: str, last: str) -> str:
    """The identifier of the block that runs from category *first* to *last*.

    Examples
    --------
    >>> block_id("L80", "L99")
    'L80-L99'
    >>> block_id("B99", "B99")
    'B99-B99'
    """
    if type(first) is not str or type(last) is not str:
        raise InvalidCodeError((first, last), "a block runs between two categories given as strings", "block")
    return f"{first}-{last}"


def normalize(value: object) -> str:
    """Return the canonical form of an identifier, checking its syntax only.

    Whether the identifier exists in a release is not checked here; use
    ``kb.normalize`` or ``code in kb`` for that.

    Parameters
    ----------
    value:
        A code, block range or chapter number, in any case, with or without
        the dot, with surrounding white space.

    Returns
    -------
    str
        The canonical identifier.

    Raises
    ------
    InvalidCodeError
        If *value* is not a string or is not shaped like an identifier.

    Examples
    --------
    >>> normalize(" l942 ")
    'L94.2'
    >>> normalize("s72.001a")
    'S72.001A'
    >>> normalize("m30-m36")
    'M30-M36'
    >>> normalize("07")
    '7'
    >>> normalize("c4a-c44")
    'C4A-C44'
    >>> normalize("L9#4")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidCodeError: 'L9#4' is not a valid ICD-10-CM code: only letters, digits, '.' and '-' may appear
    """
    if not isinstance(value, str):
        raise InvalidCodeError(value, f"expected a string, got {type(value).__name__}")
    if len(value) > MAX_INPUT_LENGTH:
        raise InvalidCodeError(value, f"longer than {MAX_INPUT_LENGTH} characters")
    text = value.strip()
    if not text:
        raise InvalidCodeError(value, "empty")
    if not _ALLOWED.fullmatch(text):
        raise InvalidCodeError(value, "only letters, digits, '.' and '-' may appear")
    text = text.upper()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= 99:
            return str(number)
        raise InvalidCodeError(value, "chapter numbers run from 1 to 99")
    if "-" in text:
        match = _BLOCK.fullmatch(text)
        if match is None:
            raise InvalidCodeError(value, "a block is written as a range of two categories, like 'M30-M36'")
        first, last = match.groups()
        # A letter in third place (C4A, D3A, M1A) stands among the digits in the
        # classification's own order, which only a release knows: C4A-C44 is a
        # range (C4A comes before C44), so within one two-character prefix such a
        # range is left for the release to judge.
        lettered = first[2].isalpha() or last[2].isalpha()
        if first[:2] > last[:2] or (first > last and not (lettered and first[:2] == last[:2])):
            raise InvalidCodeError(value, "the range runs backwards")
        return block_id(first, last)
    if " " in text:
        raise InvalidCodeError(value, "white space inside a code")
    if "." in text:
        head, _, tail = text.partition(".")
        if len(head) != 3 or "." in tail:
            raise InvalidCodeError(value, "the dot belongs after the third character")
        text = head + tail
    if not _CODE.fullmatch(text):
        raise InvalidCodeError(value, "a code is a letter, two letters or digits, then up to four more (like 'L94.2')")
    return dotted(text)
