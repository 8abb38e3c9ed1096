"""A grouper map prepared for columns: groups numbered, codes keyed, hierarchy and weights as arrays.

The groupers themselves live in :mod:`icd10kb.groupers` as plain data
(:class:`~icd10kb.groupers.GrouperMap`: ``(code, group)`` rows, labels,
hierarchy pairs, weights, present-on-admission rules). Here such a map is
turned, once per map, into what vectorised code needs: the groups in a fixed
order (HCCs in numeric order), each code's dotless key with the numbers of
its groups, the hierarchy as pairs of numbers and each score as a weight
vector. Any object with the attributes of a ``GrouperMap`` is accepted, so
that a user's own map (or a test's) works the same way.
"""

from __future__ import annotations

import re
import threading
import weakref
from typing import Any

from ..errors import InvalidArgumentError

__all__ = ["Prepared", "default_output", "grouper_map", "prepare"]

_FIELDS = ("name", "version", "rows", "labels", "hierarchy", "weights")


def grouper_map(grouper: object, kb: Any = None) -> Any:
    """The GrouperMap for *grouper*: a map itself, or its name looked up with ``icd10kb.groupers.mapping``.

    Raises
    ------
    InvalidArgumentError
        If *grouper* is neither a name nor an object with the attributes of a GrouperMap.
    """
    if isinstance(grouper, str):
        from .. import groupers

        return groupers.mapping(grouper, kb)
    missing = [f for f in _FIELDS if not hasattr(grouper, f)]
    if missing:
        raise InvalidArgumentError(
            grouper, f"expected a grouper name or a GrouperMap (missing {', '.join(missing)})", "grouper"
        )
    return grouper


def _natural(group: str) -> tuple[str, int, str]:
    """Sort key putting HCC9 before HCC10."""
    match = re.fullmatch(r"([^0-9]*)([0-9]+)(.*)", group)
    if match is None:
        return (group, -1, "")
    return (match.group(1), int(match.group(2)), match.group(3))


class Prepared:
    """One grouper map, numbered for arrays.

    Attributes
    ----------
    map:
        The GrouperMap.
    groups:
        The group ids in column order: every group that has a label or a row,
        in natural order (``HCC2`` before ``HCC10``).
    by_key:
        Dotless upper-case code -> tuple of group numbers.
    hierarchy:
        ``(dominant, removed)`` pairs of group numbers.
    weights:
        Score name -> numpy float vector over :attr:`groups`.
    poa_required:
        numpy bool vector: the groups that count only when present on admission.
    poa_exempt:
        Dotless keys of the codes exempt from the POA rule.
    sequela:
        ``(dotless key, group number)`` pairs of the sequela rule.
    """

    def __init__(self, gmap: Any) -> None:
        import numpy as np

        self.map = gmap
        names = set(gmap.labels) | {group for _, group in gmap.rows}
        self.groups = tuple(sorted(names, key=_natural))
        number = {g: i for i, g in enumerate(self.groups)}
        by_key: dict[str, list[int]] = {}
        for code, group in gmap.rows:
            key = code.replace(".", "").upper()
            found = by_key.setdefault(key, [])
            if number[group] not in found:
                found.append(number[group])
        self.by_key = {k: tuple(v) for k, v in by_key.items()}
        self.hierarchy = tuple((number[a], number[b]) for a, b in gmap.hierarchy if a in number and b in number)
        self.weights = {
            name: np.array([float(table.get(g, 0.0)) for g in self.groups]) for name, table in gmap.weights.items()
        }
        required: frozenset[str] = getattr(gmap, "poa_required", frozenset())
        self.poa_required = np.array([g in required for g in self.groups], bool)
        self.poa_exempt = frozenset(c.replace(".", "").upper() for c in getattr(gmap, "poa_exempt", frozenset()))
        self.sequela = frozenset(
            (c.replace(".", "").upper(), number[g]) for c, g in getattr(gmap, "poa_sequela", frozenset()) if g in number
        )


_cache: weakref.WeakKeyDictionary[Any, Prepared] = weakref.WeakKeyDictionary()
_by_id: dict[int, tuple[Any, Prepared]] = {}
_lock = threading.Lock()


def prepare(gmap: Any) -> Prepared:
    """The :class:`Prepared` form of *gmap*, built once per map object."""
    with _lock:
        try:
            found = _cache.get(gmap)
        except TypeError:  # not weak-referenceable: keep it by identity
            entry = _by_id.get(id(gmap))
            found = entry[1] if entry is not None and entry[0] is gmap else None
            if found is None:
                found = Prepared(gmap)
                _by_id[id(gmap)] = (gmap, found)
            return found
        if found is None:
            found = _cache[gmap] = Prepared(gmap)
        return found


def default_output(prepared: Prepared) -> str:
    """``"flags"`` for a comorbidity index (a map with weights or POA rules), else ``"set"`` (HCC, CCSR)."""
    return "flags" if prepared.weights or prepared.poa_required.any() else "set"
