"""Everything about one concept in one model: the concept, its path, children, notes and knowledge.

:func:`details` is what ``kb.details(code)`` and ``icd10kb show`` give; it
composes the core (the concept, its path and children), the notes layer and
the knowledge layer, so it sits above all three.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from pydantic import Field

from .classification.concept import Concept
from .classification.models import Frozen
from .knowledge.models import KnowledgeProfile
from .notes.models import Note

if TYPE_CHECKING:
    from .notes.models import Note as _Note


class _Facade(Protocol):
    """What the details need of a knowledge base: the core, the notes and the knowledge (the facade has them)."""

    def normalize(self, code: object) -> str: ...
    def __getitem__(self, code: object) -> Concept: ...
    def path(self, code: object) -> tuple[str, ...]: ...
    def children(self, code: object) -> tuple[str, ...]: ...
    def notes(self, code: object, *, inherited: bool = False) -> tuple[_Note, ...]: ...
    def knowledge(self, code: object) -> KnowledgeProfile: ...


__all__ = ["ConceptDetails", "details"]


class ConceptDetails(Frozen):
    """Everything known about one concept: what ``icd10kb show --json`` prints."""

    concept: Concept = Field(description="The concept itself.")
    path: tuple[Concept, ...] = Field(
        description="The concept's ancestors, chapter first (the concept itself is not repeated)."
    )
    children: tuple[Concept, ...] = Field(description="The concept's children.")
    notes: tuple[Note, ...] = Field(description="The concept's own notes, then those it inherits from its ancestors.")
    knowledge: KnowledgeProfile = Field(description="Clinical knowledge attached to the concept.")


def details(kb: _Facade, code: object) -> ConceptDetails:
    """Everything about *code* in one model.

    Examples
    --------
    >>> d = details(kb, "L94.2")
    >>> d.concept.title, [c.code for c in d.path], d.notes[0].at
    ('Calcinosis cutis', ['12', 'L80-L99', 'L94'], 'L94')
    """
    canonical = kb.normalize(code)
    return ConceptDetails.model_construct(
        concept=kb[canonical],
        path=tuple(kb[c] for c in kb.path(canonical)[:-1]),
        children=tuple(kb[c] for c in kb.children(canonical)),
        notes=kb.notes(canonical, inherited=True),
        knowledge=kb.knowledge(canonical),
    )
