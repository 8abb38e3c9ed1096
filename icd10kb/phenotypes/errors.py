"""Errors of the phenotype layer, all in icd10kb's one error tree.

- :class:`TermNotFoundError` (an :class:`~icd10kb.errors.InvalidArgumentError`,
  so a ``ValueError``, and a ``KeyError``): a well-formed HPO id that the
  shipped release does not have.
- :class:`ObsoleteTermError`, its subclass: the id is obsolete, or a secondary
  (alternative) id of a merged term; it carries HPO's replacement(s).
- :class:`UnknownPhenotypeError` (an ``InvalidArgumentError``): words that
  name no HPO term (by label or synonym); it carries close labels.
- :class:`DiseaseNotFoundError` (a ``KeyError``): a disease id without annotations.

Examples
--------
>>> from icd10kb.phenotypes import ontology
>>> try:
...     ontology().term("HP:0003114")
... except ObsoleteTermError as exc:
...     print(exc.replaced_by)
...     print(str(exc).split("; ")[1])
('HP:0001626',)
HPO replaces it with HP:0001626 (Abnormality of the cardiovascular system)
"""

from __future__ import annotations

from ..errors import ICD10KBError, InvalidArgumentError, shorten

__all__ = ["DiseaseNotFoundError", "ObsoleteTermError", "TermNotFoundError", "UnknownPhenotypeError"]


class TermNotFoundError(InvalidArgumentError, KeyError):
    """A well-formed HPO id that the shipped HPO release does not contain.

    Attributes
    ----------
    term:
        The id, normalised (``HP:nnnnnnn``).
    """

    def __init__(self, term: str, reason: str = "not a term") -> None:
        self.term = term
        InvalidArgumentError.__init__(self, term, reason, "HPO term")
        self._text = f"{term!r} is {reason}"

    def __str__(self) -> str:
        return self._text

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[TermNotFoundError], state: dict[str, object]) -> TermNotFoundError:
    error = Exception.__new__(cls)
    error.__dict__.update(state)
    error.args = (state.get("_text", ""),)
    return error


class ObsoleteTermError(TermNotFoundError):
    """An obsolete or secondary HPO id; HPO's replacement is given where it names one.

    Attributes
    ----------
    replaced_by:
        The live terms HPO names as replacements (usually one; empty if none).
    consider:
        Terms HPO suggests considering instead, when it names no replacement.
    """

    def __init__(self, term: str, reason: str, replaced_by: tuple[str, ...], consider: tuple[str, ...] = ()) -> None:
        self.replaced_by = replaced_by
        self.consider = consider
        super().__init__(term, reason)


class UnknownPhenotypeError(InvalidArgumentError):
    """Words that name no HPO term by label or synonym.

    Attributes
    ----------
    suggestions:
        ``(id, label)`` of terms whose label or synonym shares the most words with it.
    """

    def __init__(self, text: object, suggestions: tuple[tuple[str, str], ...] = ()) -> None:
        self.suggestions = suggestions
        hint = "; did you mean " + ", ".join(f"{i} ({label})" for i, label in suggestions) + "?" if suggestions else ""
        super().__init__(text, "no HPO term has this label or synonym" + hint, "phenotype")


class DiseaseNotFoundError(ICD10KBError, KeyError):
    """A disease id (``OMIM:…``, ``ORPHA:…``, ``DECIPHER:…``) that has no HPO annotation."""

    def __init__(self, disease: object) -> None:
        self.disease = disease
        super().__init__(disease)

    def __str__(self) -> str:
        return f"{shorten(self.disease)} is not a disease annotated in HPO 2025-01-16"
