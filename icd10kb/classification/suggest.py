"""Suggestions for mistyped or unknown codes.

Candidates come from single edits of the code (a character dropped,
changed, inserted, or two neighbours swapped: ``L49.2`` → ``L94.2``), from
the valid 7th characters of the right base code (``S06.1X7D`` →
``S06.1X7A``) and from the children of the longest known prefix
(``L94.7`` → ``L94.6``, ``L94.8``). Codes that differ from the input only
by look-alike characters (``I1O`` for ``I10``) come first; the others are
ranked by edit distance, then by how long a prefix they share with the
input, and the best code with two neighbouring characters swapped is kept
in the list (``L49.2`` → ``L94.2``).
"""

from __future__ import annotations

import string
from typing import Any, Protocol

from ..classification.codes import dotted, normalize, strip_dot
from ..errors import ICD10KBError


class Classification(Protocol):
    """What suggestions need of a release: its children and its records."""

    def children(self, code: object) -> tuple[str, ...]: ...

    def get(self, code: object, default: Any = None) -> Any: ...


__all__ = ["edit_distance", "suggest"]

_ALPHABET = string.ascii_uppercase + string.digits
#: Characters easily typed or read for one another.
_LOOKALIKE = {"O": "0", "0": "O", "I": "1", "1": "I", "Z": "2", "2": "Z", "S": "5", "5": "S", "B": "8", "8": "B"}


def _lookalikes(flat: str) -> set[str]:
    """*flat* with look-alike characters swapped (O for 0, I for 1 …), after the first character."""
    variants = {flat}
    for i in range(1, len(flat)):  # at most 2**6 variants: codes are short
        if flat[i] in _LOOKALIKE:
            variants |= {v[:i] + _LOOKALIKE[flat[i]] + v[i + 1 :] for v in variants}
    variants.discard(flat)
    return variants


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (edits, counting swaps of neighbours as one).

    Examples
    --------
    >>> edit_distance("L492", "L942"), edit_distance("L942X", "L942")
    (1, 1)
    """
    if type(a) is not str or type(b) is not str or len(a) > 100 or len(b) > 100:
        from ..arguments import check_text

        a, b = check_text(a, "text", 100), check_text(b, "text", 100)  # quadratic: short texts only
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _edits(flat: str) -> set[str]:
    out = set()
    for i in range(len(flat) + 1):
        if i < len(flat):
            out.add(flat[:i] + flat[i + 1 :])
            for c in _ALPHABET:
                out.add(flat[:i] + c + flat[i + 1 :])
        if i < len(flat) - 1:
            out.add(flat[:i] + flat[i + 1] + flat[i] + flat[i + 2 :])
        if len(flat) < 7:
            for c in _ALPHABET:
                out.add(flat[:i] + c + flat[i:])
    return {e for e in out if 3 <= len(e) <= 7 and e[0].isalpha()}


def suggest(kb: Classification, code: object, limit: int = 5) -> tuple[str, ...]:
    """The valid codes nearest to *code*, best first; empty for input that is not code-like.

    Like ``kb.get``, it never raises for the code: input that is not
    code-like gives an empty tuple. A *limit* that is not a whole number of
    0 or more raises :class:`~icd10kb.errors.InvalidArgumentError`.

    Examples
    --------
    >>> "L94.2" in suggest(kb, "L49.2")
    True
    >>> suggest(kb, "L942x")[:1]
    ('L94.2',)
    >>> suggest(kb, "I1O")[:1]
    ('I10',)
    """
    from ..arguments import check_int

    check_int(limit, "limit", 0)
    try:
        canonical = normalize(code)
    except ICD10KBError:
        return ()
    if "-" in canonical or canonical.isdigit() or limit == 0:
        return ()
    flat = strip_dot(canonical)
    candidates: set[str] = set()
    for edit in _edits(flat):
        if dotted(edit) in kb:
            candidates.add(dotted(edit))
    prefix = flat
    while len(prefix) >= 3:
        if dotted(prefix) in kb:
            known = dotted(prefix)
            candidates.add(known)
            candidates.update(kb.children(known))
            break
        prefix = prefix[:-1]
    candidates.discard(canonical)

    def swapped(other: str) -> bool:
        diff = [i for i, (x, y) in enumerate(zip(flat, other)) if x != y]
        return len(other) == len(flat) and len(diff) == 2 and diff[1] == diff[0] + 1

    def rank(candidate: str) -> tuple[int, int, int, int, str]:
        other = strip_dot(candidate)
        shared = next((i for i, (x, y) in enumerate(zip(flat, other)) if x != y), min(len(flat), len(other)))
        # Among equally near codes prefer one of the same length, then the
        # nearest character where they differ (L94.7 -> L94.6 and L94.8).
        gap = abs(ord(flat[shared]) - ord(other[shared])) if shared < min(len(flat), len(other)) else 99
        return edit_distance(flat, other), -shared, abs(len(flat) - len(other)), gap, candidate

    # A code that differs only by look-alike characters (I1O for I10) is the likeliest meaning.
    alike = sorted(c for c in map(dotted, _lookalikes(flat)) if c in kb)
    ranked = alike + sorted(candidates - set(alike), key=rank)
    best = ranked[:limit]
    # Two neighbours swapped is the commonest slip of the keyboard (L49.2 for
    # L94.2) but shares a short prefix; keep the best such code in the list.
    swaps = [c for c in ranked if swapped(strip_dot(c))]
    if swaps and swaps[0] not in best and len(best) == limit:
        best[-1] = swaps[0]
    return tuple(best)
