"""What :func:`~icd10kb.notes.checks.check` reports: a :class:`Finding` per problem.

A large encounter can make hundreds of thousands of Excludes1 findings, so
a :class:`Finding` is a lightweight record (see
:mod:`icd10kb.classification.record`): a frozen object that holds its
values, with the fields, validation and JSON Schema of the pydantic model
:class:`FindingModel`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from ..classification.models import Frozen
from ..classification.record import Record

__all__ = ["Finding", "FindingKind", "FindingModel"]

FindingKind = Literal[
    "malformed", "unknown", "missing_seventh_character", "not_billable", "duplicate", "excludes1", "code_first"
]


class FindingModel(Frozen):  # the fields and JSON Schema of Finding; its docstring is the schema's description
    """One problem with the codes of an encounter."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, title="Finding")

    kind: FindingKind = Field(description="What kind of problem it is.")
    severity: Literal["error", "warning"] = Field(description="error: the set breaks a rule; warning: worth a look.")
    codes: tuple[str, ...] = Field(description="The codes concerned, as given (normalised where possible).")
    message: str = Field(description="What is wrong, in words.")
    note: str | None = Field(default=None, description="The text of the note the finding rests on.")
    note_at: str | None = Field(default=None, description="The concept that carries that note.")
    suggestions: tuple[str, ...] = Field(default=(), description="Codes that could be meant instead.")


_FIELDS = ("kind", "severity", "codes", "message", "note", "note_at", "suggestions")
_new = object.__new__


class Finding(Record):
    """One problem with the codes of an encounter.

    Examples
    --------
    >>> finding = kb.check(["L94.2", "M34.0"])[0]
    >>> finding.kind, finding.codes, finding.note_at
    ('excludes1', ('L94.2', 'M34.0'), 'L94')
    >>> finding.message
    'L94.2 and M34.0 are not coded together (Excludes1 at L94)'
    >>> Finding.model_validate_json(finding.model_dump_json()) == finding
    True
    """

    __slots__ = ("_v",)
    _v: tuple[Any, ...]  # the values, in the order of FIELDS; message None for an Excludes1 pair (made when read)
    FIELDS = _FIELDS

    @classmethod
    def _model_class(cls) -> type[FindingModel]:
        return FindingModel

    @classmethod
    def _from_model(cls, model: Any) -> Finding:
        return _make(tuple(getattr(model, name) for name in _FIELDS))

    @classmethod
    def _excludes1(cls, a: str, b: str, at: str, text: str) -> Finding:
        """The finding that *a* and *b* are not coded together under the Excludes1 note *text* at *at*."""
        finding = _new(cls)
        _set(finding, ("excludes1", "error", (a, b), None, text, at, ()))
        return finding

    @property
    def kind(self) -> str:
        """What kind of problem it is."""
        return self._v[0]  # type: ignore[no-any-return]

    @property
    def severity(self) -> str:
        """error: the set breaks a rule; warning: worth a look."""
        return self._v[1]  # type: ignore[no-any-return]

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes concerned, as given (normalised where possible)."""
        return self._v[2]  # type: ignore[no-any-return]

    @property
    def message(self) -> str:
        """What is wrong, in words."""
        values = self._v
        if values[3] is None:  # an Excludes1 pair
            (a, b), at = values[2], values[5]
            return f"{a} and {b} are not coded together (Excludes1 at {at})"
        return values[3]  # type: ignore[no-any-return]

    @property
    def note(self) -> str | None:
        """The text of the note the finding rests on."""
        return self._v[4]  # type: ignore[no-any-return]

    @property
    def note_at(self) -> str | None:
        """The concept that carries that note."""
        return self._v[5]  # type: ignore[no-any-return]

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Codes that could be meant instead."""
        return self._v[6]  # type: ignore[no-any-return]

    def _values(self) -> tuple[Any, ...]:
        values = self._v
        return values if values[3] is not None else (*values[:3], self.message, *values[4:])


_set = Finding._v.__set__  # type: ignore[attr-defined]


def _make(values: tuple[Any, ...]) -> Finding:
    finding = _new(Finding)
    _set(finding, values)
    return finding
