"""AHRQ's Clinical Classifications Software Refined (CCSR) for ICD-10-CM diagnoses.

Two versions are shipped: ``v2023.1`` from the official Reference File, with the inpatient
and outpatient default categories, and ``v2025.1`` from a third-party conversion of the
v2025.1 Reference File that has **no default flags**: under v2025.1 no code has a default
(:func:`default` returns ``None`` and :func:`without_default` lists every code). A code has
one to six categories; each category belongs to a body system (the CCSR's chapters).

Examples
--------
>>> categories("L94.2")
('SKN007',)
>>> categories("A00.0", version="v2023.1")
('DIG001', 'INF003')
>>> default("A00.0", setting="inpatient", version="v2023.1")
'DIG001'
>>> category("CIR019").label
'Heart failure'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import datasets
from ..errors import DataFileError, InvalidArgumentError
from .base import GrouperMap, NotMappedError, _dotted, _frozen, check_choice, code_key

if TYPE_CHECKING:
    from .models import CCSRAssignment, CCSRCategory

__all__ = [
    "VERSIONS",
    "assign",
    "body_systems",
    "categories",
    "category",
    "default",
    "grouper_map",
    "without_default",
]

VERSIONS = ("v2023.1", "v2025.1")
_SETTINGS = ("inpatient", "outpatient")


@dataclass(frozen=True)
class _Table:
    version: str
    citation: str
    has_defaults: bool
    codes: dict[str, tuple[tuple[str, str, str], ...]]  # dotless code -> ((category, inpatient, outpatient), ...)
    categories: dict[str, tuple[str, str | None]]  # id -> (label, body system)
    chapters: dict[str, str]


def _build(version: str) -> _Table:
    name = f"ccsr-{version}"
    text = datasets.read(name, f"{name}/mapping.tsv.gz").decode("utf-8")
    meta = datasets.read_json(name, f"{name}/categories.json.gz")
    has_defaults = version == "v2023.1"
    found: dict[str, list[tuple[str, str, str]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) != (4 if has_defaults else 2):
            raise DataFileError(f"{name}/mapping.tsv.gz", f"expected {4 if has_defaults else 2} fields", number)
        flags = (parts[2], parts[3]) if has_defaults else ("", "")
        found.setdefault(parts[0], []).append((parts[1], *flags))
    cats = {cid: (label, system) for cid, label, system in meta["categories"]}
    return _Table(
        version=version,
        citation=datasets.describe(name).citation,
        has_defaults=has_defaults,
        codes={k: tuple(v) for k, v in found.items()},
        categories=cats,
        chapters=dict(meta["chapters"]),
    )


def _table(version: object) -> _Table:
    name = check_choice(version, VERSIONS, "CCSR version")
    return datasets.memo(f"ccsr-{name}", "table", lambda: _build(name))


def _entries(code: object, table: _Table) -> tuple[tuple[str, str, str], ...]:
    key = code_key(code)
    found = table.codes.get(key)
    if found is None:
        raise NotMappedError(_dotted(key), f"CCSR {table.version}", "CCSR maps billable codes of its years only")
    return found


def categories(code: object, version: str = "v2025.1") -> tuple[str, ...]:
    """Every CCSR category of *code*, in the order of the source.

    Raises
    ------
    InvalidCodeError
        If *code* is not shaped like an ICD-10-CM code.
    NotMappedError
        If the CCSR version does not map it (headers, codes newer than the version).

    Examples
    --------
    >>> categories("I50.9")
    ('CIR019',)
    >>> categories("I50")
    Traceback (most recent call last):
      ...
    icd10kb.groupers.base.NotMappedError: 'I50' is not mapped by CCSR v2025.1 (CCSR maps billable codes ...)
    """
    return tuple(entry[0] for entry in _entries(code, _table(version)))


def default(code: object, setting: str = "inpatient", version: str = "v2023.1") -> str | None:
    """The default CCSR category of *code* for a principal (inpatient) or first-listed (outpatient) diagnosis.

    ``None`` when the code cannot be principal or first-listed (flag ``X``), and always under
    v2025.1, whose source has no default flags. The default version is therefore v2023.1.

    Examples
    --------
    >>> default("L94.2")
    'SKN007'
    >>> default("V00.01XA") is None
    True
    >>> default("L94.2", version="v2025.1") is None
    True
    """
    setting = check_choice(setting, _SETTINGS, "setting")
    table = _table(version)
    entries = _entries(code, table)
    column = 1 if setting == "inpatient" else 2
    for entry in entries:
        if entry[column] == "Y":
            return entry[0]
    return None


def without_default(version: str = "v2023.1", setting: str = "inpatient") -> tuple[str, ...]:
    """The codes (dotted, sorted) that have no default category in *version* for *setting*.

    Under v2023.1 these are the codes flagged ``X`` (not acceptable as principal or
    first-listed diagnosis); under v2025.1, every code.

    Examples
    --------
    >>> "V00.01XA" in without_default()
    True
    >>> len(without_default(version="v2025.1"))
    75238
    """
    setting = check_choice(setting, _SETTINGS, "setting")
    table = _table(version)
    column = 1 if setting == "inpatient" else 2
    return tuple(sorted(_dotted(k) for k, entries in table.codes.items() if not any(e[column] == "Y" for e in entries)))


def body_systems(version: str = "v2025.1") -> dict[str, str]:
    """The body systems (the CCSR's chapters) of *version*: abbreviation -> name, in the source's order.

    Examples
    --------
    >>> systems = body_systems()
    >>> len(systems), systems["CIR"]
    (22, 'Diseases of the circulatory system')
    """
    return dict(_table(version).chapters)


def category(category_id: object, version: str = "v2025.1") -> CCSRCategory:
    """The CCSR category *category_id* with its label and body system.

    Raises
    ------
    InvalidArgumentError
        If the version has no such category (or *category_id* is not text).

    Examples
    --------
    >>> c = category("SKN007")
    >>> c.body_system, c.body_system_label
    ('SKN', 'Diseases of the skin and subcutaneous tissue')
    """
    from .models import CCSRCategory

    table = _table(version)
    if not isinstance(category_id, str):
        raise InvalidArgumentError(category_id, "a CCSR category id is text, e.g. 'CIR019'", "CCSR category")
    category_id = str.__getitem__(category_id, slice(None))  # a plain str: a subclass's __hash__ never runs
    if category_id not in table.categories:
        raise InvalidArgumentError(category_id, f"not a category of CCSR {table.version}", "CCSR category")
    label, system = table.categories[category_id]
    return CCSRCategory(
        id=category_id,
        label=label,
        body_system=system,
        body_system_label=table.chapters.get(system) if system else None,
        version=table.version,
    )


def assign(code: object, version: str = "v2025.1") -> CCSRAssignment:
    """Every category of *code* with labels and body systems, and its defaults.

    Examples
    --------
    >>> a = assign("A00.0", version="v2023.1")
    >>> [c.id for c in a.categories], a.inpatient_default, a.outpatient_default
    (['DIG001', 'INF003'], 'DIG001', 'DIG001')
    """
    from .models import CCSRAssignment

    table = _table(version)
    entries = _entries(code, table)
    inpatient = next((e[0] for e in entries if e[1] == "Y"), None)
    outpatient = next((e[0] for e in entries if e[2] == "Y"), None)
    return CCSRAssignment(
        code=_dotted(code_key(code)),
        version=table.version,
        categories=tuple(category(e[0], table.version) for e in entries),
        inpatient_default=inpatient,
        outpatient_default=outpatient,
        has_default_flags=table.has_defaults,
    )


def grouper_map(version: str) -> GrouperMap:
    """CCSR *version* as a :class:`~icd10kb.groupers.base.GrouperMap` (``row_flags``: default flags, v2023.1)."""

    def build() -> GrouperMap:
        table = _table(version)
        pairs = sorted(
            (_dotted(key), entry[0], entry[1] + entry[2]) for key, entries in table.codes.items() for entry in entries
        )
        return GrouperMap(
            name=f"ccsr-{version}",
            version=version,
            citation=table.citation,
            rows=tuple((c, g) for c, g, _ in pairs),
            labels=_frozen({cid: label for cid, (label, _) in table.categories.items()}),
            hierarchy=(),
            weights=_frozen({}),
            row_flags=tuple(f for _, _, f in pairs) if table.has_defaults else (),
        )

    version = check_choice(version, VERSIONS, "CCSR version")
    return datasets.memo(f"ccsr-{version}", "grouper-map", build)
