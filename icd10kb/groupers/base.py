"""Every grouper as plain data: :class:`GrouperMap` (named and built by :mod:`icd10kb.groupers.maps`).

A grouper map is the whole of one grouper as tuples and read-only mappings, with no behaviour:
the form that a dataframe library, DuckDB or Spark joins against. The Python functions of
:mod:`icd10kb.groupers.ccsr`, :mod:`~icd10kb.groupers.comorbidity`, :mod:`~icd10kb.groupers.hcc`
and :mod:`~icd10kb.groupers.gems` read the same compiled datasets.

Examples
--------
>>> from icd10kb.groupers import mapping
>>> charlson = mapping("charlson-quan2005")
>>> ("I21.9", "ami") in charlson.rows
True
>>> charlson.weights["quan"]["msld"]
4.0
>>> ("msld", "mld") in charlson.hierarchy
True
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

from ..arguments import check_choice, check_text
from ..errors import CodeNotFoundError, InvalidArgumentError, InvalidCodeError

__all__ = [
    "GrouperMap",
    "NotMappedError",
    "as_list",
    "check_choice",
    "check_iterable",
    "code_key",
    "dotted",
    "frozen_mapping",
    "icd9_dotted",
]

_EMPTY: Mapping[str, Any] = MappingProxyType({})
#: The dataframe and array libraries whose containers are iterated as given (their ``__iter__`` is Python code).
_LIBRARIES = frozenset({"numpy", "pandas", "polars", "pyarrow"})


@dataclass(frozen=True)
class GrouperMap:
    """One grouper as plain data.

    Attributes
    ----------
    name:
        The map's name, one of :func:`available`, e.g. ``"ccsr-v2025.1"``, ``"cmr-v2026.1"``,
        ``"charlson-quan2005"``, ``"elixhauser-quan2005"``, ``"cms-hcc-v28-py2026"``,
        ``"gems-2018-i9-to-i10"``.
    version, citation:
        The grouper's version and how to cite it.
    rows:
        ``(code, group)`` pairs, one per pair, sorted. Codes are dotted ICD-10-CM codes as
        ``kb.normalize`` gives them, exactly as listed in the source. For the prefix-defined Quan
        maps, each prefix is expanded to every code (header or billable) of the release passed as
        ``kb`` that starts with it. For the GEMs the pair is ``(source, target)``: ICD-9-CM codes
        are dotted as ICD-9-CM writes them (``428.0``, ``E800.0``, ``V42.7``) and a line with no
        target has the target ``"NoDx"``, as in the CMS file; a GEM pair recurs once per
        combination scenario it belongs to (one row per line of the file, told apart by ``row_flags``).
    labels:
        Group id -> label.
    hierarchy:
        ``(dominant, removed)`` pairs applied per patient (or record): when both groups are
        present the removed one is dropped. All pairs are tested against the groups found before
        any is dropped (CMS and AHRQ list the pairs transitively).
    weights:
        Score name -> group -> weight; ``{}`` when the grouper has none shipped.
    poa_exempt:
        Codes that count whatever their present-on-admission (POA) indicator. Empty for the
        CMR v2026.1: the CMS list of POA-exempt codes that AHRQ's software consults is not in
        the Reference File. A POA indicator of ``"1"`` or ``"E"`` (exempt) is honoured instead.
    poa_required:
        Groups that count only when the code's POA indicator is ``Y`` or ``W`` (or the code is
        exempt); without POA indicators these groups cannot be assessed (AHRQ's software leaves
        them missing). CMR: the 18 measures flagged "Yes" in the Reference File.
    poa_sequela:
        ``(code, group)`` pairs that count (when POA as above) only if no other code of the same
        group on the record was reported not present on admission (``N`` or ``U``). CMR: the
        cerebrovascular sequela codes (column ``CBVD_SQLA``) of the measure ``CBVD``.
    row_flags:
        Empty, or one string per row, parallel to ``rows``: for CCSR v2023.1 the inpatient and
        outpatient default flags (``"YY"``, ``"YN"``, ``"NN"``, ``"XX"``, ...; ``X`` = the code
        cannot be principal / first-listed); for the GEMs the five flag digits (approximate, no
        map, combination, scenario, choice list), e.g. ``"10000"``.
    """

    name: str
    version: str
    citation: str
    rows: tuple[tuple[str, str], ...]
    labels: Mapping[str, str]
    hierarchy: tuple[tuple[str, str], ...]
    weights: Mapping[str, Mapping[str, float]]
    poa_exempt: frozenset[str] = frozenset()
    poa_required: frozenset[str] = frozenset()
    poa_sequela: frozenset[tuple[str, str]] = frozenset()
    row_flags: tuple[str, ...] = field(default=())


class NotMappedError(CodeNotFoundError):
    """A well-formed code that a grouper does not map (also a :class:`KeyError`).

    Attributes
    ----------
    code:
        The code, dotted.
    grouper:
        The grouper's name.
    """

    def __init__(self, code: str, grouper: str, hint: str = "") -> None:
        self.grouper = grouper
        self.hint = hint
        super().__init__(code, ())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.grouper, self.hint))

    def __str__(self) -> str:
        text = f"{self.code!r} is not mapped by {self.grouper}"
        return f"{text} ({self.hint})" if self.hint else text


def code_key(value: object) -> str:
    """The dotless upper-case key of an ICD-10-CM code, its syntax checked.

    Raises
    ------
    InvalidCodeError
        If *value* is not a string shaped like an ICD-10-CM code (ranges and chapter numbers
        are refused too).

    Examples
    --------
    >>> code_key(" i50.9 ")
    'I509'
    """
    from .. import normalize

    code = normalize(value)
    if "-" in code or code.isdigit():
        raise InvalidCodeError(value, "a grouper takes a code, not a block or chapter")
    return code.replace(".", "")


def dotted(key: str) -> str:
    """The dotted form of a dotless ICD-10-CM code.

    Raises
    ------
    InvalidArgumentError
        If *key* is not text (of at most 10,000 characters).

    Examples
    --------
    >>> dotted("S72001A"), dotted("I10")
    ('S72.001A', 'I10')
    """
    return _dotted(check_text(key, "dotless code"))


def _dotted(key: str) -> str:
    """:func:`dotted` of a key known to be a plain ``str`` (the groupers' own data)."""
    return f"{key[:3]}.{key[3:]}" if len(key) > 3 else key


def icd9_dotted(key: str) -> str:
    """The dotted form of a dotless ICD-9-CM diagnosis code.

    Raises
    ------
    InvalidArgumentError
        If *key* is not text (of at most 10,000 characters).

    Examples
    --------
    >>> icd9_dotted("4280"), icd9_dotted("E8000"), icd9_dotted("V427"), icd9_dotted("042")
    ('428.0', 'E800.0', 'V42.7', '042')
    """
    return _icd9_dotted(check_text(key, "dotless ICD-9-CM code"))


def _icd9_dotted(key: str) -> str:
    head = 4 if key.startswith("E") else 3
    return f"{key[:head]}.{key[head:]}" if len(key) > head else key


def check_iterable(values: object, what: str, reason: str) -> None:
    """Refuse, with :class:`InvalidArgumentError`, what :func:`as_list` refuses (without iterating anything)."""
    what = check_text(what, "name of the argument", 100)
    reason = check_text(reason, "reason", 500)
    if isinstance(values, (list, tuple)):
        return
    kind = type(values)
    iterate = getattr(kind, "__iter__", None)
    trusted = not inspect.isfunction(iterate) or str(kind.__module__).partition(".")[0] in _LIBRARIES
    if iterate is None or not trusted or isinstance(values, (str, bytes, bytearray, memoryview, io.IOBase)):
        raise InvalidArgumentError(values, reason, what)


def as_list(values: object, what: str, reason: str) -> list[Any]:
    """*values* (a list, tuple, set, generator, Series, array …) as a new list, else :class:`InvalidArgumentError`.

    A single string or bytes, a file, and an object whose own ``__iter__`` is
    Python code (other than a pandas, polars, numpy or pyarrow container) are
    refused with *reason*: iterating them would run code that may raise
    anything. A list or tuple subclass is read as a plain list (its
    ``__iter__`` is never called).

    Examples
    --------
    >>> as_list(("I10", "E11.9"), "codes", "pass a list of codes")
    ['I10', 'E11.9']
    >>> as_list("I10", "codes", "pass a list of codes, not a single string")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: 'I10' is not a valid codes: pass a list of codes, not a single string
    """
    check_iterable(values, what, reason)
    if isinstance(values, list):
        return list.__getitem__(values, slice(None))
    if isinstance(values, tuple):
        return list(tuple.__iter__(values))
    return [*cast(Iterable[Any], values)]


def frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a dict (nested dicts frozen too).

    Raises
    ------
    InvalidArgumentError
        If *value* is not a dict (or a read-only view of one).
    """
    if not isinstance(value, (dict, MappingProxyType)):
        raise InvalidArgumentError(value, "expected a dict", "mapping")
    return _frozen(value)


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType({k: _frozen(v) if isinstance(v, dict) else v for k, v in value.items()})
