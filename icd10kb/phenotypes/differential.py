"""A phenotype differential: rank ICD-10-CM codes, and the diseases behind them, by HPO similarity.

Query terms are HPO ids or the words people type (resolved through labels
and synonyms, :meth:`~icd10kb.phenotypes.ontology.Ontology.resolve`). Every
annotated disease is scored with the ontology-aware similarity of
:mod:`icd10kb.phenotypes.similarity` (information content, frequencies,
``NOT`` annotations); a code scores as its best linked disease. Each
candidate says why: which query term matched which annotation, through
which common ancestor, and which query terms the disease is annotated
``NOT`` to have.

The scoring needs numpy (the ``phenotypes`` extra); its arrays are built on
first use (a few seconds), after which a query of ten terms over all 12,687
diseases takes a few milliseconds.

Examples
--------
>>> top = differential(["Arachnodactyly", "Ectopia lentis", "Aortic root aneurysm", "tall stature"])
>>> top[0].code, top[0].title
('Q87.4', 'Marfan syndrome')
>>> m = top[0].best.matches[0]
>>> m.given, m.annotation, m.via
('Arachnodactyly', 'HP:0001166', 'HP:0001166')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..arguments import check_items
from ..errors import InvalidArgumentError, check_limit
from ..extras import require
from ..kbargument import resolve_kb
from .annotations import disease_annotations
from .links import check_broader, link_index, release_key
from .ontology import ontology
from .similarity import arrays

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase
    from .models import CodeCandidate, DiseaseCandidate, QueryTerm, TermMatch

__all__ = ["MAX_TERMS", "differential", "rank_diseases", "resolve_terms"]

#: The most query terms a differential takes.
MAX_TERMS = 200


def resolve_terms(terms: object) -> tuple[QueryTerm, ...]:
    """Resolve query terms (HPO ids or words) to HPO terms, dropping repeats.

    Raises
    ------
    InvalidArgumentError
        If *terms* is a single string, empty, too long, or holds something
        other than strings.
    TermNotFoundError, ObsoleteTermError, UnknownPhenotypeError
        For a term that names no live HPO term (the first one found).

    Examples
    --------
    >>> [(q.given, q.term) for q in resolve_terms(["HP:0001250", "fever", "Seizure"])]
    [('HP:0001250', 'HP:0001250'), ('fever', 'HP:0001945')]
    """
    from .models import QueryTerm

    if isinstance(terms, (str, bytes)) or not isinstance(terms, Iterable):
        raise InvalidArgumentError(
            terms, "give a list of HPO ids or phenotype words, e.g. ['HP:0001250', 'fever']", "terms"
        )
    items = check_items(terms, "terms", MAX_TERMS)
    given = [str.__getitem__(t, slice(None)) if isinstance(t, str) else t for t in items]  # plain str
    if not given:
        raise InvalidArgumentError(given, f"give between 1 and {MAX_TERMS} terms", "terms")
    hpo = ontology()
    found: dict[str, QueryTerm] = {}
    for text in given:
        term = hpo.resolve(text)
        found.setdefault(term.id, QueryTerm(given=text, term=term.id, label=term.label))
    return tuple(found.values())


def _shared(query: tuple[QueryTerm, ...], diseases: list[int]) -> tuple[Any, Any]:
    """The terms annotated to *diseases* (sorted positions), and the IC each shares with each query term (2-D)."""
    import numpy as np

    sim = arrays()
    positions = ontology().positions
    parts = [sim.ann_term[sim.ann_ptr[d] : sim.ann_ptr[d + 1]] for d in diseases]
    terms = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)
    shared = np.zeros((len(query), len(terms)), dtype=np.float64)
    if len(terms):
        counts = sim.anc_ptr[terms + 1] - sim.anc_ptr[terms]
        segments = np.cumsum(counts) - counts
        offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(segments, counts)
        above = sim.anc_idx[np.repeat(sim.anc_ptr[terms], counts) + offsets]
        mask = np.zeros((len(query), len(sim.ic)), dtype=bool)
        for i, q in enumerate(query):
            mask[i, sim.ancestors(positions[q.term])] = True
        values = np.where(mask[:, above], sim.ic[above], 0.0)
        shared = np.maximum.reduceat(values, segments, axis=1)
    return terms, shared


def _no_match(q: QueryTerm) -> TermMatch:
    from .models import TermMatch

    return TermMatch(
        given=q.given, term=q.term, annotation=None, annotation_label=None, via=None, via_label=None,
        information_content=0.0, frequency=None,
    )  # fmt: skip


def _explain(
    disease: int, query: tuple[QueryTerm, ...], terms: Any, shared: Any
) -> tuple[tuple[TermMatch, ...], tuple[TermMatch, ...]]:
    import numpy as np

    from .models import TermMatch

    sim = arrays()
    hpo = ontology()
    closure = hpo.ancestor_sets()
    ic = sim.ic
    lo, hi = int(sim.ann_ptr[disease]), int(sim.ann_ptr[disease + 1])
    annotated = sim.ann_term[lo:hi]
    values = shared[:, np.searchsorted(terms, annotated)]
    best = (values + 1e-6 * sim.ann_weight[lo:hi]).argmax(axis=1).tolist() if hi > lo else []  # ties: more frequent
    negated = sim.negated_of.get(disease, ())
    matches, conflicts = [], []
    for i, q in enumerate(query):
        qa = closure[hpo.positions[q.term]]
        k = best[i] if best else -1
        if k < 0 or values[i, k] <= 0.0:
            matches.append(_no_match(q))
        else:
            t = int(annotated[k])
            via = max(closure[t] & qa, key=lambda a: (ic[a], -a))
            matches.append(TermMatch(
                given=q.given, term=q.term, annotation=hpo.id_at(t), annotation_label=hpo.label_at(t),
                via=hpo.id_at(via), via_label=hpo.label_at(via), information_content=round(float(ic[via]), 4),
                frequency=sim.frequency(lo + k) or None,
            ))  # fmt: skip
        for n in negated:
            if n in qa:
                conflicts.append(TermMatch(
                    given=q.given, term=q.term, annotation=hpo.id_at(n), annotation_label=hpo.label_at(n),
                    via=hpo.id_at(n), via_label=hpo.label_at(n), information_content=round(float(ic[n]), 4),
                    frequency=None, negated=True,
                ))  # fmt: skip
    return tuple(matches), tuple(conflicts)


def _candidate(
    rank: int, disease: int, score: float, query: tuple[QueryTerm, ...], shared: tuple[Any, Any]
) -> DiseaseCandidate:
    from .models import DiseaseCandidate

    store = disease_annotations()
    matches, conflicts = _explain(disease, query, *shared)
    disease_id = store.diseases[disease]
    return DiseaseCandidate(
        rank=rank,
        disease=disease_id,
        name=store.name(disease_id),
        score=round(score, 4),
        matches=matches,
        conflicts=conflicts,
    )


def _top(scores: Any, keys: list[str], limit: int) -> list[int]:
    """Positions of the *limit* best scores, best first; ties by key."""
    import numpy as np

    if limit == 0 or len(scores) == 0:
        return []
    k = min(limit, len(scores))
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    cutoff = scores[part].min()
    pool = np.flatnonzero(scores >= cutoff).tolist()
    pool.sort(key=lambda i: (-float(scores[i]), keys[i]))
    return pool[:k]


def _scores(query: tuple[QueryTerm, ...]) -> Any:
    import numpy as np

    sim = arrays()
    positions = ontology().positions
    scores = sim.scores([positions[q.term] for q in query])
    return np.where(sim.has_annotations, scores, -np.inf)


def rank_diseases(terms: object, limit: int = 10) -> tuple[DiseaseCandidate, ...]:
    """The annotated diseases closest to the query terms, best first (linked to a code or not).

    Needs numpy (the ``phenotypes`` extra); without it, :class:`~icd10kb.extras.MissingExtraError`.

    Examples
    --------
    >>> rank_diseases(["Kayser-Fleischer ring", "Hepatic failure", "Dystonia"], limit=1)[0].name
    'Wilson disease'
    """
    require("numpy", "phenotypes", "the phenotype differential")
    limit = check_limit(limit)
    query = resolve_terms(terms)
    scores = _scores(query)
    store = disease_annotations()
    top = _top(scores, store.diseases, limit)
    shared = _shared(query, top)
    return tuple(_candidate(r, i, float(scores[i]), query, shared) for r, i in enumerate(top, 1))


def _code_arrays(kb: KnowledgeBase, broader: bool) -> tuple[list[str], Any, Any, list[str]]:
    import numpy as np

    from .. import datasets
    from .links import LINKS_DATASET

    def build() -> tuple[list[str], Any, Any, list[str]]:
        index = link_index(kb)
        store = disease_annotations()
        codes = list(index.codes(broader))
        code_of, disease_of, classes = [], [], []
        for c, code in enumerate(codes):
            for link in index.for_code(code, broader):
                code_of.append(c)
                disease_of.append(store.disease_index(link.disease))
                classes.append(link.link_class)
        return codes, np.asarray(code_of, dtype=np.int64), np.asarray(disease_of, dtype=np.int64), classes

    return datasets.memo(LINKS_DATASET, f"differential:{release_key(kb)}:{broader}", build)


def differential(
    terms: object, kb: KnowledgeBase | None = None, limit: int = 10, broader: bool = False
) -> tuple[CodeCandidate, ...]:
    """Rank ICD-10-CM codes by how well their linked diseases match the query phenotypes.

    Parameters
    ----------
    terms:
        HPO ids or words (``["HP:0001250", "fever"]``).
    kb:
        The knowledge base; ``None`` means ``icd10kb.load()``.
    limit:
        How many codes to return (default 10).
    broader:
        Also rank codes reached by broader links (catch-all codes of rare
        diseases). Off by default: only exactly linked codes are ranked.

    Raises
    ------
    InvalidArgumentError
        For a malformed list, limit or flag; see :func:`resolve_terms` for bad terms.

    Examples
    --------
    >>> top = differential(["HP:0001250", "HP:0001263", "HP:0000252"], limit=3)
    >>> [c.rank for c in top], all(c.link_class == "exact" for c in top)
    ([1, 2, 3], True)
    """
    require("numpy", "phenotypes", "the phenotype differential")
    from .models import CodeCandidate, DiseaseScore

    kb = resolve_kb(kb)
    limit = check_limit(limit)
    broader = check_broader(broader)
    query = resolve_terms(terms)
    scores = _scores(query)
    codes, code_of, disease_of, classes = _code_arrays(kb, broader)
    import numpy as np

    best = np.full(len(codes), -np.inf)
    np.maximum.at(best, code_of, scores[disease_of])
    store = disease_annotations()
    chosen = []
    for c in _top(best, codes, limit):
        behind: dict[int, tuple[float, str]] = {}
        for r in np.flatnonzero(code_of == c).tolist():
            d = int(disease_of[r])
            old = behind.get(d)
            if old is None or (classes[r] == "exact" and old[1] != "exact"):
                behind[d] = (float(scores[d]), classes[r])
        chosen.append((c, sorted(behind.items(), key=lambda kv: (-kv[1][0], store.diseases[kv[0]]))))
    shared = _shared(query, [ordered[0][0] for _, ordered in chosen])
    result = []
    for rank, (c, ordered) in enumerate(chosen, 1):
        top_disease, (top_score, top_class) = ordered[0]
        result.append(CodeCandidate(
            rank=rank, code=codes[c], title=kb.title(codes[c]), score=round(top_score, 4), link_class=top_class,
            best=_candidate(1, top_disease, top_score, query, shared),
            diseases=tuple(DiseaseScore(disease=store.diseases[d], name=store.name(store.diseases[d]),
                                        score=round(s, 4),
                                        link_class=k) for d, (s, k) in ordered),
        ))  # fmt: skip
    return tuple(result)
