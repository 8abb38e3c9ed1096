"""Simulated patients drawn from the HPO annotations, for evaluating a differential.

A patient of disease *d* gets a few of *d*'s positive phenotype annotations
(``aspect`` P, not ``NOT``), drawn at random with the annotation's stated
frequency as weight; some are replaced by a parent (a clinician recording a
less precise term) and a few noise terms are added (phenotypes unrelated to
*d*: neither annotated to it nor ancestors or descendants of its annotations).
Everything is drawn from a seeded :class:`random.Random`, so a seed gives the
same patients on every machine.

Examples
--------
>>> patients = simulate_patients(3, seed=1)
>>> len(patients), all(2 <= len(p.terms) <= 12 for p in patients)
(3, True)
>>> simulate_patients(3, seed=1) == patients
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..arguments import check_int, check_items
from ..errors import InvalidArgumentError
from .annotations import disease_annotations, frequency_value
from .ontology import ROOT, ontology

__all__ = ["MAX_PATIENTS", "Patient", "simulate_patients"]

#: The most patients one call simulates (10,000 take about a second); draw more with other seeds.
MAX_PATIENTS = 10_000


@dataclass(frozen=True)
class Patient:
    """A simulated patient: the disease drawn, and the HPO terms recorded (sampled, imprecise and noise)."""

    disease: str
    terms: tuple[str, ...]
    sampled: tuple[str, ...]
    imprecise: tuple[str, ...]
    noise: tuple[str, ...]


def _check(value: object, name: str, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InvalidArgumentError(value, f"{name} is a number from {low} to {high}", name)


def simulate_patients(
    n: int,
    *,
    seed: int,
    terms: tuple[int, int] = (3, 8),
    imprecision: float = 0.3,
    noise: tuple[int, int] = (0, 2),
    min_annotations: int = 3,
    diseases: tuple[str, ...] | None = None,
    by_frequency: bool = True,
) -> tuple[Patient, ...]:
    """*n* patients of diseases drawn at random (uniformly) among those with enough phenotype annotations.

    Parameters
    ----------
    n, seed:
        How many patients (at most :data:`MAX_PATIENTS`), and the seed of the random generator.
    terms:
        The range (inclusive) of the number of terms drawn from the disease's annotations.
    imprecision:
        The chance that a drawn term is replaced by one of its parents.
    noise:
        The range (inclusive) of the number of unrelated terms added.
    min_annotations:
        Only diseases with at least this many positive phenotype annotations are drawn.
    diseases:
        Draw from these disease ids only (default: every eligible disease).
    by_frequency:
        Draw a disease's terms with their stated frequency as weight (default),
        or all with the same chance.
    """
    n = check_int(n, "n", 0, MAX_PATIENTS)
    if type(seed) is not int:
        raise InvalidArgumentError(seed, "seed is a whole number", "seed")
    _check(imprecision, "imprecision", 0.0, 1.0)
    min_annotations = check_int(min_annotations, "min_annotations", 1, 1000)
    wanted_ids = None if diseases is None else check_items(diseases, "diseases", 100_000)
    if not isinstance(by_frequency, bool):
        raise InvalidArgumentError(by_frequency, "by_frequency is True or False", "by_frequency")
    for name, pair in (("terms", terms), ("noise", noise)):
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and all(type(v) is int for v in pair)
            and 0 <= pair[0] <= pair[1] <= 100
        ):
            raise InvalidArgumentError(
                pair, f"{name} is a (low, high) pair of whole numbers, 0 <= low <= high <= 100", name
            )
    rng = random.Random(seed)
    store = disease_annotations()
    hpo = ontology()
    closure = hpo.ancestor_sets()
    positions = hpo.positions
    root = positions[ROOT]
    phenotypic = {t for t in range(len(hpo)) if root in closure[t] and t != root}
    by_disease: dict[int, dict[int, float]] = {}
    for row, disease in enumerate(store.disease):
        if store.aspect[row] == "P" and not store.negated[row] and store.frequency[row] != "HP:0040285":
            share = frequency_value(store.frequency[row])
            term = positions[store.term[row]]
            weight = 1.0 if not by_frequency else 0.5 if share is None else max(share, 0.02)
            by_disease.setdefault(disease, {})[term] = max(weight, by_disease.get(disease, {}).get(term, 0.0))
    pool = sorted(d for d, found in by_disease.items() if len(found) >= min_annotations)
    if wanted_ids is not None:
        wanted = {store.disease_index(d) for d in wanted_ids}
        pool = [d for d in pool if d in wanted]
    if not pool and n:
        raise InvalidArgumentError(diseases, "no disease to draw from", "diseases")
    noise_pool = sorted({t for found in by_disease.values() for t in found})
    patients = []
    for _ in range(n):
        disease = rng.choice(pool)
        found = by_disease[disease]
        candidates = sorted(found)
        k = min(rng.randint(*terms), len(candidates))
        sampled: list[int] = []
        weights = [found[t] for t in candidates]
        while len(sampled) < k:
            pick = rng.choices(candidates, weights)[0]
            i = candidates.index(pick)
            del candidates[i], weights[i]
            sampled.append(pick)
        recorded, imprecise = [], []
        for t in sampled:
            parents = [p for p in hpo._parents[t] if p != root and p in phenotypic]
            if parents and rng.random() < imprecision:
                t = rng.choice(sorted(parents))
                imprecise.append(t)
            recorded.append(t)
        related = set().union(*(closure[t] for t in found))
        noise_terms: list[int] = []
        for _ in range(rng.randint(*noise)):
            for _attempt in range(100):
                t = rng.choice(noise_pool)
                if t not in related and not (closure[t] & set(found)) and t not in noise_terms:
                    noise_terms.append(t)
                    break
        ids = hpo.id_at
        patients.append(
            Patient(
                disease=store.diseases[disease],
                terms=tuple(dict.fromkeys(ids(t) for t in recorded + noise_terms)),
                sampled=tuple(ids(t) for t in sampled),
                imprecise=tuple(ids(t) for t in imprecise),
                noise=tuple(ids(t) for t in noise_terms),
            )
        )
    return tuple(patients)
