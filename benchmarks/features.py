#!/usr/bin/env python3
"""Cost of the features under large input (issue 8): ``python benchmarks/features.py``.

Measures, on this machine, in this process (best of three, after one warm-up):

- ``kb.check`` of 10,000 codes in one call: distinct billable codes drawn at
  random (their Excludes1 conflicts grow with the square of the count, and
  every pair is reported), and 10,000 codes from encounters of 10 (a
  realistic claims file) checked one encounter at a time;
- ``kb.check`` of 2,000 and 4,000 random codes, to show the growth;
- ``icd10kb check`` reading 10 MB on standard input (refused early: the
  limit is 1,000,000 characters);
- loading a knowledge pack with 20,000 sources (JSON and YAML).

Prints a Markdown table (seconds) with the machine. No competitor library
checks encounters, so there are no ratios here; see ``benchmarks/run.py``
for the lookups against other libraries.
"""

from __future__ import annotations

import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import icd10kb  # noqa: E402
from icd10kb.files import NamedBytes  # noqa: E402


def best(function: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    function()
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def pack(n: int) -> dict[str, Any]:
    return {
        "format": "icd10kb-knowledge/1",
        "id": "big",
        "title": "Big",
        "sources": {f"s{i}": {"title": f"S{i}", "url": f"https://example.org/{i}"} for i in range(n)},
        "diseases": [{"code": "L94.2", "label": "Calcinosis cutis", "sources": [f"s{i}" for i in range(n)]}],
    }


def main() -> None:
    kb = icd10kb.load()
    billable = [c for c in kb if kb.is_billable(c)]
    rng = random.Random(8)
    rows: list[tuple[str, float, str]] = []
    for n in (2_000, 4_000, 10_000):
        codes = rng.sample(billable, n)
        seconds, findings = best(lambda codes=codes: kb.check(codes))  # type: ignore[misc]
        rows.append((f"kb.check of {n:,} random billable codes, one call", seconds, f"{len(findings):,} findings"))
    encounters = [rng.sample(billable, 10) for _ in range(1_000)]
    seconds, found = best(lambda: sum(len(kb.check(e)) for e in encounters))
    rows.append(("kb.check of 10,000 codes as 1,000 encounters of 10", seconds, f"{found:,} findings"))
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "codes.txt"
        big.write_text(" ".join(rng.choice(billable) for _ in range(1_200_000))[:10_000_000])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        with big.open("rb") as stdin:
            done = subprocess.run(
                [sys.executable, "-m", "icd10kb", "check"],
                stdin=stdin,
                capture_output=True,
                env=env,
                timeout=120,
                check=False,
            )
        rows.append(
            ("icd10kb check < 10 MB (process, refused)", time.perf_counter() - start, f"exit {done.returncode}")
        )
    data = json.dumps(pack(20_000)).encode()
    seconds, _ = best(lambda: icd10kb.read_pack(NamedBytes(data, "big.json")), 1)
    rows.append(("read a JSON pack with 20,000 sources", seconds, f"{len(data):,} bytes"))
    import yaml

    text = yaml.safe_dump(pack(20_000)).encode()
    seconds, _ = best(lambda: icd10kb.read_pack(NamedBytes(text, "big.yaml")), 1)
    rows.append(("read a YAML pack with 20,000 sources", seconds, f"{len(text):,} bytes"))
    seconds, _ = best(lambda: icd10kb.load(knowledge=[icd10kb.read_pack(io.BytesIO(data))[0]]), 1)
    rows.append(("load() with that pack (read, merged)", seconds, ""))
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}\n"
    )
    print("| workload | seconds | result |\n|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.3f} | {note} |")


if __name__ == "__main__":
    main()
