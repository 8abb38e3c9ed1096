"""The model of an instructional note and the kinds of notes, in the order they are shown."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from ..classification.models import Frozen

__all__ = ["NOTE_ORDER", "Note", "NoteKind"]

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
