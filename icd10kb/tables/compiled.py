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

from ..arguments import check_text
from ..datasets import memo, read_json
from ..errors import DataFileError, InvalidArgumentError
from .reader import MAX_DEPTH, MAX_TEXT_CHARS, IndexFile, IndexTerm

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
#: The longest text of a term (a display is a title and its modifier, each at most MAX_TEXT_CHARS).
_MAX_CHARS = 2 * MAX_TEXT_CHARS + 1
_ABSENT = object()


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
    if not isinstance(index, IndexFile):
        raise InvalidArgumentError(index, "an IndexFile read with icd10kb.tables.read_index", "index")
    return {
        "name": index.name,
        "sha256": index.sha256,
        "version": index.version,
        "title": index.title,
        "heading": list(index.heading),
        "terms": [_term_json(t) for t in index.terms],
    }


class _Reader:
    """Rebuilds terms from the JSON form, checking every field's type (a bad one is a DataFileError)."""

    def __init__(self, name: str, columns: int) -> None:
        self.name = name
        self.columns = columns

    def fail(self, where: str, message: str) -> DataFileError:
        return DataFileError(self.name, f"not a compiled index table: {where} {message}")

    def text(self, raw: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = dict.get(raw, key, _ABSENT if default is None else default)
        if not isinstance(value, str) or len(value) > _MAX_CHARS:
            raise self.fail(f"{where}.{key}" if where else key, "is missing" if value is _ABSENT else "is not text")
        return str.__getitem__(value, slice(None))

    def texts(self, value: object, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= _MAX_CHARS for v in value):
            raise self.fail(where, "is not a list of text")
        return tuple(str.__getitem__(v, slice(None)) for v in value)

    def terms(self, value: object, where: str, depth: int) -> tuple[IndexTerm, ...]:
        if not isinstance(value, list):
            raise self.fail(where, "is not a list of terms")
        if depth > MAX_DEPTH:
            raise self.fail(where, f"nests terms more than {MAX_DEPTH} deep")
        return tuple(self.term(raw, f"{where}[{i}]", depth) for i, raw in enumerate(list.__iter__(value)))

    def term(self, raw: object, where: str, depth: int) -> IndexTerm:
        if not isinstance(raw, dict):
            raise self.fail(where, "is not a term (a JSON object)")
        title = self.text(raw, "t", where)
        cells = self.texts(dict.get(raw, "x", []), f"{where}.x") or ("",) * self.columns
        if len(cells) != self.columns:
            raise self.fail(f"{where}.x", f"has {len(cells)} cells; the heading has {self.columns} columns")
        return IndexTerm(
            title=title,
            nemod=self.text(raw, "n", where, ""),
            display=self.text(raw, "d", where, title),
            cells=cells,
            terms=self.terms(dict.get(raw, "k", []), f"{where}.k", depth + 1),
            **{field: self.text(raw, key, where, "") for key, field in _KEYS},
        )


def from_json(raw: Any, name: str = "<json>") -> IndexFile:
    """Rebuild an :class:`IndexFile` from :func:`to_json` output.

    Raises
    ------
    DataFileError
        If *raw* is not in that form (naming the field at fault).
    InvalidArgumentError
        If *name* is not text.

    Examples
    --------
    >>> from_json({"name": "x", "sha256": "", "version": "", "title": "", "heading": [], "terms": [{"t": "Fall"}]})
    IndexFile(name='x', sha256='', version='', title='', heading=(), terms=(IndexTerm(title='Fall', ...),))
    >>> from_json({"heading": None}, "x.json")
    Traceback (most recent call last):
      ...
    icd10kb.errors.DataFileError: x.json: not a compiled index table: heading is not a list of text
    """
    name = check_text(name, "name", 1000)
    if not isinstance(raw, dict):
        raise DataFileError(name, "not a compiled index table: not a JSON object")
    reader = _Reader(name, 0)
    heading = reader.texts(dict.get(raw, "heading"), "heading")
    reader.columns = max(len(heading) - 1, 0)
    named, sha256, version, title = (reader.text(raw, key, "") for key in ("name", "sha256", "version", "title"))
    return IndexFile(named, sha256, version, title, heading, reader.terms(dict.get(raw, "terms"), "terms", 1))


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
    key = str.__getitem__(name, slice(0, 100)) if isinstance(name, str) else None  # a plain str: no hostile __hash__
    if key not in TABLES or len(name) != len(key):
        raise InvalidArgumentError(name, "one of " + ", ".join(map(repr, TABLES)), "table")
    name = key
    path = TABLES[name][0]
    return memo(DATASET, name, lambda: from_json(read_json(DATASET, path), path))
