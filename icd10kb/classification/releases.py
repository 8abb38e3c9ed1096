"""The releases shipped inside the package, and reading their compiled files.

Each shipped release is a dataset of kind ``"release"`` named
``icd10cm-<release>`` (see :mod:`icd10kb.datasets`): its descriptor lists the
official source files and the SHA-256 of its compiled files. A file whose
checksum does not match is refused with a
:class:`~icd10kb.errors.DataFileError` before anything is read from it.
"""

from __future__ import annotations

from ..classification.compiled import Sections, load_notes, read_sections
from ..datasets import describe, names, read
from ..errors import DataFileError, InvalidArgumentError, UnknownReleaseError

__all__ = ["DEFAULT_RELEASE", "available", "dataset_name", "fiscal_year", "read_hierarchy", "read_notes", "resolve"]

DEFAULT_RELEASE = "2026-04-01"
_PREFIX = "icd10cm-"
#: Official releases, and releases derived from one (FY2027: 2026-04-01 with the FY2027 addenda).
_KINDS = ("release", "derived-release")


def available() -> tuple[str, ...]:
    """Names of the releases shipped with the package, newest first.

    Examples
    --------
    >>> available()
    ('2027', '2026-04-01', '2025-04-01', '2021')
    """
    found = [n[len(_PREFIX) :] for n in names() if n.startswith(_PREFIX) and describe(n).kind in _KINDS]
    return tuple(sorted(found, reverse=True))


def fiscal_year(effective: str) -> int:
    """The US federal fiscal year of a date (ISO): it starts on October 1.

    Examples
    --------
    >>> fiscal_year("2025-10-01"), fiscal_year("2026-04-01"), fiscal_year("2020-10-01")
    (2026, 2026, 2021)
    """
    import datetime

    from ..arguments import check_text

    try:
        date = datetime.date.fromisoformat(check_text(effective, "effective date", 10))
    except ValueError:
        raise InvalidArgumentError(effective, "a date is written 'YYYY-MM-DD'", "effective date") from None
    return date.year + 1 if date.month >= 10 else date.year


def resolve(name: object) -> str:
    """The shipped release a user's name for it means.

    A release's own name (``"2026-04-01"``), or a fiscal year written
    ``"2026"``, ``"FY2026"`` or ``"fy2026"``: the newest shipped release of
    that fiscal year (October 1 to September 30).

    Raises
    ------
    UnknownReleaseError
        If no shipped release has that name or lies in that fiscal year; the
        message lists the names that exist.

    Examples
    --------
    >>> resolve("2026-04-01"), resolve("FY2026"), resolve("2025"), resolve("fy2021")
    ('2026-04-01', '2026-04-01', '2025-04-01', '2021')
    """
    shipped = available()
    if isinstance(name, str) and len(name) <= 100:
        name = str.__getitem__(name, slice(None))  # a plain str: a subclass's __eq__ is not trusted
        if name in shipped:
            return name
        text = name.strip()
        year = text[2:] if text[:2].upper() == "FY" else text
        if len(year) == 4 and year.isascii() and year.isdigit():
            in_year = [r for r in shipped if fiscal_year(describe(_PREFIX + r).effective) == int(year)]
            if in_year:
                return max(in_year, key=lambda r: describe(_PREFIX + r).effective)
    raise UnknownReleaseError(name, shipped)


def dataset_name(name: object) -> str:
    """The dataset that holds the shipped release *name* (any name :func:`resolve` takes)."""
    return _PREFIX + resolve(name)


def _file(name: str, part: str) -> tuple[str, str]:
    dataset = dataset_name(name)
    for entry in describe(dataset).files:
        if entry.path.rsplit("/", 1)[-1].startswith(f"{dataset}.{part}."):
            return dataset, entry.path
    raise DataFileError(dataset, f"the dataset has no {part} file")


def read_hierarchy(name: str) -> Sections:
    """Read and check the compiled hierarchy of a shipped release (plain or gzip)."""
    dataset, filename = _file(name, "hierarchy")
    return read_sections(read(dataset, filename, decompress=filename.endswith(".gz")), filename)


def read_notes(name: str) -> dict[str, dict[str, list[str]]]:
    """Read and check the compiled notes of a shipped release."""
    dataset, filename = _file(name, "notes")
    return load_notes(read(dataset, filename), filename)
