"""The tables' index terms and codes, for a search index.

:func:`index_terms` gives one :class:`IndexEntry` per code the shipped
tables print, with a text a search index can match words against: the path
of index terms and, for a table column, its official heading. So "fall from
ladder" meets *Fall, falling, from, off, out of, ladder* (W11) and
"acetaminophen overdose" meets *Acetaminophen, Poisoning Accidental
(unintentional), overdose* (T39.1X1). An entry that only says *see* another
gets the codes of the entry it leads to, under its own words.

Two words are added to the tables' own: "overdose" to the accidental
poisoning column of the drug table, because the tabular list's note at
T36-T50 includes "poisoning by overdose of substance" and the ICD-10-CM
Official Guidelines for Coding and Reporting (FY2025, section
I.C.19.e.5.b) code a poisoning of unknown intent as accidental; and
"neoplasm" to the neoplasm rows, whose path starts with it anyway.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .codes import printed_stem
from .compiled import table
from .lookup import _follow, _has_codes, _kb, _matcher

__all__ = ["IndexEntry", "index_terms"]


class IndexEntry(NamedTuple):
    """One code of a table, with words to find it by."""

    #: Words to index: the path of index terms, then the column heading.
    text: str
    #: The code, as the release has it (a header when the table prints one).
    code: str
    #: 'drug', 'neoplasm' or 'external'.
    table: str
    #: The index terms, main term first.
    path: tuple[str, ...]
    #: The column (intent or behaviour heading), '' for the external cause index.
    column: str


def index_terms(kb: Any = None) -> tuple[IndexEntry, ...]:
    """Every code of the shipped tables that the release has, with words to find it by.

    Codes the release lacks are left out. Computed on each call (a search
    index keeps the result).

    Parameters
    ----------
    kb:
        The knowledge base whose release the codes are checked against
        (None: :func:`icd10kb.load`).

    Examples
    --------
    >>> entries = index_terms(kb)
    >>> [e.code for e in entries if e.text == "Fall, falling, from, off, out of, ladder"]
    ['W11']
    >>> [e.code for e in entries if e.path == ("Acetaminophen",)][:2]
    ['T39.1X1', 'T39.1X2']
    >>> [e.code for e in entries if e.path == ("Adrenalin",)][:1]
    ['T44.5X1']
    """
    release = _kb(kb)
    known: dict[str, str | None] = {}

    def code_of(printed: str) -> str | None:
        stem = printed_stem(printed)
        if stem not in known:
            known[stem] = release.normalize(stem) if stem and stem in release else None
        return known[stem]

    out: list[IndexEntry] = []
    for which in ("drug", "neoplasm", "external"):
        index = table(which)
        matcher = _matcher(which)
        for above, entry in index.walk():
            path = (*(t.title for t in above), entry.title)
            words = ", ".join(path)
            term = entry
            if entry.see and not _has_codes(entry):  # 'Adrenalin, see Adrenaline': the words lead to its codes
                term = _follow(matcher, (*above, entry))[0][-1]
            for position, cell in enumerate(term.cells):
                code = code_of(cell)
                if code is None:
                    continue
                heading = index.heading[position + 1]
                extra = ", overdose" if which == "drug" and position == 0 else ""
                out.append(IndexEntry(f"{words}, {heading}{extra}", code, which, path, heading))
            for printed in (term.code, term.subcat, term.seecat):
                code = code_of(printed) if printed else None
                if code is not None:
                    out.append(IndexEntry(words, code, which, path, ""))
    return tuple(out)
