"""The typed values that icd10kb hands out: frozen pydantic models.

Every model is immutable (``frozen=True``) and holds tuples, never lists,
so nothing a user receives can change the knowledge base. Every field has a
description, which also ends up in the JSON Schema in ``docs/schema``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ConceptModel",
    "Frozen",
    "Kind",
    "Release",
    "SeventhCharacter",
    "SourceFile",
    "construct",
]

M = TypeVar("M", bound=BaseModel)


class Frozen(BaseModel):
    """Base of all models: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def model_copy(self: M, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> M:
        """A copy; with *update*, validated again like a new model (pydantic would not check it).

        Raises
        ------
        InvalidArgumentError
            If *update* is not a mapping, or the updated values are not valid.

        Examples
        --------
        >>> release = kb.release
        >>> release.model_copy(update={"name": "mine"}).name
        'mine'
        >>> release.model_copy(update={"concepts": "many"})
        Traceback (most recent call last):
          ...
        icd10kb.errors.InvalidArgumentError: {'concepts': 'many'} is not a valid update: concepts: ...
        """
        from ..errors import InvalidArgumentError

        if type(deep) is not bool:
            raise InvalidArgumentError(deep, "deep is True or False", "deep")
        if update is None:
            return super().model_copy(deep=deep)
        if not isinstance(update, Mapping):
            raise InvalidArgumentError(update, "update is a mapping of field names to values", "update")
        from pydantic import ValidationError

        try:
            return type(self).model_validate({**self.__dict__, **dict(update)})
        except ValidationError as exc:
            reasons = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '<top>'}: {e['msg']}" for e in exc.errors()[:5]
            )
            raise InvalidArgumentError(update, reasons, "update") from None
        except (TypeError, ValueError) as exc:
            raise InvalidArgumentError(update, str(exc)[:200], "update") from None


def construct(cls: type[M], **values: Any) -> M:
    """Build a model from values that are already valid, without validating them again.

    The knowledge base hands out a model for every lookup, from data that was
    checked when the release was compiled; this skips pydantic's validation
    and ``model_construct``'s bookkeeping, which together cost several times
    the lookup itself. ``tests/test_models.py`` checks that the result equals
    what validation gives.
    """
    if not (isinstance(cls, type) and cls in _MODEL_CLASSES):  # issubclass on pydantic's metaclass is slow
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            from ..errors import InvalidArgumentError

            raise InvalidArgumentError(cls, "construct() builds a pydantic model class", "model class")
        _MODEL_CLASSES.add(cls)
    model = _new(cls)
    _set(model, "__dict__", values)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


_MODEL_CLASSES: set[type] = set()  # classes construct() has checked (a set: adding is atomic under threads)
_new = object.__new__
_set = object.__setattr__


Kind = Literal["chapter", "block", "category", "subcategory", "code"]


class SeventhCharacter(Frozen):
    """The 7th character of a code and what it means there."""

    character: str = Field(description="The 7th character, e.g. 'A'.")
    meaning: str = Field(
        description="What the character means for this code, e.g. 'initial encounter for closed fracture'."
    )
    defined_at: str = Field(description="The concept whose <sevenChrDef> gives this meaning.")


class ConceptModel(Frozen):
    """One concept as a pydantic model: the fields and JSON Schema of :class:`~icd10kb.classification.concept.Concept`.

    ``kb[code]`` hands out the lightweight :class:`~icd10kb.classification.concept.Concept`;
    ``concept.as_model()`` gives this model.

    Examples
    --------
    >>> kb["L94.2"].as_model().title
    'Calcinosis cutis'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, title="Concept")

    code: str = Field(
        description="The concept's identifier: '12' for a chapter, 'L80-L99' for a block, 'L94.2' for a code."
    )
    kind: Kind = Field(description="Where the concept stands in the hierarchy.")
    title: str = Field(
        description="The official title (for a 7th-character code: its base code's title and the character's meaning)."
    )
    billable: bool = Field(description="Whether the code is valid for a claim (a leaf of the hierarchy).")
    depth: int = Field(description="Number of ancestors: 0 for a chapter.")
    parent: str | None = Field(description="The parent concept's identifier; None for a chapter.")
    chapter: str = Field(description="The chapter the concept belongs to.")
    block: str | None = Field(
        description="The innermost block that holds the concept (None for a chapter or a top-level block)."
    )
    category: str | None = Field(
        description="The three-character category the concept belongs to (None above categories)."
    )
    seventh_character: SeventhCharacter | None = Field(
        default=None, description="For a 7th-character code: the character and its meaning."
    )


class SourceFile(Frozen):
    """One official file a release was built from."""

    name: str = Field(description="File name as published (gzip-compressed copy).")
    sha256: str = Field(description="SHA-256 of the file as shipped in the repository's data/official folder.")


class Release(Frozen):
    """Which edition of the classification a knowledge base holds, and where it came from."""

    name: str = Field(description="Short name of the release, e.g. '2026-04-01'.")
    classification: str = Field(description="The classification: 'ICD-10-CM'.")
    version: str = Field(description="The version written in the tabular file, e.g. '2026'.")
    effective: datetime.date | None = Field(description="The date the release took effect.")
    title: str = Field(description="A human-readable description of the release.")
    source: str = Field(description="Who publishes the classification.")
    license: str = Field(description="The terms under which the data may be used.")
    files: tuple[SourceFile, ...] = Field(description="The official files the release was built from, with checksums.")
    concepts: int = Field(description="Number of concepts (chapters, blocks and codes, 7th-character codes included).")
    billable: int = Field(description="Number of billable codes.")
    anomalies: tuple[str, ...] = Field(
        default=(), description="Oddities of the official files, kept as the files have them."
    )
