"""The ``kb`` argument of the feature layers' functions: a knowledge base, or None for the default one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import InvalidArgumentError

if TYPE_CHECKING:
    from .classification.core import Classification as KnowledgeBase

__all__ = ["resolve_kb"]


def resolve_kb(kb: object) -> KnowledgeBase:
    """*kb*, a knowledge base from :func:`icd10kb.load`; ``icd10kb.load()`` when it is None.

    Raises
    ------
    InvalidArgumentError
        If *kb* is anything else.

    Examples
    --------
    >>> resolve_kb(None) is resolve_kb(kb)
    True
    """
    if kb is None:
        import icd10kb  # the public API (the features under it must not import load's module back)

        return icd10kb.load()
    from .classification.core import Classification

    if not isinstance(kb, Classification):
        raise InvalidArgumentError(kb, "pass a KnowledgeBase from icd10kb.load(), or None", "kb")
    return kb  # type: ignore[return-value]
