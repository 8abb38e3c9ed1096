"""A code typed as a search query: the code, then its close relatives.

A search box that takes words also takes codes. When the whole query is a
code of the release, in any spelling the classification accepts (``l94.2``,
``e119``, ``S72001A``), or a category written with a trailing dash as the
notes write it (``G30.-``), the search returns that code first, then its
parent, its children and its siblings, in the classification's order, and
reads no words: ``e119`` is not the number 119 of ``Y90.5``. A chapter
given as a bare number (``2``) is read as words, and the chapter comes first.
Each hit's one match says how it relates to the code typed: ``code``,
``parent of``, ``child of`` or ``sibling of``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..classification.codes import normalize
from ..errors import ICD10KBError

if TYPE_CHECKING:
    from ..classification.store import Ref, Store

__all__ = ["code_query"]  # related_hits is SearchIndex's own step: its arguments are the index's

#: The score of each relation: the code itself first, then its parent, children and siblings.
SCORES = {"code": 4.0, "parent of": 3.0, "child of": 2.0, "sibling of": 1.0}


def code_query(store: Store, text: str) -> Ref | None:
    """The concept that the whole of *text* names, or None when *text* is words (or a bare number).

    Examples
    --------
    >>> store = kb.store
    >>> [store.id_of(code_query(store, q)) for q in ("l94.2", "e119", "G30.-", "s72001a")]
    ['L94.2', 'E11.9', 'G30', 'S72.001A']
    >>> code_query(store, "2") is None, code_query(store, "calcinosis") is None
    (True, True)
    """
    from ..arguments import check_text
    from ..classification.store import Store
    from ..errors import InvalidArgumentError

    if not isinstance(store, Store):
        raise InvalidArgumentError(store, "code_query() takes a release's Store (kb.store)", "store")
    typed = check_text(text, "search text").strip()
    if typed.endswith("-"):  # "G30.-", "S72.001-": the code, to be completed
        typed = typed.rstrip("-").rstrip(".")
    if not typed or typed.isdigit() or len(typed) > 20:
        return None
    try:
        return store.resolve(normalize(typed))
    except ICD10KBError:
        return None


def related_hits(
    kb: Any,
    ref: Ref,
    words: list[str],
    limit: int,
    keep: Callable[[Ref], bool],
    make_hit: Callable[[Ref, float, str, str, tuple[str, ...], int], Any],
) -> tuple[Any, ...]:
    """The hits for a code typed as the query: the code, its parent, children and siblings (those *keep* keeps)."""
    store = kb.store
    code = store.id_of(ref)
    up = store.parent(ref)
    found: list[tuple[Ref, str]] = [(ref, "code")]
    if up is not None:
        found.append((up, "parent of"))
    found += [(child, "child of") for child in store.children(ref)]
    if up is not None:
        found += [(sibling, "sibling of") for sibling in store.children(up) if sibling != ref]
    hits: list[Any] = []
    for relative, relation in found:
        if len(hits) >= limit:
            break
        if keep(relative):
            held = tuple(words) if relation == "code" else ()
            hits.append(make_hit(relative, SCORES[relation], relation, code, held, len(words)))
    return tuple(hits)
