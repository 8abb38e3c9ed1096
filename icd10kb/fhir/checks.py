"""Checking the arguments of the FHIR builders, operations and server before any work (issue 8).

Text that goes into a resource is plain ``str`` (a subclass's ``__eq__``,
``__hash__`` or ``__str__`` never runs) and valid Unicode (no lone
surrogate, which no JSON encoder could write as UTF-8); rows and labels are
read from lists, tuples, generators and dictionaries, never through an
``__iter__`` written in Python. Every refusal is an
:class:`~icd10kb.errors.InvalidArgumentError` naming the argument. The
limits are listed in ``docs/limits.md``.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any

from ..arguments import check_items, check_text
from ..errors import InvalidArgumentError

#: Most rows given to one builder (the GEMs and CCSR have about 100,000).
MAX_ROWS = 2_000_000
#: Longest text (a title, a URL, a version) put into a resource.
MAX_RESOURCE_TEXT = 1000


def text(value: object, what: str, limit: int = MAX_RESOURCE_TEXT, *, empty: bool = False) -> str:
    """*value* as plain, valid-Unicode text of 1 (or 0 when *empty*) to *limit* characters."""
    found = check_text(value, what, limit)
    if not found and not empty:
        raise InvalidArgumentError(found, "expected text, got an empty string", what)
    try:
        found.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(found, "holds a lone surrogate: not valid Unicode", what) from None
    return found


def optional_text(value: object, what: str, limit: int = MAX_RESOURCE_TEXT) -> str | None:
    """None, or *value* checked by :func:`text`."""
    return None if value is None else text(value, what, limit)


def rows(value: object, what: str, width: tuple[int, int], *, empty: tuple[int, ...] = ()) -> list[tuple[str, ...]]:
    """*value*'s rows, each a tuple or list of *width* (low, high) texts; empty texts only at the places *empty*.

    Rows are many (the GEMs have 100,000): plain tuples of plain strings take
    a fast path, and the text is checked for valid Unicode in one pass.
    """
    low, high = width
    found: list[tuple[str, ...]] = []
    for number, row in enumerate(check_items(value, what, MAX_ROWS)):
        if type(row) is not tuple:
            cells = check_items(row, what, high + 1) if isinstance(row, (tuple, list)) else ()
            row = tuple(str.__getitem__(c, slice(None)) if isinstance(c, str) else c for c in cells)
        if not low <= len(row) <= high or not all(type(c) is str for c in row):
            row = tuple(str.__getitem__(c, slice(None)) if isinstance(c, str) else c for c in row)  # plain str
            if not low <= len(row) <= high or not all(type(c) is str for c in row):
                size = f"{low}" if low == high else f"{low} to {high}"
                raise InvalidArgumentError(row, f"row {number} is not a tuple of {size} strings", what)
        for place, cell in enumerate(row):
            if (not cell and place not in empty) or len(cell) > MAX_RESOURCE_TEXT:
                raise InvalidArgumentError(row, f"row {number} has an empty or too long (over 1000) text", what)
        found.append(row)
    try:
        "".join(c for row in found for c in row).encode("utf-8")
    except UnicodeEncodeError:
        bad = next(n for n, row in enumerate(found) if not "".join(row).isascii() and _surrogate(row))
        raise InvalidArgumentError(found[bad], f"row {bad} holds a lone surrogate: not valid Unicode", what) from None
    return found


def _surrogate(row: tuple[str, ...]) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in "".join(row))


def labels(value: object, what: str) -> dict[str, str]:
    """*value*, a dictionary (or a read-only view of one) of text to text, as a plain ``dict``."""
    if not isinstance(value, (dict, types.MappingProxyType)) or not isinstance(value, Mapping):
        raise InvalidArgumentError(value, f"expected a dictionary of text, got {type(value).__name__}", what)
    out: dict[str, str] = {}
    for key, label in check_items(dict.items(value) if isinstance(value, dict) else value.items(), what, MAX_ROWS):
        if not isinstance(key, str) or not isinstance(label, str):
            raise InvalidArgumentError(value, "its keys and values must all be text", what)
        out[text(key, what)] = text(label, what, empty=True)
    return out


def names(value: object, what: str, limit: int) -> list[str]:
    """*value*, a list or tuple of texts (not one text), as plain strings."""
    return [text(item, what) for item in check_items(value, what, limit)]


def same(value: Any, kind: type, what: str) -> Any:
    """*value* if it is an instance of *kind* (one of the library's own classes), else InvalidArgumentError."""
    if not isinstance(value, kind):
        raise InvalidArgumentError(value, f"expected a {kind.__name__}, got {type(value).__name__}", what)
    return value
