"""The record ``kb[code]`` hands out: a frozen, lightweight view of one concept.

A :class:`Concept` holds three things — the release's store, the concept's
position and its 7th character — so building one costs a small object, not
a validated model: looking a code up stays as cheap as a dictionary
access. Its fields (``code``, ``title``, ``parent`` …) are read from the
store when asked for.

It is still a pydantic type (a :class:`~icd10kb.classification.record.Record`):
:meth:`Concept.model_dump`, :meth:`Concept.model_dump_json`,
:meth:`Concept.model_validate` and :meth:`Concept.model_json_schema` behave
as on the frozen model :class:`~icd10kb.classification.models.ConceptModel`,
which defines the fields and the JSON Schema, and a ``Concept`` may be a
field of a pydantic model. A concept made by validation holds its values
instead of a store. Two concepts are equal when all their fields are.

Importing this module does not import pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .record import Record
from .store import KIND_NAMES

if TYPE_CHECKING:
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


class Concept(Record):
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
    FIELDS = FIELDS

    @classmethod
    def _model_class(cls) -> type[ConceptModel]:
        from .models import ConceptModel

        return ConceptModel

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

    # --- value semantics ----------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Concept):
            return NotImplemented
        if self._v[0] is not None and self._v[0] is other._v[0]:
            return self._v[1:] == other._v[1:]
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.code, self.title))


_set = Concept._v.__set__  # type: ignore[attr-defined]


def _rebuild(fields: dict[str, Any]) -> Concept:
    """Loads a concept pickled by an earlier version (its ``__reduce__`` named this function)."""
    return Concept.model_validate(fields)
