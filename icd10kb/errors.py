"""The one error tree of icd10kb.

Every exception that a public function raises on purpose derives from
:class:`ICD10KBError`, so ``except icd10kb.ICD10KBError`` catches them all.

- :class:`InvalidArgumentError` (also a :class:`ValueError`): an argument
  that is not of the form a function takes; :class:`InvalidCodeError`, its
  subclass, for input that is not a code at all (wrong type, empty, garbage,
  far too long) and for the code-like arguments of queries (ranges, limits,
  search text, symptom lists).
- :class:`CodeNotFoundError` (also a :class:`KeyError`): the input is a well
  formed code that the loaded release does not contain; it carries the
  nearest valid codes as suggestions.
- :class:`DataFileError` (also a :class:`ValueError`): a data file (official
  XML, code list, compiled release, knowledge pack) is malformed, damaged or
  hostile; it names the file and, where known, the line and column.
- :class:`KnowledgePackError`: a knowledge pack failed validation; it lists
  every problem with its place in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "CodeNotFoundError",
    "DataFileError",
    "ICD10KBError",
    "InvalidArgumentError",
    "InvalidCodeError",
    "KnowledgePackError",
    "KnowledgeWarning",
    "UnknownReleaseError",
    "check_limit",
]

_MAX_SHOWN = 60


def shorten(value: object, limit: int = _MAX_SHOWN) -> str:
    """Return ``repr(value)``, cut to *limit* characters for long inputs.

    Examples
    --------
    >>> shorten("L94.2")
    "'L94.2'"
    >>> shorten("x" * 1000)[:12]
    "'xxxxxxxxxxx"
    >>> class Hostile:
    ...     def __repr__(self): raise RuntimeError
    >>> shorten(Hostile())
    '<Hostile object>'
    """
    try:
        text = repr(value)
        if not isinstance(text, str):
            raise TypeError("__repr__ returned a non-string")
    except Exception:  # a hostile __repr__: the message must still be made
        text = f"<{type(value).__name__} object>"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text)} characters)"


def check_limit(limit: object) -> int:
    """Return *limit* if it is a whole number of 0 or more, else raise :class:`InvalidCodeError`.

    Examples
    --------
    >>> check_limit(3)
    3
    """
    if type(limit) is not int or limit < 0:
        raise InvalidCodeError(limit, "a limit is a whole number, 0 or more", "limit")
    return limit


class ICD10KBError(Exception):
    """Base class of every error raised by icd10kb."""


class InvalidArgumentError(ICD10KBError, ValueError):
    """An argument that is not of the form a function takes (a limit, a list, an option).

    Attributes
    ----------
    value:
        The argument as given.
    reason:
        What is wrong with it.
    """

    def __init__(self, value: object, reason: str, what: str = "argument") -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{shorten(value)} is not a valid {what}: {reason}")


class InvalidCodeError(InvalidArgumentError):
    """The input is not a syntactically valid ICD-10-CM identifier (or code-like argument).

    Attributes
    ----------
    value:
        The input as given.
    """

    def __init__(self, value: object, reason: str, what: str = "ICD-10-CM code") -> None:
        super().__init__(value, reason, what)


class CodeNotFoundError(ICD10KBError, KeyError):
    """A well-formed code that the loaded release does not contain.

    Attributes
    ----------
    code:
        The normalised code that was looked up.
    suggestions:
        The nearest valid codes, best first (may be empty). They are worked
        out when first read (or when the message is shown), so that code that
        only tests validity never pays for them.
    """

    def __init__(
        self,
        code: str,
        suggestions: tuple[str, ...] | None = None,
        release: str = "",
        *,
        suggest: Callable[[], tuple[str, ...]] | None = None,
    ) -> None:
        self.code = code
        self.release = release
        self._suggestions = suggestions
        self._suggest = suggest
        super().__init__(code)

    @property
    def suggestions(self) -> tuple[str, ...]:
        if self._suggestions is None:
            suggest = self._suggest  # read once: another thread may be here too, and both get the same answer
            self._suggestions = tuple(suggest()) if suggest is not None else ()
        return self._suggestions

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.suggestions, self.release))

    def __str__(self) -> str:
        where = f" in ICD-10-CM {self.release}" if self.release else ""
        text = f"{self.code!r} is not a code{where}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(self.suggestions) + "?"
        return text


class UnknownReleaseError(ICD10KBError, KeyError):
    """A release name that is not shipped with the package."""

    def __init__(self, name: object, available: tuple[str, ...]) -> None:
        self.name = name
        self.available = available
        super().__init__(name)

    def __str__(self) -> str:
        return f"no embedded release {shorten(self.name)}; available: {', '.join(self.available)}"


class DataFileError(ICD10KBError, ValueError):
    """A data file is malformed, damaged or hostile.

    Attributes
    ----------
    path:
        The file's name (or ``"<stream>"`` for an anonymous file object).
    line, column:
        Where the problem is, 1-based, when known.
    """

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None) -> None:
        self.path = path
        self.message = message
        self.line = line
        self.column = column
        where = path
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {message}")


class KnowledgePackError(DataFileError):
    """A knowledge pack is invalid; it was rejected whole.

    Attributes
    ----------
    problems:
        One ``(location, message)`` pair per problem, the location being a
        JSON path such as ``diseases[0].symptoms[2].identifiers.HPO``.
    """

    def __init__(
        self, path: str, problems: list[tuple[str, str]], line: int | None = None, column: int | None = None
    ) -> None:
        self.problems = tuple(problems)
        if len(problems) == 1 and not problems[0][0]:  # unreadable, unparsable: one plain message
            super().__init__(path, problems[0][1], line, column)
            return
        listed = "; ".join(f"{loc or '<top>'}: {msg}" for loc, msg in problems[:20])
        if len(problems) > 20:
            listed += f"; … and {len(problems) - 20} more"
        super().__init__(path, f"invalid knowledge pack ({len(problems)} problem(s)): {listed}", line, column)


class KnowledgeWarning(UserWarning):
    """A knowledge pack names something the loaded release lacks, and the user chose warnings."""
