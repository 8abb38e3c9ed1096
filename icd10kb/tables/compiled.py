"""The shipped tables: their compact compiled form and :func:`table`, which reads one lazily.

The dataset ``icd10cm-index-tables-2025`` holds three files, each an
:class:`~icd10kb.tables.reader.IndexFile` as gzip-compressed JSON, compiled
by ``scripts/build_tables.py`` from the unchanged official XML under
``data/icd10cm-index/``. A term is a JSON object with short keys, empty
fields left out:

====  ==========================================================
key   field of :class:`~icd10kb.tables.reader.IndexTerm`
====  ==========================================================
t     title (essential words)
n, d  nemod and display (only when there is a nemod)
s, a  see, see_also
c, m  code, manif
u, e  subcat, seecat
w     warning
x     cells (only when one is not empty)
k     subterms
====  ==========================================================
"""

from __future__ import annotations

from typing import Any

from ..datasets import memo, read_json
from ..errors import DataFileError, InvalidArgumentError
from .reader import IndexFile, IndexTerm

__all__ = ["DATASET", "TABLES", "from_json", "table", "to_json"]

#: The dataset that holds the shipped tables.
DATASET = "icd10cm-index-tables-2025"

#: Shipped table name -> (compiled file, what it is).
TABLES: dict[str, tuple[str, str]] = {
    "drug": (f"{DATASET}/drug.json.gz", "Table of Drugs and Chemicals"),
    "neoplasm": (f"{DATASET}/neoplasm.json.gz", "Table of Neoplasms"),
    "external": (f"{DATASET}/eindex.json.gz", "External Cause of Injuries Index"),
}

_KEYS = (
    ("s", "see"),
    ("a", "see_also"),
    ("c", "code"),
    ("m", "manif"),
    ("u", "subcat"),
    ("e", "seecat"),
    ("w", "warning"),
)


def _term_json(term: IndexTerm) -> dict[str, Any]:
    out: dict[str, Any] = {"t": term.title}
    if term.nemod:
        out["n"] = term.nemod
        out["d"] = term.display
    for key, field in _KEYS:
        value = getattr(term, field)
        if value:
            out[key] = value
    if any(term.cells):
        out["x"] = list(term.cells)
    if term.terms:
        out["k"] = [_term_json(t) for t in term.terms]
    return out


def to_json(index: IndexFile) -> dict[str, Any]:
    """The compact JSON form of *index* (see the module docstring)."""
    return {
        "name": index.name,
        "sha256": index.sha256,
        "version": index.version,
        "title": index.title,
        "heading": list(index.heading),
        "terms": [_term_json(t) for t in index.terms],
    }


def _term(raw: dict[str, Any], columns: int) -> IndexTerm:
    title = raw["t"]
    cells = raw.get("x")
    return IndexTerm(
        title=title,
        nemod=raw.get("n", ""),
        display=raw.get("d", title),
        cells=tuple(cells) if cells else ("",) * columns,
        terms=tuple(_term(t, columns) for t in raw.get("k", ())),
        **{field: raw.get(key, "") for key, field in _KEYS},
    )


def from_json(raw: Any, name: str = "<json>") -> IndexFile:
    """Rebuild an :class:`IndexFile` from :func:`to_json` output.

    Raises
    ------
    DataFileError
        If *raw* is not in that form.
    """
    try:
        heading = tuple(raw["heading"])
        columns = max(len(heading) - 1, 0)
        terms = tuple(_term(t, columns) for t in raw["terms"])
        return IndexFile(raw["name"], raw["sha256"], raw["version"], raw["title"], heading, terms)
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(name, f"not a compiled index table: {exc!r}") from None


def table(name: str) -> IndexFile:
    """One of the shipped FY2025 tables, read on first use and kept.

    Parameters
    ----------
    name:
        ``'drug'`` (Table of Drugs and Chemicals), ``'neoplasm'`` (Table of
        Neoplasms) or ``'external'`` (External Cause of Injuries Index).

    Raises
    ------
    InvalidArgumentError
        For another name.

    Examples
    --------
    >>> drugs = table("drug")
    >>> drugs.version, drugs.heading[1]
    ('2025', 'Poisoning Accidental (unintentional)')
    >>> table("drugs")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidArgumentError: 'drugs' is not a valid table: one of 'drug', 'neoplasm', 'external'
    """
    if not isinstance(name, str) or name not in TABLES:
        raise InvalidArgumentError(name, "one of " + ", ".join(map(repr, TABLES)), "table")
    path = TABLES[name][0]
    return memo(DATASET, name, lambda: from_json(read_json(DATASET, path), path))
