"""The base of the lightweight records: frozen, cheap to make, and pydantic types all the same.

Some values are handed out by the hundred thousand — the concept behind
``kb[code]``, the findings of a large ``kb.check`` — where building a
validated pydantic model for each would cost several times the work that
produced it. A :class:`Record` is a small object with ``__slots__`` whose
fields are properties; its pydantic *model class* (a frozen
:class:`~icd10kb.classification.models.Frozen` model) defines the fields
and the JSON Schema. The record offers the model's protocol —
``model_dump``, ``model_dump_json``, ``model_validate``,
``model_validate_json``, ``model_json_schema``, ``model_copy``,
``model_fields`` — by way of :meth:`Record.as_model`, and can be a field of
a pydantic model. Two records are equal when all their fields are.

A subclass names its fields in ``FIELDS`` and implements
:meth:`Record._model_class` and :meth:`Record._from_model`.

Importing this module does not import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel, GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["Record"]

R = TypeVar("R", bound="Record")


class Record:
    """A frozen, lightweight value whose fields and schema are those of a pydantic model class."""

    __slots__ = ()

    #: The names of the fields, in the order of the model.
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def __new__(cls: type[R], **fields: Any) -> R:  # a record from values, validated
        return cls._from_model(cls._model_class().model_validate(fields))

    @classmethod
    def _model_class(cls) -> type[BaseModel]:
        """The frozen pydantic model that defines the fields (imported when first asked for)."""
        raise NotImplementedError

    @classmethod
    def _from_model(cls: type[R], model: Any) -> R:
        """A record holding the values of a validated *model*."""
        raise NotImplementedError

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a {type(self).__name__} cannot be changed (tried to delete {name!r})")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    # --- the model's protocol ---------------------------------------------------

    def as_model(self) -> Any:
        """The same value as the frozen pydantic model that defines its fields."""
        from .models import construct

        return construct(self._model_class(), **dict(zip(self.FIELDS, self._values(), strict=True)))

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The fields as a dictionary (the arguments of pydantic's ``model_dump``)."""
        return self.as_model().model_dump(**kwargs)  # type: ignore[no-any-return]

    def model_dump_json(self, **kwargs: Any) -> str:
        """The fields as JSON (the arguments of pydantic's ``model_dump_json``)."""
        return self.as_model().model_dump_json(**kwargs)  # type: ignore[no-any-return]

    def model_copy(self: R, *, update: dict[str, Any] | None = None, deep: bool = False) -> R:
        """A copy with some fields changed, validated again (a bad value is refused).

        Records among the new values (a search hit's own matches) count as their models.
        """
        if type(update) is dict:
            update = {name: _as_models(value) for name, value in update.items()}
        return type(self)._from_model(self.as_model().model_copy(update=update, deep=deep))

    @classmethod
    def model_validate(cls: type[R], obj: Any) -> R:
        """A record from a dictionary (or model, or record), validated as the model is."""
        return cls._from_model(cls._model_class().model_validate(obj.as_model() if isinstance(obj, cls) else obj))

    @classmethod
    def model_validate_json(cls: type[R], data: str | bytes) -> R:
        """A record from JSON, validated as the model is."""
        return cls._from_model(cls._model_class().model_validate_json(data))

    @classmethod
    def model_json_schema(cls, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema of the record (that of its model class)."""
        return cls._model_class().model_json_schema(**kwargs)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        model_schema = handler.generate_schema(cls._model_class())
        from_model = core_schema.no_info_after_validator_function(cls._from_model, model_schema)
        return core_schema.json_or_python_schema(
            json_schema=from_model,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_model]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.as_model(), return_schema=model_schema
            ),
        )

    # --- value semantics ----------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or other._model_class() is not self._model_class():
            return NotImplemented
        return self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.model_dump()))

    def __copy__(self: R) -> R:
        return self

    def __deepcopy__(self: R, memo: dict[int, Any]) -> R:
        return self


class _ModelFields:
    """``model_fields`` of a record: those of its model class, read when first asked for."""

    def __get__(self, instance: object, owner: type[Record]) -> Any:
        try:
            return owner._model_class().model_fields
        except NotImplementedError:  # the base class itself: no model, no fields
            return {}


Record.model_fields = _ModelFields()  # type: ignore[attr-defined]


def _as_models(value: Any) -> Any:
    """*value* with records (itself, or the items of a tuple or list) replaced by their models."""
    if isinstance(value, Record):
        return value.as_model()
    if type(value) in (tuple, list) and any(isinstance(item, Record) for item in value):
        return type(value)(item.as_model() if isinstance(item, Record) else item for item in value)
    return value


def _rebuild(cls: type[R], fields: dict[str, Any]) -> R:
    return cls.model_validate(fields)
