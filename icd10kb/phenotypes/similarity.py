"""Compact arrays for phenotype similarity, built once on first use (needs numpy, the ``phenotypes`` extra).

The score of a disease *d* for a set of query terms *Q* combines both
directions of a best match by information content (``IC``; the match of two
terms is the IC of their most informative common ancestor), minus a penalty
for ``NOT`` annotations. Each direction counts the *share* of a term's IC
that the other side explains, so every term weighs alike and a score is at
most 1:

- query to disease (share :data:`QUERY_WEIGHT`): for each query term *q*, the
  best match among the disease's annotations, over ``IC(q)``. An imprecise
  query term (an ancestor of an annotated one) is fully explained; a noise
  term is explained only by a general common ancestor, little for every
  disease. For each disease the worst-explained quarter of the query terms
  (one in :data:`TRIM_SHARE`, rounded down) is left out, so a few noise terms
  do not decide the ranking.
- disease to query: for each annotation *t* of *d*, its best match among the
  query terms over ``IC(t)``, averaged over the annotations with the weight of
  their frequency (:func:`frequency_weight`): a disease whose frequent
  features are absent from the query ranks lower, one whose absent features
  are rare hardly so.
- ``NOT``: a query term at or below a term the disease is annotated ``NOT``
  with (or ``Excluded``, 0%) costs as much as a fully explained term gains.

The weights were chosen on simulated patients
(:func:`~icd10kb.phenotypes.simulate.simulate_patients`, seeds other than
those of the tests and the benchmark): weighting the first direction by
frequency as well, or leaving the shares as raw IC, lowered the accuracy (OMIM
annotations mostly state no frequency, Orphanet's do, so the twin entries of
one disease were scored apart; raw IC let many-featured diseases collect
points from noise terms).

The arrays: for every term *a*, the diseases having *a* or a descendant
(``postings``; the largest also as dense rows of their IC); the ancestors and
descendants of every term (CSR); the aggregated annotations (one per disease
and term, ``n/m`` frequencies of several rows summed before use).
"""

from __future__ import annotations

from typing import Any

from .. import datasets
from ..errors import InvalidArgumentError
from .annotations import FREQUENCY_TERMS, disease_annotations, frequency_value
from .ontology import HPO_DATASET, ontology

__all__ = ["QUERY_WEIGHT", "UNKNOWN_WEIGHT", "SimilarityArrays", "arrays", "frequency_weight"]

#: Share of the score from the query-to-disease direction (the rest: disease to query).
QUERY_WEIGHT = 0.7
#: One query term in TRIM_SHARE (rounded down), the worst explained for each disease, is left out.
TRIM_SHARE = 4
#: Weight of an annotation without a stated frequency.
UNKNOWN_WEIGHT = 0.75
#: Terms found in more than 1/_DENSE_SHARE of the diseases keep a dense row.
_DENSE_SHARE = 8


def frequency_weight(share: float | None) -> float:
    """How much an annotation counts in the disease-to-query direction, from the share of patients having it.

    Examples
    --------
    >>> frequency_weight(1.0), frequency_weight(None), round(frequency_weight(0.025), 2)
    (1.0, 0.75, 0.22)
    """
    if share is not None and (type(share) not in (float, int) or not 0 <= share <= 1):  # NaN too
        raise InvalidArgumentError(share, "a share of patients is a number from 0 to 1, or None", "share")
    return _weight(share)


def _weight(share: float | None) -> float:
    return UNKNOWN_WEIGHT if share is None else 0.2 + 0.8 * share


def _aggregate() -> tuple[Any, Any, Any, Any, Any, list[tuple[int, int]]]:
    """Positive phenotype annotations, one per (disease, term), with a weight; and the NOT pairs.

    Returns the disease and term positions and the weight of each aggregated
    annotation, the source rows behind it (``rows[starts[i]:starts[i + 1]]``),
    and the sorted ``(disease, term)`` pairs annotated ``NOT`` (or Excluded).
    Several ``n/m`` frequencies of one disease and term are summed; otherwise
    the largest stated share is used.
    """
    import numpy as np

    store = disease_annotations()
    hpo = ontology()
    positions = hpo.positions
    n_terms = len(hpo)
    disease = np.asarray(store.disease, dtype=np.int64)
    term = np.fromiter((positions[t] for t in store.term), dtype=np.int64, count=len(store))
    phenotype = np.frombuffer(store.aspect.encode("ascii"), dtype=np.uint8) == ord("P")
    excluded = np.asarray(store.negated) | (np.asarray(store.frequency, dtype=object) == "HP:0040285")
    key = disease * n_terms + term
    negated = sorted({(int(k) // n_terms, int(k) % n_terms) for k in key[phenotype & excluded]})
    rows = np.flatnonzero(phenotype & ~excluded)
    rows = rows[np.argsort(key[rows], kind="stable")]
    keys = key[rows]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(first)
    parsed: dict[str, tuple[int, int, float]] = {}  # frequency cell -> (n, m, share); -1 where not stated
    for cell in set(store.frequency):
        if "/" in cell:
            n, _, m = cell.partition("/")
            parsed[cell] = (int(n), int(m), -1.0)
        else:
            value = frequency_value(cell) if cell in FREQUENCY_TERMS or cell.endswith("%") else None
            parsed[cell] = (0, 0, -1.0 if value is None else value)
    cells = np.asarray([parsed[store.frequency[r]] for r in rows.tolist()], dtype=np.float64).reshape(-1, 3)
    n_sum = np.add.reduceat(cells[:, 0], starts) if len(rows) else cells[:, 0]
    m_sum = np.add.reduceat(cells[:, 1], starts) if len(rows) else cells[:, 1]
    best = np.maximum.reduceat(cells[:, 2], starts) if len(rows) else cells[:, 2]
    share = np.where(m_sum > 0, np.minimum(n_sum / np.maximum(m_sum, 1), 1.0), best)
    weights = np.asarray([_weight(None if x < 0 else x) for x in share.tolist()], dtype=np.float64)
    return keys[starts] // n_terms, keys[starts] % n_terms, weights, rows, np.append(starts, len(rows)), negated


class SimilarityArrays:
    """The precomputed arrays of the similarity score (see the module docstring)."""

    def __init__(self) -> None:
        import numpy as np

        store = disease_annotations()
        hpo = ontology()
        self.n_diseases = n = len(store.diseases)
        n_terms = len(hpo)
        self.ic = np.asarray(store.information_content(), dtype=np.float64)
        anc_lists = [sorted(a) for a in hpo.ancestor_sets()]
        self.anc_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.anc_ptr[1:] = np.cumsum([len(a) for a in anc_lists])
        self.anc_idx = np.fromiter((t for a in anc_lists for t in a), dtype=np.int32, count=int(self.anc_ptr[-1]))
        # ancestors of each term in ascending information content (ties: larger position first)
        self._anc_by_ic: dict[int, list[int]] = {}
        self._frequency_cells = store.frequency
        owner = np.repeat(np.arange(n_terms, dtype=np.int32), np.diff(self.anc_ptr))
        order = np.argsort(self.anc_idx, kind="stable")
        self.desc_idx = owner[order]  # descendants (with self): the transpose of the ancestor lists
        self.desc_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.desc_ptr[1:] = np.cumsum(np.bincount(self.anc_idx, minlength=n_terms))
        diseases, terms, weights, self._rows, self._row_starts, negated = _aggregate()
        self.ann_disease = np.asarray(diseases, dtype=np.int32)
        self.ann_term = np.asarray(terms, dtype=np.int32)
        self.ann_weight = np.asarray(weights, dtype=np.float32)
        self.ann_ptr = np.zeros(n + 1, dtype=np.int64)
        self.ann_ptr[1:] = np.cumsum(np.bincount(self.ann_disease, minlength=n))
        self.weight_total = np.bincount(self.ann_disease, weights=self.ann_weight, minlength=n)
        self.has_annotations = self.weight_total > 0
        self.ann_term_intp = self.ann_term.astype(np.intp)
        term_ic = self.ic[self.ann_term_intp]
        # per annotation: its weight over its own IC, so that it scores the share of its IC the query explains
        self.ann_scale = np.divide(self.ann_weight, term_ic, out=np.zeros(len(term_ic)), where=term_ic > 0).astype(
            np.float32
        )
        # segment starts for np.add.reduceat; a disease without annotations gets a neighbour's sum, masked later
        self.ann_starts = np.minimum(self.ann_ptr[:-1], max(len(self.ann_term) - 1, 0))
        # postings: the (ancestor, disease) pairs, each once, sorted
        counts = np.diff(self.anc_ptr)[self.ann_term]
        starts = np.repeat(self.anc_ptr[self.ann_term], counts)
        offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        key = np.sort(self.anc_idx[starts + offsets].astype(np.int64) * n + np.repeat(self.ann_disease, counts))
        if len(key):
            key = key[np.concatenate(([True], key[1:] != key[:-1]))]
        self.post_disease = (key % n).astype(np.int32)
        self.post_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.post_ptr[1:] = np.cumsum(np.bincount(key // n, minlength=n_terms))
        sizes = np.diff(self.post_ptr)
        big = np.flatnonzero(sizes > n // _DENSE_SHARE)
        self.dense_row = {int(t): k for k, t in enumerate(big)}
        self.dense = np.zeros((len(big), n), dtype=np.float64)
        for k, t in enumerate(big):
            self.dense[k, self.post_disease[self.post_ptr[t] : self.post_ptr[t + 1]]] = self.ic[t]
        self.negated: dict[int, list[int]] = {}
        self.negated_of: dict[int, list[int]] = {}
        for disease, term in negated:
            self.negated.setdefault(term, []).append(disease)
            self.negated_of.setdefault(disease, []).append(term)

    def frequency(self, annotation: int) -> str:
        """The frequency cells of the rows behind an aggregated annotation, joined with ``;``."""
        cells = self._frequency_cells
        rows = self._rows[self._row_starts[annotation] : self._row_starts[annotation + 1]].tolist()
        return ";".join(cells[r] for r in rows if cells[r])

    def ancestors_by_ic(self, term: int) -> list[int]:
        """Positions of *term* and its ancestors, by ascending information content (ties: larger position first)."""
        found = self._anc_by_ic.get(term)
        if found is None:
            found = sorted(self.ancestors(term).tolist(), key=lambda t: (self.ic[t], -t))
            self._anc_by_ic[term] = found
        return found

    def ancestors(self, term: int) -> Any:
        """Positions of *term* and its ancestors."""
        return self.anc_idx[self.anc_ptr[term] : self.anc_ptr[term + 1]]

    def scores(self, query: list[int]) -> Any:
        """The score of every disease (by position) for the query term positions *query*."""
        import numpy as np

        n = self.n_diseases
        ic = self.ic
        explained = np.zeros((len(query), n), dtype=np.float64)  # per query term: the share of its IC explained
        union: set[int] = set()
        for i, q in enumerate(query):
            best = explained[i]
            for a in self.ancestors_by_ic(q):  # ascending IC: the last assignment is the largest
                union.add(a)
                if ic[a] <= 0.0:
                    continue
                row = self.dense_row.get(a)
                if row is not None:
                    np.maximum(best, self.dense[row], out=best)
                else:
                    best[self.post_disease[self.post_ptr[a] : self.post_ptr[a + 1]]] = ic[a]
            if ic[q] > 0.0:
                best /= ic[q]
        forward = explained.sum(axis=0)
        trimmed = len(query) // TRIM_SHARE
        if trimmed:  # leave out each disease's worst-explained query terms: noise
            forward -= np.partition(explained, trimmed - 1, axis=0)[:trimmed].sum(axis=0)
        forward /= max(len(query) - trimmed, 1)
        shared = np.zeros(len(ic), dtype=np.float32)  # per term: the best IC it shares with the query
        for a in sorted(union, key=lambda t: (ic[t], -t)):
            if ic[a] > 0.0:
                shared[self.desc_idx[self.desc_ptr[a] : self.desc_ptr[a + 1]]] = ic[a]
        per_annotation = np.take(shared, self.ann_term_intp)
        per_annotation *= self.ann_scale
        backward = np.add.reduceat(per_annotation, self.ann_starts).astype(np.float64)
        backward = np.divide(backward, self.weight_total, out=np.zeros(n), where=self.has_annotations)
        score = QUERY_WEIGHT * forward + (1.0 - QUERY_WEIGHT) * backward
        for q in query:  # a query term the disease is stated NOT to have costs a fully explained term
            hit: set[int] = set()
            for a in self.ancestors(q).tolist():
                hit.update(self.negated.get(a, ()))
            if hit:
                score[sorted(hit)] -= QUERY_WEIGHT / max(len(query) - trimmed, 1)
        return score


def arrays() -> SimilarityArrays:
    """The similarity arrays, built on first use (about a second), once per process."""
    return datasets.memo(HPO_DATASET, "similarity", SimilarityArrays)
