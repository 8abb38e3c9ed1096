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

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pydantic import BaseModel, GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["Match", "SearchHit"]


class _Record:
    """A frozen record whose fields are those of a model of :mod:`icd10kb.search.models`."""

    __slots__ = ("_values",)
    _fields: ClassVar[tuple[str, ...]] = ()
    _values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "_values", values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to delete {name!r})")

    @classmethod
    def _model(cls) -> type[BaseModel]:
        from . import models

        return getattr(models, cls.__name__)  # type: ignore[no-any-return]

    def as_model(self) -> BaseModel:
        """The same values as the frozen pydantic model of :mod:`icd10kb.search.models`."""
        from ..classification.models import construct

        values = {}
        for name, value in zip(self._fields, self._values):
            if name == "matches":
                value = tuple(m.as_model() for m in value)
            values[name] = value
        return construct(self._model(), **values)

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The fields as a dictionary (the arguments of pydantic's ``model_dump``)."""
        return self.as_model().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """The fields as JSON (the arguments of pydantic's ``model_dump_json``)."""
        return self.as_model().model_dump_json(**kwargs)

    @classmethod
    def _from_model(cls, model: Any) -> Any:
        values = []
        for name in cls._fields:
            value = getattr(model, name)
            if name == "matches":
                value = tuple(Match._from_model(m) for m in value)
            values.append(value)
        return cls(*values)

    @classmethod
    def model_validate(cls, obj: Any) -> Any:
        """A record from a dictionary (or model), validated as the model is."""
        if isinstance(obj, _Record):
            obj = obj.as_model()
        return cls._from_model(cls._model().model_validate(obj))

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Any:
        """A record from JSON, validated as the model is."""
        return cls._from_model(cls._model().model_validate_json(data))

    @classmethod
    def model_json_schema(cls, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema (that of the model of :mod:`icd10kb.search.models`)."""
        return cls._model().model_json_schema(**kwargs)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        model_schema = handler.generate_schema(cls._model())
        from_model = core_schema.no_info_after_validator_function(cls._from_model, model_schema)
        return core_schema.json_or_python_schema(
            json_schema=from_model,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_model]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.as_model(), return_schema=model_schema
            ),
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values == other._values

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self._values))
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._values)


def _field(index: int, doc: str) -> property:
    return property(lambda self: self._values[index], doc=doc)


class Match(_Record):
    """One text of a hit that holds query words (see :class:`icd10kb.search.models.Match`).

    Examples
    --------
    >>> m = Match("includes", "high blood pressure", ("high", "blood", "pressur"))
    >>> m.field, m.model_dump()["words"]
    ('includes', ('high', 'blood', 'pressur'))
    """

    __slots__ = ()
    _fields = ("field", "text", "words")
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
    _fields = (
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
