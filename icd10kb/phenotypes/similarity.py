"""Compact arrays for phenotype similarity, built once on first use (needs numpy, the ``phenotypes`` extra).

The score of a disease *d* for a set of query terms *Q* combines two
directions of a frequency-weighted Resnik best match, minus a penalty for the
disease's ``NOT`` annotations:

- query to disease: for each query term *q*, the largest ``IC(a) * w(t)`` over
  the disease's annotations *t* and their common ancestors *a* with *q*
  (``IC`` the information content, ``w`` the weight of the annotation's
  frequency), averaged over *Q*. An imprecise query term (an ancestor of the
  annotated one) still scores its own information content; a noise term
  scores only through a general common ancestor.
- disease to query: for each annotation *t*, the largest ``IC(a)`` over the
  common ancestors of *t* with any query term, averaged over the annotations
  with weights ``w(t)``: a disease whose frequent features are absent from
  the query is ranked lower.
- ``NOT``: a query term at or below a term the disease is annotated ``NOT``
  with costs ``IC`` of that term.

The arrays: for every term *a*, the diseases having *a* or a descendant and
the best weight there (``postings``); the descendants of every term; the
aggregated annotations (one per disease and term; ``n/m`` frequencies of
several rows summed before use).
"""

from __future__ import annotations

from typing import Any

from .. import datasets
from .annotations import FREQUENCY_TERMS, annotations, frequency_value
from .ontology import HPO_DATASET, ROOT, ontology

__all__ = ["QUERY_WEIGHT", "SimilarityArrays", "arrays", "frequency_weight"]

#: Share of the score from the query-to-disease direction (the rest: disease to query).
QUERY_WEIGHT = 0.65
#: Weight of an annotation without a stated frequency.
UNKNOWN_WEIGHT = 0.75
#: Terms found in more than 1/_DENSE_SHARE of the diseases keep a dense row of values.
_DENSE_SHARE = 8


def frequency_weight(share: float | None) -> float:
    """How much an annotation counts, from the share of patients who have it.

    Examples
    --------
    >>> frequency_weight(1.0), frequency_weight(None), frequency_weight(0.025)
    (1.0, 0.75, 0.41...)
    """
    if share is None:
        return UNKNOWN_WEIGHT
    return 0.4 + 0.6 * share**0.5


def _aggregate() -> tuple[list[int], list[int], list[float], list[str], list[tuple[int, int]]]:
    """Positive phenotype annotations, one per (disease, term), with a weight; and the NOT pairs."""
    store = annotations()
    hpo = ontology()
    positions = hpo.positions
    stated: dict[tuple[int, int], list[str]] = {}
    negated: set[tuple[int, int]] = set()
    for row, disease in enumerate(store.disease):
        if store.aspect[row] != "P":
            continue
        key = (disease, positions[store.term[row]])
        if store.negated[row] or store.frequency[row] == "HP:0040285":
            negated.add(key)
        else:
            stated.setdefault(key, []).append(store.frequency[row])
    diseases, terms, weights, frequencies = [], [], [], []
    for (disease, term), cells in sorted(stated.items()):
        ratios = [c.split("/") for c in cells if "/" in c]
        if ratios:
            n, m = sum(int(r[0]) for r in ratios), sum(int(r[1]) for r in ratios)
            share: float | None = min(n / m, 1.0) if m else None
        else:
            shares = [frequency_value(c) for c in cells if c and (c in FREQUENCY_TERMS or c.endswith("%"))]
            share = max(s for s in shares if s is not None) if shares else None
        diseases.append(disease)
        terms.append(term)
        weights.append(frequency_weight(share))
        frequencies.append(";".join(c for c in cells if c))
    return diseases, terms, weights, frequencies, sorted(negated)


class SimilarityArrays:
    """The precomputed arrays of the similarity score (see the module docstring)."""

    def __init__(self) -> None:
        import numpy as np

        store = annotations()
        hpo = ontology()
        self.n_diseases = len(store.diseases)
        n_terms = len(hpo)
        self.ic = np.asarray(store.information_content(), dtype=np.float64)
        closure = hpo.ancestor_sets()
        anc_lists = [sorted(a) for a in closure]
        self.anc_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.anc_ptr[1:] = np.cumsum([len(a) for a in anc_lists])
        self.anc_idx = np.fromiter((t for a in anc_lists for t in a), dtype=np.int32, count=int(self.anc_ptr[-1]))
        # descendants (with self), as the transpose of the ancestor lists
        owner = np.repeat(np.arange(n_terms, dtype=np.int32), np.diff(self.anc_ptr))
        order = np.argsort(self.anc_idx, kind="stable")
        self.desc_idx = owner[order]
        self.desc_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.desc_ptr[1:] = np.cumsum(np.bincount(self.anc_idx, minlength=n_terms))
        diseases, terms, weights, self.ann_frequency, negated = _aggregate()
        self.ann_disease = np.asarray(diseases, dtype=np.int32)
        self.ann_term = np.asarray(terms, dtype=np.int32)
        self.ann_weight = np.asarray(weights, dtype=np.float64)
        self.ann_ptr = np.zeros(self.n_diseases + 1, dtype=np.int64)
        self.ann_ptr[1:] = np.cumsum(np.bincount(self.ann_disease, minlength=self.n_diseases))
        self.weight_total = np.bincount(self.ann_disease, weights=self.ann_weight, minlength=self.n_diseases)
        self.has_annotations = self.weight_total > 0
        # postings: (ancestor, disease) -> best weight of an annotation below the ancestor
        counts = np.diff(self.anc_ptr)[self.ann_term]
        exp_disease = np.repeat(self.ann_disease, counts)
        exp_weight = np.repeat(self.ann_weight, counts)
        starts = np.repeat(self.anc_ptr[self.ann_term], counts)
        offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        exp_anc = self.anc_idx[starts + offsets]
        key = exp_anc.astype(np.int64) * self.n_diseases + exp_disease
        order = np.lexsort((-exp_weight, key))
        key, exp_weight = key[order], exp_weight[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        key, best = key[first], exp_weight[first]
        self.post_disease = (key % self.n_diseases).astype(np.int32)
        self.post_weight = best
        self.post_ptr = np.zeros(n_terms + 1, dtype=np.int64)
        self.post_ptr[1:] = np.cumsum(np.bincount((key // self.n_diseases).astype(np.int64), minlength=n_terms))
        # the information content each posting is worth; the largest postings also as dense rows
        sizes = np.diff(self.post_ptr)
        owner_of_posting = np.repeat(np.arange(n_terms), sizes)
        self.post_value = (self.ic[owner_of_posting] * self.post_weight).astype(np.float32)
        big = np.flatnonzero(sizes > self.n_diseases // _DENSE_SHARE)
        self.dense_row = {int(t): k for k, t in enumerate(big)}
        self.dense = np.zeros((len(big), self.n_diseases), dtype=np.float32)
        for k, t in enumerate(big):
            lo, hi = self.post_ptr[t], self.post_ptr[t + 1]
            self.dense[k, self.post_disease[lo:hi]] = self.post_value[lo:hi]
        self.ann_weight32 = self.ann_weight.astype(np.float32)
        self.negated: dict[int, list[int]] = {}
        self.negated_of: dict[int, list[int]] = {}
        for disease, term in negated:
            self.negated.setdefault(term, []).append(disease)
            self.negated_of.setdefault(disease, []).append(term)
        self.root = hpo.index(ROOT)

    def ancestors(self, term: int) -> Any:
        """Positions of *term* and its ancestors."""
        return self.anc_idx[self.anc_ptr[term] : self.anc_ptr[term + 1]]

    def scores(self, query: list[int]) -> Any:
        """The score of every disease (by position) for the query term positions *query*."""
        import numpy as np

        n = self.n_diseases
        ic = self.ic
        forward = np.zeros(n, dtype=np.float32)
        best = np.empty(n, dtype=np.float32)
        union: set[int] = set()
        for q in query:
            best.fill(0.0)
            for a in self.ancestors(q).tolist():
                union.add(a)
                if ic[a] <= 0.0:
                    continue
                row = self.dense_row.get(a)
                if row is not None:
                    np.maximum(best, self.dense[row], out=best)
                    continue
                lo, hi = self.post_ptr[a], self.post_ptr[a + 1]
                idx = self.post_disease[lo:hi]
                current = best[idx]
                np.maximum(current, self.post_value[lo:hi], out=current)
                best[idx] = current
            forward += best
        forward /= max(len(query), 1)
        # disease -> query: best IC shared with the query, for every term, then per annotation
        shared = np.zeros(len(ic), dtype=np.float32)
        for a in sorted(union, key=lambda t: ic[t]):
            if ic[a] > 0.0:
                shared[self.desc_idx[self.desc_ptr[a] : self.desc_ptr[a + 1]]] = ic[a]
        per_annotation = shared[self.ann_term]
        per_annotation *= self.ann_weight32
        backward = np.bincount(self.ann_disease, weights=per_annotation, minlength=n)
        backward = np.divide(backward, self.weight_total, out=np.zeros(n), where=self.has_annotations)
        score = QUERY_WEIGHT * forward + (1.0 - QUERY_WEIGHT) * backward
        if self.negated:
            for q in query:
                for a in self.ancestors(q).tolist():
                    hit = self.negated.get(a)
                    if hit:
                        score[hit] -= ic[a] / max(len(query), 1)
        return score


def arrays() -> SimilarityArrays:
    """The similarity arrays, built on first use (about a second), once per process."""
    return datasets.memo(HPO_DATASET, "similarity", SimilarityArrays)
