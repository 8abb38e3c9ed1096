"""What a search hands out: frozen, lightweight records that pydantic understands.

:class:`SearchHit` and :class:`Match` hold their values in a tuple, so a
search builds no validated model and a fresh ``icd10kb search`` process
never imports pydantic. They behave as the frozen models of
:mod:`icd10kb.search.models`, which define their fields and JSON Schema:
``model_dump``, ``model_dump_json``, ``model_validate`` and
``model_json_schema`` give what the models give, and a record may be a
field of a pydantic model. Two records are equal when their fields are.

Importing this module does not import pydantic.
"""

from __future__ import annotations

from typing import Any

from ..classification.record import Record

__all__ = ["Match", "SearchHit"]

_new = object.__new__


class _Record(Record):
    """A record whose fields are those of a model of :mod:`icd10kb.search.models`, made from its values
    in order (unvalidated: the search makes them from its own index)."""

    __slots__ = ("_v",)
    _v: tuple[Any, ...]

    def __new__(cls, *values: Any) -> Any:
        record = _new(cls)
        _set(record, values)
        return record

    @classmethod
    def _model_class(cls) -> Any:
        from . import models

        return getattr(models, cls.__name__)

    def _values(self) -> tuple[Any, ...]:
        return self._v

    def as_model(self) -> Any:
        """The same values as the frozen pydantic model of :mod:`icd10kb.search.models`."""
        from ..classification.models import construct

        values = {}
        for name, value in zip(self.FIELDS, self._v, strict=True):
            if name == "matches":
                value = tuple(m.as_model() for m in value)
            values[name] = value
        return construct(self._model_class(), **values)

    @classmethod
    def _from_model(cls, model: Any) -> Any:
        values = []
        for name in cls.FIELDS:
            value = getattr(model, name)
            if name == "matches":
                value = tuple(Match._from_model(m) for m in value)
            values.append(value)
        return cls(*values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._v)


_set = _Record._v.__set__  # type: ignore[attr-defined]


def _field(index: int, doc: str) -> property:
    return property(lambda self: self._v[index], doc=doc)


class Match(_Record):
    """One text of a hit that holds query words (see :class:`icd10kb.search.models.Match`).

    Examples
    --------
    >>> m = Match("includes", "high blood pressure", ("high", "blood", "pressur"))
    >>> m.field, m.model_dump()["words"]
    ('includes', ('high', 'blood', 'pressur'))
    """

    __slots__ = ()
    FIELDS = ("field", "text", "words")
    field: str = _field(0, "Where the text stands: title, inclusion term, includes, knowledge, or a label.")  # type: ignore[assignment]
    text: str = _field(1, "The text itself.")  # type: ignore[assignment]
    words: tuple[str, ...] = _field(2, "The query's words (as folded and trimmed) that it holds.")  # type: ignore[assignment]


class SearchHit(_Record):
    """One result of a search (see :class:`icd10kb.search.models.SearchHit`).

    Examples
    --------
    >>> hit = kb.search("calcinosis cutis", 1)[0]
    >>> hit.code, hit.model_dump()["title"]
    ('L94.2', 'Calcinosis cutis')
    >>> type(hit).model_validate_json(hit.model_dump_json()) == hit
    True
    """

    __slots__ = ()
    FIELDS = (
        "code",
        "title",
        "score",
        "matched_words",
        "query_words",
        "matches",
        "corrections",
        "seventh_characters",
    )
    code: str = _field(0, "The concept's identifier.")  # type: ignore[assignment]
    title: str = _field(1, "The concept's title.")  # type: ignore[assignment]
    score: float = _field(2, "Relevance; higher is better. Comparable within one search only.")  # type: ignore[assignment]
    matched_words: int = _field(3, "How many of the query's words the concept holds.")  # type: ignore[assignment]
    query_words: int = _field(4, "How many words the query has (after folding).")  # type: ignore[assignment]
    matches: tuple[Match, ...] = _field(5, "The texts that matched, best field first.")  # type: ignore[assignment]
    corrections: tuple[tuple[str, str], ...] = _field(6, "Query words read as other words (typo, word).")  # type: ignore[assignment]
    seventh_characters: int = _field(7, "How many 7th-character codes lie below this code.")  # type: ignore[assignment]
