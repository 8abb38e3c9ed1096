"""The disease annotations of HPO 2025-01-16 (``phenotype.hpoa``), every row, read on first use.

:func:`disease_annotations` returns the :class:`Annotations` store: the 12,687
annotated diseases (OMIM, ORPHA, DECIPHER) and their 271,702 annotation rows,
column by column, in the order of the source file. A row is a phenotype
(``aspect`` ``P``), an inheritance mode (``I``), a clinical course or onset
(``C``), a modifier (``M``) or past history (``H``). A row with the ``NOT``
qualifier states that the disease does *not* have the phenotype; such rows
are kept apart everywhere (never counted as a feature of the disease).

Disease names are Orphanet's label for ORPHA diseases and Mondo's label for
OMIM and DECIPHER diseases: OMIM's own names are not redistributed, so the
few OMIM diseases without a live Mondo match have no name.

Examples
--------
>>> store = disease_annotations()
>>> len(store), len(store.diseases)
(271702, 12687)
>>> sum(store.negated)
711
>>> store.name("ORPHA:558")
'Marfan syndrome'
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, NamedTuple

from .. import datasets
from ..arguments import check_text
from ..errors import InvalidArgumentError
from .errors import DiseaseNotFoundError
from .ontology import HPO_DATASET, information_content_from_counts, ontology

__all__ = [
    "FREQUENCY_TERMS",
    "AnnotationRow",
    "Annotations",
    "disease_annotations",
    "frequency_value",
    "information_content",
    "most_informative_common_ancestor",
]

#: HPO frequency terms with the share of patients HPO gives for them (the middle of the range).
FREQUENCY_TERMS = {
    "HP:0040280": ("Obligate", 1.0),
    "HP:0040281": ("Very frequent", 0.895),
    "HP:0040282": ("Frequent", 0.545),
    "HP:0040283": ("Occasional", 0.17),
    "HP:0040284": ("Very rare", 0.025),
    "HP:0040285": ("Excluded", 0.0),
}
_EVIDENCE = {"I": "IEA", "P": "PCS", "T": "TAS"}
_PERCENT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?%")
_RATIO = re.compile(r"[0-9]{1,9}/[0-9]{1,9}")
_SEX = {"-": "", "M": "MALE", "F": "FEMALE"}


def frequency_value(raw: str) -> float | None:
    """The share of patients a frequency cell states: an HPO frequency term, ``n/m`` or ``x%``; None if empty.

    Examples
    --------
    >>> frequency_value("HP:0040282"), frequency_value("3/4"), frequency_value("12.5%"), frequency_value("")
    (0.545, 0.75, 0.125, None)
    """
    raw = check_text(raw, "frequency", 100)
    if not raw:
        return None
    if raw in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[raw][1]
    if _PERCENT.fullmatch(raw):
        return min(float(raw[:-1]) / 100.0, 1.0)
    if not _RATIO.fullmatch(raw):
        raise InvalidArgumentError(raw, "a frequency is an HPO frequency term, n/m or x%", "frequency")
    n, _, m = raw.partition("/")
    return min(int(n) / int(m), 1.0) if int(m) else None


class AnnotationRow(NamedTuple):
    """The fields of one annotation row, as :class:`Annotations` gives them column by column."""

    term: str
    negated: bool
    aspect: str
    frequency: str
    evidence: str
    references: tuple[str, ...]
    onset: str
    sex: str


class Annotations:
    """Every annotation row of ``phenotype.hpoa`` (built by :func:`annotations`)."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.version: str = content["version"]
        self.diseases: list[str] = content["diseases"]
        self._names: list[str] = content["names"]
        self._name_sources: list[str] = content["name_sources"]
        self._disease_index = {d: i for i, d in enumerate(self.diseases)}
        self.disease: list[int] = content["disease"]
        self.aspect: str = content["aspect"]
        self._raw = content  # the other columns are decoded when first read, whole or row by row
        self._negated_rows = frozenset(content["not"])
        self._references_table = [tuple(r.split(";")) if r else () for r in content["references_table"]]
        rows: list[list[int]] = [[] for _ in self.diseases]
        for row, disease in enumerate(self.disease):
            rows[disease].append(row)
        self._rows = [tuple(r) for r in rows]
        self._ic: list[float] | None = None
        self._by_term: dict[str, tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self.disease)

    # --- columns, decoded on first use (kb.graph reads a few thousand rows through row()) ----------

    @cached_property
    def term(self) -> list[str]:
        """The HPO term of each row."""
        return [f"HP:{n:07d}" for n in self._raw["term"]]

    @cached_property
    def negated(self) -> list[bool]:
        """Whether each row is a ``NOT`` annotation."""
        negated = [False] * len(self.disease)
        for row in self._negated_rows:
            negated[row] = True
        return negated

    @cached_property
    def evidence(self) -> list[str]:
        """The evidence code of each row (IEA, PCS or TAS)."""
        return [_EVIDENCE[c] for c in self._raw["evidence"]]

    @cached_property
    def sex(self) -> list[str]:
        """``MALE``, ``FEMALE`` or ``""`` for each row."""
        return [_SEX[c] for c in self._raw["sex"]]

    @cached_property
    def onset(self) -> list[str]:
        """The onset term of each row, or ``""``."""
        return [f"HP:{n:07d}" if n else "" for n in self._raw["onset"]]

    @cached_property
    def frequency(self) -> list[str]:
        """The frequency cell of each row as written (an HPO term, n/m, x%), or ``""``."""
        table = self._raw["frequency_table"]
        return [table[i] for i in self._raw["frequency"]]

    @cached_property
    def references(self) -> list[tuple[str, ...]]:
        """The references of each row (PMID:…, OMIM:…)."""
        table = self._references_table
        return [table[i] for i in self._raw["references"]]

    @cached_property
    def modifier(self) -> list[str]:
        """The modifiers of each row, joined by ``;``."""
        table = self._raw["modifier_table"]
        return [table[i] for i in self._raw["modifier"]]

    def row(self, row: int) -> AnnotationRow:
        """One row's fields, decoded on their own (without decoding the columns)."""
        raw = self._raw
        term, onset = raw["term"][row], raw["onset"][row]
        return AnnotationRow(
            f"HP:{term:07d}",
            row in self._negated_rows,
            self.aspect[row],
            raw["frequency_table"][raw["frequency"][row]],
            _EVIDENCE[raw["evidence"][row]],
            self._references_table[raw["references"][row]],
            f"HP:{onset:07d}" if onset else "",
            _SEX[raw["sex"][row]],
        )

    def disease_index(self, disease: object) -> int:
        """The position of an annotated disease id (``OMIM:…``, ``ORPHA:…``, ``DECIPHER:…``)."""
        if isinstance(disease, str):
            found = self._disease_index.get(disease.strip().upper().replace("ORPHANET:", "ORPHA:"))
            if found is not None:
                return found
        raise DiseaseNotFoundError(disease)

    def name(self, disease: object) -> str | None:
        """The disease's name (Orphanet or Mondo label), or None if neither names it."""
        return self._names[self.disease_index(disease)] or None

    def name_source(self, disease: object) -> str | None:
        """Where the name comes from: ``"Orphanet"``, ``"Mondo"`` or None."""
        return self._name_sources[self.disease_index(disease)] or None

    def rows(self, disease: object) -> tuple[int, ...]:
        """The annotation rows of a disease, in file order."""
        return self._rows[self.disease_index(disease)]

    def rows_at(self, disease: int) -> tuple[int, ...]:
        """The annotation rows of the disease at position *disease*."""
        return self._rows[disease]

    def rows_with_term(self, term: str) -> tuple[int, ...]:
        """The rows annotating exactly *term* (an HPO id, already checked)."""
        if self._by_term is None:
            found: dict[str, list[int]] = {}
            for row, t in enumerate(self.term):
                found.setdefault(t, []).append(row)
            self._by_term = {t: tuple(r) for t, r in found.items()}
        return self._by_term.get(term, ())

    def information_content(self) -> list[float]:
        """Information content of every ontology term (by position), from the positive annotations.

        For each term, *p* is the share of annotated diseases with a positive
        (not ``NOT``) annotation to it or to one of its descendants.
        """
        if self._ic is None:
            from collections import Counter

            hpo = ontology()
            closure = hpo.ancestor_sets()
            positions = hpo.positions
            per_disease: list[set[int]] = [set() for _ in self.diseases]
            for row, disease in enumerate(self.disease):
                if not self.negated[row]:
                    per_disease[disease].add(positions[self.term[row]])
            counts: Counter[int] = Counter()
            total = 0
            for terms in per_disease:
                if terms:
                    total += 1
                    counts.update(set().union(*(closure[t] for t in terms)))
            self._ic = information_content_from_counts([counts[t] for t in range(len(hpo))], total)
        return self._ic


def disease_annotations() -> Annotations:
    """The annotation store of the shipped HPO release, built on first use (once per process)."""
    return datasets.memo(
        HPO_DATASET,
        "annotations",
        lambda: Annotations(datasets.read_json(HPO_DATASET, f"{HPO_DATASET}/annotations.json.gz")),
    )


def information_content(term: object) -> float:
    """``-ln(p)``, *p* the share of annotated diseases having *term* or a descendant (positive annotations).

    A term that no disease has gets the largest value, ``ln(N)``.

    Examples
    --------
    >>> information_content("HP:0000001")
    0.0
    >>> information_content("HP:0001250") > information_content("HP:0012638")
    True
    """
    return disease_annotations().information_content()[ontology().index(term)]


def most_informative_common_ancestor(a: object, b: object) -> str:
    """The common ancestor (or self) of two terms with the largest information content."""
    hpo = ontology()
    ic = disease_annotations().information_content()
    common = hpo.ancestor_sets()[hpo.index(a)] & hpo.ancestor_sets()[hpo.index(b)]
    return hpo._ids[max(common, key=lambda t: (ic[t], -t))]
