"""The errors of the table look-ups, both in icd10kb's one error tree.

- :class:`UnknownTermError` (a :class:`KeyError`): the term is not in the
  table (or not under the term reached so far); it names the term and
  suggests close terms.
- :class:`AmbiguousTermError` (an :class:`~icd10kb.errors.InvalidArgumentError`):
  the term is in the table at several places; it lists them so the caller
  can give the path.
"""

from __future__ import annotations

from typing import Any

from ..errors import ICD10KBError, InvalidArgumentError, shorten

__all__ = ["AmbiguousTermError", "UnknownTermError"]


class UnknownTermError(ICD10KBError, KeyError):
    """A term that the table does not have.

    Attributes
    ----------
    term:
        The term as given.
    table:
        The table searched, e.g. ``'Table of Drugs and Chemicals'``.
    within:
        The path of terms reached before the unknown part (``''`` at the top).
    suggestions:
        Close terms, best first (paths, main term first, joined by ``', '``).
    """

    def __init__(self, term: object, table: str, suggestions: tuple[str, ...] = (), within: str = "") -> None:
        self.term = term
        self.table = table
        self.within = within
        self.suggestions = tuple(suggestions)
        super().__init__(term)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.term, self.table, self.suggestions, self.within))

    def __str__(self) -> str:
        where = f" under {self.within!r}" if self.within else ""
        text = f"{shorten(self.term)} is not a term of the {self.table}{where}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(map(repr, self.suggestions)) + "?"
        return text


class AmbiguousTermError(InvalidArgumentError):
    """A term found at several places in a table; give more of its path.

    Attributes
    ----------
    candidates:
        The paths where it was found (at most 12), main term first.
    """

    def __init__(self, term: object, table: str, candidates: tuple[str, ...]) -> None:
        self.candidates = tuple(candidates)
        self.table = table
        super().__init__(term, "found at several places", "term")

    def __str__(self) -> str:
        listed = "; ".join(repr(c) for c in self.candidates)
        return f"{shorten(self.value)} is in the {self.table} at several places: {listed}; give one of these paths"
