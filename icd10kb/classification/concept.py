"""The record ``kb[code]`` hands out: a frozen, lightweight view of one concept.

A :class:`Concept` holds three things — the release's store, the concept's
position and its 7th character — so building one costs a small object, not
a validated model: looking a code up stays as cheap as a dictionary
access. Its fields (``code``, ``title``, ``parent`` …) are read from the
store when asked for.

It is still a pydantic type: :meth:`Concept.model_dump`,
:meth:`Concept.model_dump_json`, :meth:`Concept.model_validate` and
:meth:`Concept.model_json_schema` behave as on the frozen model
:class:`~icd10kb.classification.models.ConceptModel`, which defines the
fields and the JSON Schema, and a ``Concept`` may be a field of a pydantic
model. A concept made by validation holds its values instead of a store.
Two concepts are equal when all their fields are.

Importing this module does not import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .store import KIND_NAMES

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

    from .models import ConceptModel, SeventhCharacter
    from .store import Store

__all__ = ["FIELDS", "Concept"]

#: The fields of a concept, in the order of the model.
FIELDS = (
    "code",
    "kind",
    "title",
    "billable",
    "depth",
    "parent",
    "chapter",
    "block",
    "category",
    "seventh_character",
)

_new = object.__new__


class Concept:
    """One concept of the classification: a chapter, block, category, subcategory or code.

    Examples
    --------
    >>> c = kb["L94.2"]
    >>> c.title, c.kind, c.billable, c.parent
    ('Calcinosis cutis', 'code', True, 'L94')
    >>> c.model_dump()["chapter"]
    '12'
    >>> type(c).model_validate(c.model_dump()) == c
    True
    """

    __slots__ = ("_v",)
    _v: tuple[Any, Any, str]  # (store, position, 7th character), or (None, model, "") for a validated one

    def __new__(cls, **fields: Any) -> Concept:  # a concept from values, validated
        from .models import ConceptModel

        return cls._from_model(ConceptModel.model_validate(fields))

    @classmethod
    def _bound(cls, store: Store, position: int, char: str) -> Concept:
        concept = _new(cls)
        _set(concept, (store, position, char))
        return concept

    @classmethod
    def _from_model(cls, model: ConceptModel) -> Concept:
        concept = _new(cls)
        _set(concept, (None, model, ""))
        return concept

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Concept cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a Concept cannot be changed (tried to delete {name!r})")

    # --- fields --------------------------------------------------------------

    def _model(self) -> ConceptModel | None:
        store, model, _ = self._v
        return model if store is None else None  # type: ignore[no-any-return]

    @property
    def code(self) -> str:
        """The concept's identifier: '12' for a chapter, 'L80-L99' for a block, 'L94.2' for a code."""
        store, position, char = self._v
        if store is None:
            return position.code  # type: ignore[no-any-return]
        return store.id_of((position, char)) if char else store.ids[position]  # type: ignore[no-any-return]

    @property
    def kind(self) -> str:
        """Where the concept stands in the hierarchy."""
        store, position, char = self._v
        if store is None:
            return position.kind  # type: ignore[no-any-return]
        return "code" if char else KIND_NAMES[store.kinds[position]]

    @property
    def title(self) -> str:
        """The official title (for a 7th-character code: its base code's title and the character's meaning)."""
        store, position, char = self._v
        if store is None:
            return position.title  # type: ignore[no-any-return]
        return store.title((position, char))  # type: ignore[no-any-return]

    @property
    def billable(self) -> bool:
        """Whether the code is valid for a claim (a leaf of the hierarchy)."""
        store, position, char = self._v
        if store is None:
            return position.billable  # type: ignore[no-any-return]
        return bool(char) or store.billable[position] == 1

    @property
    def depth(self) -> int:
        """Number of ancestors: 0 for a chapter."""
        store, position, char = self._v
        if store is None:
            return position.depth  # type: ignore[no-any-return]
        return store.depths[position] + (1 if char else 0)  # type: ignore[no-any-return]

    @property
    def parent(self) -> str | None:
        """The parent concept's identifier; None for a chapter."""
        store, position, char = self._v
        if store is None:
            return position.parent  # type: ignore[no-any-return]
        if char:
            return store.ids[position]  # type: ignore[no-any-return]
        up = store.parents[position]
        return store.ids[up] if up >= 0 else None

    @property
    def chapter(self) -> str:
        """The chapter the concept belongs to."""
        store, position, _ = self._v
        if store is None:
            return position.chapter  # type: ignore[no-any-return]
        return store.ids[store.chapter_and_block(position)[0]]  # type: ignore[no-any-return]

    @property
    def block(self) -> str | None:
        """The innermost block that holds the concept (None for a chapter or a top-level block)."""
        store, position, _ = self._v
        if store is None:
            return position.block  # type: ignore[no-any-return]
        block = store.chapter_and_block(position)[1]
        return store.ids[block] if block >= 0 else None

    @property
    def category(self) -> str | None:
        """The three-character category the concept belongs to (None above categories)."""
        store, position, _ = self._v
        if store is None:
            return position.category  # type: ignore[no-any-return]
        return store.category_of(position)  # type: ignore[no-any-return]

    @property
    def seventh_character(self) -> SeventhCharacter | None:
        """For a 7th-character code: the character and its meaning."""
        store, position, char = self._v
        if store is None:
            return position.seventh_character  # type: ignore[no-any-return]
        if not char:
            return None
        from .models import SeventhCharacter, construct

        ref = (position, char)
        return construct(SeventhCharacter, character=char, meaning=store.meaning(ref), defined_at=store.rule_owner(ref))

    # --- the model's protocol ---------------------------------------------------

    def as_model(self) -> ConceptModel:
        """The same concept as the frozen pydantic model :class:`~icd10kb.classification.models.ConceptModel`."""
        model = self._model()
        if model is not None:
            return model
        from .models import ConceptModel, construct

        return construct(ConceptModel, **{name: getattr(self, name) for name in FIELDS})

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        """The fields as a dictionary (the arguments of pydantic's ``model_dump``)."""
        return self.as_model().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        """The fields as JSON (the arguments of pydantic's ``model_dump_json``)."""
        return self.as_model().model_dump_json(**kwargs)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Concept:
        """A copy with some fields changed, validated again (a bad value is refused)."""
        data = self.model_dump()
        data.update(update or {})
        return type(self).model_validate(data)

    @classmethod
    def model_validate(cls, obj: Any) -> Concept:
        """A concept from a dictionary (or model), validated as the model is."""
        from .models import ConceptModel

        return cls._from_model(ConceptModel.model_validate(obj.as_model() if isinstance(obj, Concept) else obj))

    @classmethod
    def model_validate_json(cls, data: str | bytes) -> Concept:
        """A concept from JSON, validated as the model is."""
        from .models import ConceptModel

        return cls._from_model(ConceptModel.model_validate_json(data))

    @classmethod
    def model_json_schema(cls, **kwargs: Any) -> dict[str, Any]:
        """The JSON Schema of a concept (that of :class:`~icd10kb.classification.models.ConceptModel`)."""
        from .models import ConceptModel

        return ConceptModel.model_json_schema(**kwargs)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        from .models import ConceptModel

        model_schema = handler.generate_schema(ConceptModel)
        from_model = core_schema.no_info_after_validator_function(cls._from_model, model_schema)
        return core_schema.json_or_python_schema(
            json_schema=from_model,
            python_schema=core_schema.union_schema([core_schema.is_instance_schema(cls), from_model]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: value.as_model(), return_schema=model_schema
            ),
        )

    # --- value semantics ----------------------------------------------------------

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Concept):
            return NotImplemented
        if self._v[0] is not None and self._v[0] is other._v[0]:
            return self._v[1:] == other._v[1:]
        return self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.code, self.title))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in FIELDS)
        return f"Concept({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.as_model().model_dump(),))

    def __copy__(self) -> Concept:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Concept:
        return self


class _ModelFields:
    """``Concept.model_fields``: the fields of the model, read when first asked for."""

    def __get__(self, instance: object, owner: type) -> Any:
        from .models import ConceptModel

        return ConceptModel.model_fields


Concept.model_fields = _ModelFields()  # type: ignore[attr-defined]
_set = Concept._v.__set__  # type: ignore[attr-defined]


def _rebuild(fields: dict[str, Any]) -> Concept:
    return Concept.model_validate(fields)
