"""The models of an instructional note and of a code reference in one; the kinds of notes, in the order shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import Field

from ..classification.models import Frozen

__all__ = ["NOTE_ORDER", "Note", "NoteEdge", "NoteKind", "Reference", "Shape"]

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


class Note(Frozen):
    """One instructional note of the classification, as written in the tabular list.

    Examples
    --------
    >>> kb.notes("L94")[0].kind
    'excludes1'
    """

    kind: NoteKind = Field(description="The kind of note (excludes1, code_first, inclusion_terms …).")
    text: str = Field(description="The note's text, white space folded.")
    at: str = Field(description="The concept that carries the note (an ancestor, for inherited notes).")


Shape = Literal["code", "code_and_below", "range", "block", "chapter", "qualified", "mention"]


class Reference(Frozen):
    """One code reference inside a note, and what it resolves to."""

    at: str = Field(description="The concept that carries the note.")
    kind: str = Field(description="The note's kind (excludes1, code_first …).")
    text: str = Field(description="The note's full text.")
    reference: str = Field(description="The reference as written, e.g. 'M30-M36' or 'S78.-'.")
    shape: Shape = Field(description="How the reference was read.")
    targets: tuple[str, ...] = Field(description="The concepts it names in this release (empty if unresolved).")
    below: bool = Field(description="Whether everything below the targets is meant too.")

    @property
    def resolved(self) -> bool:
        """Whether the reference names at least one concept of the release."""
        return bool(self.targets)


@dataclass(frozen=True)
class NoteEdge:
    """One edge of the graph made from a reference."""

    source: str
    target: str
    kind: str
    text: str
    reference: str
