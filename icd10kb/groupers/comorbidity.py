"""Comorbidity indices: Charlson and Elixhauser (Quan 2005) and AHRQ's Elixhauser Refined (CMR).

Three indices are shipped:

- ``"charlson-quan2005"``: Quan et al. 2005 ICD-10 coding of the Charlson comorbidities (17
  groups), with the Charlson 1987 weights (``"charlson"``) and the Quan 2011 weights (``"quan"``);
- ``"elixhauser-quan2005"``: Quan et al. 2005 ICD-10 coding of the Elixhauser comorbidities (31
  groups), with the van Walraven 2009 weights (``"van_walraven"``);
- ``"cmr-v2026.1"``: AHRQ's Elixhauser Comorbidity Software Refined v2026.1 (38 measures; 39 columns in
  the Reference File, cerebrovascular disease being split in two), with its
  present-on-admission (POA) rules. Its index weights are not in the Reference File: no score.

The Quan lists are ICD-10 (WHO) code prefixes: a code belongs to a group when its dotless form
starts with one of the group's prefixes. The CMR lists exact ICD-10-CM codes.

Hierarchies (a group dropped when its dominant group is present): for the Quan indices, the pairs
of the R package comorbidity's ``assign0`` option (Gasparini, JOSS 2018), which follow Charlson 1987
and Elixhauser 1998: complicated over uncomplicated diabetes, metastatic over non-metastatic cancer,
moderate/severe over mild liver disease (Charlson), complicated over uncomplicated hypertension
(Elixhauser). For the CMR, the exclusions of AHRQ's mapping program v2026.1.

CMR POA rules (AHRQ's mapping program v2026.1): the 18 measures marked "uses POA" count a code only
when its POA indicator is ``Y`` or ``W`` (or the code is exempt: here, a POA indicator of ``1`` or
``E``); the cerebrovascular sequela codes count (when POA) only if no other cerebrovascular code on
the record is reported not POA (``N`` or ``U``). Without POA indicators those measures cannot be
assessed: they are reported in ``unassessed``, as AHRQ's software leaves them missing, unless
``assume_poa=True``. AHRQ's software reads secondary diagnoses only: leave out the principal
diagnosis when you follow it strictly.

Examples
--------
>>> r = flags(["I21.9", "E11.22", "E11.9"])
>>> r.groups, r.removed
(('ami', 'diabwc'), ('diab',))
>>> score(["I21.9", "E11.22", "E11.9"], weights="charlson")
3.0
>>> flags(["I50.9", "E11.9"], index="cmr-v2026.1", poa=["Y", "N"]).groups
('DIAB_UNCX', 'HF')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import datasets
from ..arguments import check_bool
from ..errors import DataFileError, InvalidArgumentError
from ..kbargument import resolve_kb
from .base import GrouperMap, _dotted, _frozen, as_list, check_choice, code_key

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase
    from .models import Comorbidities

__all__ = ["DEFAULT_WEIGHTS", "INDICES", "Index", "flags", "grouper_map", "index", "score", "score_of"]

INDICES = ("charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1")
DEFAULT_WEIGHTS = {"charlson-quan2005": "charlson", "elixhauser-quan2005": "van_walraven"}
_POA_VALUES = frozenset({"Y", "W", "N", "U", "1", "E", ""})
_PRESENT = frozenset({"Y", "W", "1", "E"})
_NOT_PRESENT = frozenset({"N", "U"})


@dataclass(frozen=True)
class Index:
    """One comorbidity index in memory (read by :func:`index`)."""

    name: str
    version: str
    citation: str
    labels: dict[str, str]
    hierarchy: tuple[tuple[str, str], ...]
    weights: dict[str, dict[str, float]]
    prefixes: dict[str, tuple[str, ...]]  # Quan: dotless prefix -> groups
    exact: dict[str, tuple[str, ...]]  # CMR: dotless code -> groups
    poa_required: frozenset[str]
    sequela: frozenset[tuple[str, str]]  # CMR: (dotless code, group)

    def groups_of(self, key: str) -> tuple[str, ...]:
        """The groups of the dotless code *key* (before any POA rule or hierarchy)."""
        if self.exact or not self.prefixes:
            return self.exact.get(key, ())
        found: tuple[str, ...] = ()
        for end in range(1, len(key) + 1):
            more = self.prefixes.get(key[:end])
            if more:
                found += more
        return found if len(found) < 2 else tuple(dict.fromkeys(found))


def _quan(name: str) -> Index:
    family = name.split("-")[0]
    data = datasets.read_json("comorbidity-quan2005", "comorbidity-quan2005/quan2005.json.gz")[family]
    prefixes: dict[str, list[str]] = {}
    for group, listed in data["prefixes"].items():
        for prefix in listed:
            prefixes.setdefault(prefix, []).append(group)
    return Index(
        name=name,
        version="quan2005",
        citation=datasets.describe("comorbidity-quan2005").citation,
        labels=dict(data["labels"]),
        hierarchy=tuple((a, b) for a, b in data["hierarchy"]),
        weights={k: dict(v) for k, v in data["weights"].items()},
        prefixes={k: tuple(v) for k, v in prefixes.items()},
        exact={},
        poa_required=frozenset(),
        sequela=frozenset(),
    )


def _cmr() -> Index:
    name = "cmr-v2026.1"
    meta = datasets.read_json(name, f"{name}/measures.json.gz")
    labels = {m[0]: m[1] for m in meta["measures"]}
    exact: dict[str, list[str]] = {}
    sequela = set()
    for number, line in enumerate(datasets.read(name, f"{name}/mapping.tsv.gz").decode("utf-8").splitlines(), 1):
        code, _, column = line.partition("\t")
        group = "CBVD" if column in ("CBVD_POA", "CBVD_SQLA") else column
        if group not in labels:
            raise DataFileError(f"{name}/mapping.tsv.gz", f"unknown measure column {column!r}", number)
        if column == "CBVD_SQLA":
            sequela.add((code, group))
        exact.setdefault(code, []).append(group)
    return Index(
        name=name,
        version="v2026.1",
        citation=datasets.describe(name).citation,
        labels=labels,
        hierarchy=tuple((a, b) for a, b in meta["hierarchy"]),
        weights={},
        prefixes={},
        exact={k: tuple(dict.fromkeys(v)) for k, v in exact.items()},
        poa_required=frozenset(m[0] for m in meta["measures"] if m[2]),
        sequela=frozenset(sequela),
    )


def index(name: object) -> Index:
    """The comorbidity index *name* (one of :data:`INDICES`), read once per process.

    Examples
    --------
    >>> len(index("elixhauser-quan2005").labels)
    31
    """
    text = check_choice(name, INDICES, "comorbidity index")
    dataset = "cmr-v2026.1" if text == "cmr-v2026.1" else "comorbidity-quan2005"
    return datasets.memo(dataset, text, _cmr if text == "cmr-v2026.1" else lambda: _quan(text))


_index = index


def poa_indicator(value: object) -> str:
    """One present-on-admission indicator, stripped and upper-cased (``None`` is ``""``, the number 1 ``"1"``)."""
    if value is None:
        return ""
    text = (
        value.strip().upper()
        if isinstance(value, str) and len(value) <= 10
        else "1"
        if type(value) is int and value == 1
        else None
    )
    if text is None or text not in _POA_VALUES:
        raise InvalidArgumentError(value, "a POA indicator is Y, W, N, U, 1, E, '' or None", "POA indicator")
    return text


def _poa_list(poa: object, count: int) -> list[str]:
    values = [poa_indicator(v) for v in as_list(poa, "poa", "give one POA indicator per code, as a list")]
    if len(values) != count:
        raise InvalidArgumentError(poa, f"{len(values)} POA indicators for {count} codes", "poa")
    return values


def _codes(codes: object) -> list[str]:
    listed = as_list(codes, "codes", "pass a list (or any iterable) of codes, not a single string")
    return [code_key(c) for c in listed]


def evaluate(
    idx: Index,
    keys: list[str],
    poa: list[str] | None,
    hierarchy: bool = True,
    cache: dict[str, tuple[str, ...]] | None = None,
) -> Comorbidities:
    """Group dotless *keys* (with *poa* indicators, or ``None``) under *idx*; the core of :func:`flags`.

    *cache*, shared between calls on the same index, keeps the groups of each code seen.
    """
    from .models import Comorbidities

    groups_of = idx.groups_of
    if cache is None:
        cache = {}

    found: set[str] = set()
    unassessed: set[str] = set()
    not_poa: set[str] = set()
    sequela_ok: set[str] = set()
    matches: dict[tuple[str, str], None] = {}
    for i, key in enumerate(keys):
        groups = cache.get(key)
        if groups is None:
            groups = cache[key] = groups_of(key)
        for group in groups:
            if group in idx.poa_required:
                if poa is None:
                    unassessed.add(group)
                    continue
                value = poa[i]
                if (key, group) in idx.sequela:
                    if value in _PRESENT:
                        sequela_ok.add(group)
                        matches[(_dotted(key), group)] = None
                    continue
                if value in _NOT_PRESENT:
                    not_poa.add(group)
                if value not in _PRESENT:
                    continue
            found.add(group)
            matches[(_dotted(key), group)] = None
    found |= sequela_ok - not_poa
    removed = {low for high, low in idx.hierarchy if high in found and low in found} if hierarchy else set()
    return Comorbidities(
        index=idx.name,
        groups=tuple(sorted(found - removed)),
        removed=tuple(sorted(removed)),
        unassessed=tuple(sorted(unassessed)),
        matches=tuple(matches),
    )


def flags(
    codes: Iterable[object],
    index: str = "charlson-quan2005",
    poa: Iterable[object] | None = None,
    *,
    hierarchy: bool = True,
    assume_poa: bool = False,
) -> Comorbidities:
    """The comorbidity groups of one record (or patient) from its diagnosis *codes*.

    Parameters
    ----------
    codes:
        The record's ICD-10-CM codes (any case, _dotted or not). Codes of no group are ignored.
    index:
        One of :data:`INDICES`.
    poa:
        One present-on-admission indicator per code (``Y``, ``W``, ``N``, ``U``, ``1``/``E`` for
        exempt, ``""``/``None`` unreported), or ``None`` when there are none. Used by the CMR only.
    hierarchy:
        Drop the milder group of each hierarchy pair when both are present (default).
    assume_poa:
        CMR without POA indicators: take every code as present on admission instead of leaving
        the POA-dependent measures unassessed.

    Raises
    ------
    InvalidCodeError
        If a code is not shaped like an ICD-10-CM code.
    InvalidArgumentError
        For an unknown index, a lone string instead of a list, or bad POA indicators.

    Examples
    --------
    >>> flags(["C78.00", "C34.90"], index="elixhauser-quan2005").groups
    ('metacanc',)
    >>> r = flags(["I50.9", "F32.A"], index="cmr-v2026.1")
    >>> r.groups, r.unassessed
    (('DEPRESS',), ('HF',))
    """
    idx = _index(index)
    check_bool(hierarchy, "hierarchy")
    check_bool(assume_poa, "assume_poa")
    keys = _codes(codes)
    indicators = _poa_list(poa, len(keys)) if poa is not None else (["Y"] * len(keys) if assume_poa else None)
    return evaluate(idx, keys, indicators, hierarchy)


def score_of(result: Comorbidities, weights: str | None = None) -> float:
    """The weighted score of a :class:`~icd10kb.groupers.models.Comorbidities` result.

    Examples
    --------
    >>> score_of(flags(["K70.30", "K72.90"]), "quan")
    4.0
    """
    from .models import Comorbidities

    if not isinstance(result, Comorbidities):
        raise InvalidArgumentError(result, "expected the Comorbidities that flags() returns", "comorbidity result")
    idx = index(result.index)
    if not idx.weights:
        raise InvalidArgumentError(result.index, "no weights are shipped for this index", "index for a score")
    name = (
        DEFAULT_WEIGHTS[idx.name] if weights is None else check_choice(weights, tuple(sorted(idx.weights)), "weights")
    )
    table = idx.weights[name]
    return float(sum(table.get(g, 0.0) for g in result.groups))


def score(
    codes: Iterable[object],
    index: str = "charlson-quan2005",
    weights: str | None = None,
    poa: Iterable[object] | None = None,
) -> float:
    """The weighted comorbidity score of one record: the sum of the weights of its groups after the hierarchy.

    *weights*: ``"charlson"`` (default) or ``"quan"`` for Charlson, ``"van_walraven"`` for
    Elixhauser. The CMR has no weights shipped.

    Examples
    --------
    >>> score(["C78.00", "C34.90", "I50.9"], weights="quan")
    8.0
    >>> score(["I50.9"], index="elixhauser-quan2005")
    7.0
    """
    return score_of(flags(codes, index, poa), weights)


def grouper_map(name: str, kb: KnowledgeBase | None = None) -> GrouperMap:
    """The index *name* as a :class:`~icd10kb.groupers.base.GrouperMap`; Quan prefixes expanded over *kb*'s codes."""
    idx = index(name)
    if idx.exact:
        exact = idx.exact

        def build() -> GrouperMap:
            return _as_map(idx, sorted((_dotted(k), g) for k, groups in exact.items() for g in groups))

        return datasets.memo("cmr-v2026.1", "grouper-map", build)
    base = resolve_kb(kb)

    def expand() -> GrouperMap:
        rows: list[tuple[str, str]] = []
        for code in base:
            if "-" in code or code.isdigit():  # blocks and chapters
                continue
            rows.extend((code, g) for g in idx.groups_of(code.replace(".", "")))
        return _as_map(idx, sorted(rows))

    return datasets.memo("comorbidity-quan2005", f"{name}@{base.release.name}", expand)


def _as_map(idx: Index, rows: list[tuple[str, str]]) -> GrouperMap:
    weights: dict[str, Any] = idx.weights
    return GrouperMap(
        name=idx.name,
        version=idx.version,
        citation=idx.citation,
        rows=tuple(rows),
        labels=_frozen(idx.labels),
        hierarchy=idx.hierarchy,
        weights=_frozen(weights),
        poa_required=idx.poa_required,
        poa_sequela=frozenset((_dotted(k), g) for k, g in idx.sequela),
    )
