"""The typed values that icd10kb hands out: frozen pydantic models.

Every model is immutable (``frozen=True``) and holds tuples, never lists,
so nothing a user receives can change the knowledge base. Every field has a
description, which also ends up in the JSON Schema in ``docs/schema``.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, Field

from .knowledge_models import Frozen, KnowledgeProfile

__all__ = [
    "NOTE_ORDER",
    "Concept",
    "construct",
    "ConceptDetails",
    "Kind",
    "Note",
    "NoteKind",
    "Release",
    "SeventhCharacter",
    "SourceFile",
]

M = TypeVar("M", bound=BaseModel)


def construct(cls: type[M], **values: Any) -> M:
    """Build a model from values that are already valid, without validating them again.

    The knowledge base hands out a model for every lookup, from data that was
    checked when the release was compiled; this skips pydantic's validation
    and ``model_construct``'s bookkeeping, which together cost several times
    the lookup itself. ``tests/test_models.py`` checks that the result equals
    what validation gives.
    """
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


Kind = Literal["chapter", "block", "category", "subcategory", "code"]

NoteKind = Literal[
    "includes",
    "inclusion_terms",
    "excludes1",
    "excludes2",
    "code_first",
    "use_additional_code",
    "code_also",
    "notes",
    "seventh_character_note",
    "seventh_characters",
    "table",
]

#: The order notes are shown in: that of :data:`NoteKind`.
NOTE_ORDER: dict[str, int] = {kind: i for i, kind in enumerate(get_args(NoteKind))}


class SeventhCharacter(Frozen):
    """The 7th character of a code and what it means there."""

    character: str = Field(description="The 7th character, e.g. 'A'.")
    meaning: str = Field(
        description="What the character means for this code, e.g. 'initial encounter for closed fracture'."
    )
    defined_at: str = Field(description="The concept whose <sevenChrDef> gives this meaning.")


class Concept(Frozen):
    """One concept of the classification: a chapter, block, category, subcategory or code.

    Examples
    --------
    >>> c = kb["L94.2"]
    >>> c.title, c.kind, c.billable, c.parent
    ('Calcinosis cutis', 'code', True, 'L94')
    """

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


class Note(Frozen):
    """One instructional note of the classification, as written in the tabular list."""

    kind: NoteKind = Field(description="The kind of note (excludes1, code_first, inclusion_terms …).")
    text: str = Field(description="The note's text, white space folded.")
    at: str = Field(description="The concept that carries the note (an ancestor, for inherited notes).")


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


class ConceptDetails(Frozen):
    """Everything known about one concept: what ``icd10kb show --json`` prints."""

    concept: Concept = Field(description="The concept itself.")
    path: tuple[Concept, ...] = Field(
        description="The concept's ancestors, chapter first (the concept itself is not repeated)."
    )
    children: tuple[Concept, ...] = Field(description="The concept's children.")
    notes: tuple[Note, ...] = Field(description="The concept's own notes, then those it inherits from its ancestors.")
    knowledge: KnowledgeProfile = Field(description="Clinical knowledge attached to the concept.")
