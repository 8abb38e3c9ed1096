"""The instructional notes of a concept, as :class:`~icd10kb.notes.models.Note` values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError

if TYPE_CHECKING:
    from ..classification.core import Classification
    from .models import Note

__all__ = ["notes"]


def notes(kb: Classification, code: object, *, inherited: bool = False) -> tuple[Note, ...]:
    """The instructional notes of *code*.

    Parameters
    ----------
    kb:
        The release.
    code:
        The concept.
    inherited:
        Also return the notes of its ancestors, which apply to it too
        (an Excludes1 note at a category covers all its codes).

    Notes
    -----
    A 7th-character code has no notes of its own: it gets one
    ``seventh_characters`` note with its own character and meaning (carried
    by the concept that defines it), and its base code's notes only with
    *inherited*.

    Examples
    --------
    >>> [n.text for n in notes(kb, "L94")]
    ['systemic connective tissue disorders (M30-M36)']
    >>> [n.at for n in notes(kb, "L94.2", inherited=True)][:1]
    ['L94']
    """
    from .models import NOTE_ORDER, Note

    if type(inherited) is not bool:
        raise InvalidArgumentError(inherited, "inherited is True or False", "inherited")
    ref = kb.ref(code)
    store = kb.store
    table = kb.notes_table()
    ids = [store.id_of(ref)] if not ref[1] else []
    if inherited:
        ids += [store.ids[p] for p in store.ancestors(ref)]
    out: list[Note] = []
    if ref[1]:
        out.append(
            Note.model_construct(
                kind="seventh_characters", text=f"{ref[1]}: {store.meaning(ref)}", at=store.rule_owner(ref)
            )
        )
    for owner in ids:
        own = table.get(owner, {})
        for kind in sorted(own, key=NOTE_ORDER.get):  # type: ignore[arg-type]
            if ref[1] and kind == "seventh_characters":
                continue  # a 7th-character code has its own character above, not the whole table
            out.extend(Note.model_construct(kind=kind, text=text, at=owner) for text in own[kind])  # type: ignore[arg-type]
    return tuple(out)
