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
from collections.abc import Mapping
from typing import Any

from ..arguments import MAX_TEXT as _MAX_TEXT
from ..errors import InvalidArgumentError
from ..groupers.base import as_list

__all__ = ["Prepared", "default_output", "grouper_map", "prepare", "prepared_for"]

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
    from ..groupers import GrouperMap

    if isinstance(grouper, GrouperMap):
        return grouper
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
        rows = _pairs(gmap, "rows")
        labels = _texts(_field(gmap, "labels", {}), "labels")
        names = set(labels) | {group for _, group in rows}
        self.groups = tuple(sorted(names, key=_natural))
        number = {g: i for i, g in enumerate(self.groups)}
        by_key: dict[str, list[int]] = {}
        for code, group in rows:
            key = code.replace(".", "").upper()
            found = by_key.setdefault(key, [])
            if number[group] not in found:
                found.append(number[group])
        self.by_key = {k: tuple(v) for k, v in by_key.items()}
        self.hierarchy = tuple(
            (number[a], number[b]) for a, b in _pairs(gmap, "hierarchy") if a in number and b in number
        )
        self.weights = {
            name: np.array([table.get(g, 0.0) for g in self.groups], float)
            for name, table in _weights(_field(gmap, "weights", {})).items()
        }
        required = set(_texts(_field(gmap, "poa_required", ()), "poa_required"))
        self.poa_required = np.array([g in required for g in self.groups], bool)
        exempt = _texts(_field(gmap, "poa_exempt", ()), "poa_exempt")
        self.poa_exempt = frozenset(c.replace(".", "").upper() for c in exempt)
        self.sequela = frozenset(
            (c.replace(".", "").upper(), number[g]) for c, g in _pairs(gmap, "poa_sequela", ()) if g in number
        )


_WHAT = "grouper map"


def _field(gmap: Any, name: str, default: object = None) -> Any:
    found = getattr(gmap, name, default)
    if found is None:
        raise InvalidArgumentError(gmap, f"a GrouperMap has {name}", _WHAT)
    return found


def _texts(values: object, name: str) -> list[str]:
    """The strings of *values* (a collection, or the keys of a mapping), as plain str."""
    if isinstance(values, Mapping):
        values = list(dict.fromkeys(_texts(as_list(values.keys(), _WHAT, f"{name}: a mapping"), name)))
    out = []
    for value in as_list(values, _WHAT, f"{name}: expected a collection of text"):
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise InvalidArgumentError(value, f"{name}: expected text of at most {_MAX_TEXT:,} characters", _WHAT)
        out.append(str.__getitem__(value, slice(None)))
    return out


def _pairs(gmap: Any, name: str, default: object = None) -> list[tuple[str, str]]:
    """The (text, text) pairs of the field *name* of *gmap*."""
    out = []
    for pair in as_list(_field(gmap, name, default), _WHAT, f"{name}: expected pairs of text"):
        if type(pair) is tuple and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str:
            out.append(pair)  # the shipped maps' own rows
            continue
        if not isinstance(pair, (tuple, list)):
            raise InvalidArgumentError(pair, f"{name}: expected a pair of text", _WHAT)
        texts = _texts(pair, name)
        if len(texts) != 2:
            raise InvalidArgumentError(pair, f"{name}: expected a pair of text", _WHAT)
        out.append((texts[0], texts[1]))
    return out


def _weights(value: object) -> dict[str, dict[str, float]]:
    """Score name -> group -> weight, the weights checked as real numbers."""
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(value, "weights: expected a mapping of score name to weights", _WHAT)
    out: dict[str, dict[str, float]] = {}
    for name in _texts(value, "weights"):
        table = value[name]
        if not isinstance(table, Mapping):
            raise InvalidArgumentError(table, f"weights[{name!r}]: expected a mapping of group to weight", _WHAT)
        weights = {}
        for group in _texts(table, f"weights[{name!r}]"):
            weight = table[group]
            if type(weight) not in (int, float) or weight != weight:
                raise InvalidArgumentError(weight, f"weights[{name!r}][{group!r}]: expected a number", _WHAT)
            weights[group] = float(weight)
        out[name] = weights
    return out


#: Prepared maps by the identity of the map (never by its hash, which a user's map may make raise):
#: id -> (a weak reference to the map, or the map itself when it cannot be weakly referenced, Prepared).
_cache: dict[int, tuple[Any, Prepared]] = {}
_lock = threading.Lock()


def prepare(gmap: Any) -> Prepared:
    """The :class:`Prepared` form of *gmap*, built once per map object.

    Raises
    ------
    InvalidArgumentError
        If *gmap* is not a GrouperMap (or an object with its attributes, of their types).
    """
    grouper_map(gmap)  # the attributes are there
    key = id(gmap)
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            held = entry[0]() if isinstance(entry[0], weakref.ref) else entry[0]
            if held is gmap:
                return entry[1]
        found = Prepared(gmap)
        try:
            held = weakref.ref(gmap)
        except TypeError:  # not weak-referenceable: kept alive with its prepared form
            held = gmap
        for gone in [k for k, (ref, _) in _cache.items() if isinstance(ref, weakref.ref) and ref() is None]:
            del _cache[gone]  # maps that no longer exist (their ids may be reused)
        _cache[key] = (held, found)
        return found


def default_output(prepared: Prepared) -> str:
    """``"flags"`` for a comorbidity index (a map with weights or POA rules), else ``"set"`` (HCC, CCSR)."""
    if not isinstance(prepared, Prepared):
        raise InvalidArgumentError(prepared, "expected what prepare() returns", "prepared grouper")
    return "flags" if prepared.weights or prepared.poa_required.any() else "set"


def prepared_for(grouper: object, kb: Any = None, output: str | None = None) -> tuple[Any, Prepared, str]:
    """The release's columns, *grouper* prepared against them, and *output* (the grouper's default if None).

    The first step of every per-patient grouping, in pandas, polars, DuckDB and Spark alike.

    Examples
    --------
    >>> rc, prepared, output = prepared_for("charlson-quan2005", kb)
    >>> output, len(rc) == len(kb)
    ('flags', True)
    """
    from ..arguments import check_choice
    from .release import columns_of

    if output is not None:
        output = check_choice(output, ("flags", "set"), "output")
    rc = columns_of(kb)
    prepared = prepare(grouper_map(grouper, rc.kb))
    return rc, prepared, default_output(prepared) if output is None else output
