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
from typing import Any

from .. import datasets
from ..arguments import check_text
from ..errors import InvalidArgumentError
from .errors import DiseaseNotFoundError
from .ontology import HPO_DATASET, information_content_from_counts, ontology

__all__ = [
    "FREQUENCY_TERMS",
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


class Annotations:
    """Every annotation row of ``phenotype.hpoa`` (built by :func:`annotations`)."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.version: str = content["version"]
        self.diseases: list[str] = content["diseases"]
        self._names: list[str] = content["names"]
        self._name_sources: list[str] = content["name_sources"]
        self._disease_index = {d: i for i, d in enumerate(self.diseases)}
        self.disease: list[int] = content["disease"]
        self.term: list[str] = [f"HP:{n:07d}" for n in content["term"]]
        negated = [False] * len(self.disease)
        for row in content["not"]:
            negated[row] = True
        self.negated: list[bool] = negated
        self.evidence: list[str] = [_EVIDENCE[c] for c in content["evidence"]]
        self.aspect: str = content["aspect"]
        self.sex: list[str] = [_SEX[c] for c in content["sex"]]
        self.onset: list[str] = [f"HP:{n:07d}" if n else "" for n in content["onset"]]
        table = content["frequency_table"]
        self.frequency: list[str] = [table[i] for i in content["frequency"]]
        refs = [tuple(r.split(";")) if r else () for r in content["references_table"]]
        self.references: list[tuple[str, ...]] = [refs[i] for i in content["references"]]
        table = content["modifier_table"]
        self.modifier: list[str] = [table[i] for i in content["modifier"]]
        rows: list[list[int]] = [[] for _ in self.diseases]
        for row, disease in enumerate(self.disease):
            rows[disease].append(row)
        self._rows = [tuple(r) for r in rows]
        self._ic: list[float] | None = None
        self._by_term: dict[str, tuple[int, ...]] | None = None

    def __len__(self) -> int:
        return len(self.disease)

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
