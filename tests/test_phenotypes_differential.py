"""The phenotype differential: simulated patients (seeded), explanations, NOT annotations, input checks."""

from __future__ import annotations

import pytest

import icd10kb
from icd10kb.errors import InvalidArgumentError
from icd10kb.phenotypes import (
    ObsoleteTermError,
    UnknownPhenotypeError,
    differential,
    disease_annotations,
    link_index,
    ontology,
    rank_diseases,
    resolve_terms,
    simulate_patients,
)
from icd10kb.phenotypes.annotations import information_content
from icd10kb.phenotypes.similarity import arrays


def _rank(terms: tuple[str, ...], disease: str) -> int:
    import numpy as np

    sim = arrays()
    store = disease_annotations()
    scores = sim.scores([ontology().positions[t] for t in terms])
    scores = np.where(sim.has_annotations, scores, -np.inf)
    return 1 + int((scores > scores[store.disease_index(disease)]).sum())


def test_simulated_patients_rank_their_disease_high() -> None:
    patients = simulate_patients(60, seed=20261206)
    ranks = [_rank(p.terms, p.disease) for p in patients]
    top10 = sum(r <= 10 for r in ranks) / len(ranks)
    top1 = sum(r == 1 for r in ranks) / len(ranks)
    assert top10 >= 0.75 and top1 >= 0.4, (top1, top10)


def test_robust_to_imprecision_and_noise() -> None:
    clean = simulate_patients(40, seed=7, imprecision=0.0, noise=(0, 0))
    rough = simulate_patients(40, seed=7, imprecision=0.6, noise=(2, 3))
    assert all(p.noise for p in rough) and sum(len(p.imprecise) for p in rough) > 20
    top10_clean = sum(_rank(p.terms, p.disease) <= 10 for p in clean) / 40
    top10_rough = sum(_rank(p.terms, p.disease) <= 10 for p in rough) / 40
    assert top10_clean >= 0.8 and top10_rough >= 0.6, (top10_clean, top10_rough)


def test_simulation_is_seeded_and_checked() -> None:
    assert simulate_patients(5, seed=3) == simulate_patients(5, seed=3)
    assert simulate_patients(5, seed=3) != simulate_patients(5, seed=4)
    hpo = ontology()
    store = disease_annotations()
    for p in simulate_patients(20, seed=11):
        related = {t for r in store.rows(p.disease) for t in hpo.ancestors(store.term[r], include_self=True)}
        assert all(t not in related for t in p.noise)
        assert all(t in related for t in p.sampled)
    with pytest.raises(InvalidArgumentError):
        simulate_patients(5, seed=1, imprecision=2.0)
    with pytest.raises(InvalidArgumentError):
        simulate_patients(5, seed=1, terms=(5, 2))


def test_every_candidate_explains_itself(kb: icd10kb.KnowledgeBase) -> None:
    hpo = ontology()
    store = disease_annotations()
    for patient in simulate_patients(8, seed=99):
        for candidate in rank_diseases(list(patient.terms), limit=5):
            annotated = {store.term[r] for r in store.rows(candidate.disease) if not store.negated[r]}
            assert [m.term for m in candidate.matches] == list(patient.terms)
            for m in candidate.matches:
                if m.annotation is None:
                    continue
                assert m.annotation in annotated
                assert m.via in hpo.ancestors(m.term, include_self=True)
                assert m.via in hpo.ancestors(m.annotation, include_self=True)
                assert m.information_content == pytest.approx(information_content(m.via), abs=1e-3)
        scores = [c.score for c in rank_diseases(list(patient.terms), limit=5)]
        assert scores == sorted(scores, reverse=True)


def test_codes_rank_by_their_best_disease(kb: icd10kb.KnowledgeBase) -> None:
    index = link_index(kb)
    top = differential(["Kayser-Fleischer ring", "Hepatic failure", "Dystonia"], kb)
    assert top[0].code == "E83.01" and top[0].best.name == "Wilson disease"
    for c in top:
        assert c.link_class == "exact" and c.score == max(d.score for d in c.diseases)
        assert {d.disease for d in c.diseases} == {k.disease for k in index.for_code(c.code)}
    assert [c.rank for c in top] == list(range(1, len(top) + 1))
    wide = differential(["Kayser-Fleischer ring", "Hepatic failure", "Dystonia"], kb, limit=50, broader=True)
    assert {c.link_class for c in wide} == {"exact", "broader"}


def test_not_annotations_lower_the_score() -> None:
    store = disease_annotations()
    row = next(r for r in range(len(store)) if store.negated[r] and store.aspect[r] == "P")
    disease, term = store.diseases[store.disease[row]], store.term[row]
    positives = [store.term[r] for r in store.rows(disease) if not store.negated[r] and store.aspect[r] == "P"][:4]
    with_not = rank_diseases(positives + [term], limit=12687)
    without = rank_diseases(positives, limit=12687)
    rank_with = next(c.rank for c in with_not if c.disease == disease)
    rank_without = next(c.rank for c in without if c.disease == disease)
    assert rank_with > rank_without
    conflict = next(c for c in with_not if c.disease == disease).conflicts
    assert conflict and conflict[0].negated and conflict[0].annotation == term


def test_query_terms_are_resolved_and_checked() -> None:
    resolved = resolve_terms(["hp:0001250", "seizures", "Heart attack"])
    assert [q.term for q in resolved] == ["HP:0001250", "HP:0001658"]
    with pytest.raises(InvalidArgumentError):
        resolve_terms("HP:0001250")
    with pytest.raises(InvalidArgumentError):
        resolve_terms([])
    with pytest.raises(InvalidArgumentError):
        resolve_terms([42])
    with pytest.raises(ObsoleteTermError) as obsolete:
        differential(["HP:0003114"])
    assert obsolete.value.replaced_by == ("HP:0001626",)
    with pytest.raises(UnknownPhenotypeError):
        differential(["purple wobbly elbows of doom"])
    with pytest.raises(InvalidArgumentError):
        differential(["HP:0001250"], limit=-1)
    with pytest.raises(InvalidArgumentError):
        differential(["HP:0001250"], broader=None)  # type: ignore[arg-type]
    assert differential(["HP:0001250"], limit=0) == ()
