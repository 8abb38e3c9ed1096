"""Mutation test of the loaders, bounded in time and memory (issue 8).

Small valid inputs of every kind a loader reads (the tabular XML, a code
list, a compiled release, JSON and YAML knowledge packs) are mutated at
random, from a fixed seed: bytes flipped, inserted, deleted, slices
repeated, elements duplicated or nested, whole files gzipped. Every mutant
must load or be refused with a :class:`icd10kb.DataFileError`; a mutant that
loads must give a consistent knowledge base (unique identifiers, each with a
title and a path that ends at it). The mutants run in a child process with
an address-space limit and a time limit, so a decompression or entity bomb
that escaped the budgets would fail the test rather than the machine.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space for the child process
TIME_LIMIT = 100  # seconds for the whole run (it takes about 15)
PER_CASE = 5  # seconds: a mutant that takes longer is a hang

PACK = {
    "format": "icd10kb-knowledge/1",
    "id": "mutant",
    "title": "Mutant",
    "sources": {"s": {"title": "S", "url": "https://example.org/s", "accessed": "2025-01-01"}},
    "diseases": [
        {
            "code": "A00.0",
            "label": "Cholera",
            "sources": ["s"],
            "symptoms": [{"label": "diarrhoea", "identifiers": {"HPO": "HP:0002014"}}],
            "causes": [{"label": "Vibrio cholerae", "identifiers": {"ICD10CM": "A00"}}],
        }
    ],
}
PACK_YAML = """format: icd10kb-knowledge/1
id: mutant
title: Mutant
sources:
  s: {title: S, url: "https://example.org/s", accessed: 2025-01-01}
diseases:
  - code: A00.0
    label: Cholera
    sources: [s]
    symptoms:
      - label: diarrhoea
        identifiers: {HPO: "HP:0002014"}
"""


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        i = rng.randrange(len(out) + 1)
        j = min(len(out), i + rng.randint(1, 64))
        if op == 0 and out:  # flip a byte
            out[min(i, len(out) - 1)] = rng.randrange(256)
        elif op == 1:  # insert junk
            out[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:  # delete a slice
            del out[i:j]
        elif op == 3:  # repeat a slice many times
            out[i:i] = bytes(out[i:j]) * rng.randint(2, 300)
        elif op == 4:  # insert markup
            out[i:i] = rng.choice(
                [
                    b"<diag>",
                    b"</diag>",
                    b"<name>S06.0X1A</name>",
                    b"<sevenChrDef><extension char='Z'>z</extension></sevenChrDef>",
                    b"<section id='A00-A09'>",
                    b"&amp;",
                    b"&e;",
                    b"<!DOCTYPE x>",
                    b"\xff\xfe",
                    b"<desc>other</desc>",
                    b"<name>1</name>",
                    b"]]>",
                    b"<![CDATA[",
                    b"\x00",
                    b"&#0;",
                    b"*a",
                    b"&a ",
                ]
            )
        elif op == 5:  # nest deeply
            out[i:i] = b"<diag>" * rng.randint(10, 400)
        elif op == 6:  # swap two slices
            k = rng.randrange(len(out) + 1)
            a, b = sorted((i, k))
            out[a:b] = bytes(out[a:b])[::-1]
        else:  # truncate
            del out[i:]
    return bytes(out)


def _consistent(kb: Any) -> str | None:
    """A loaded knowledge base must be coherent: None, else what is wrong."""
    ids = list(kb)
    if len(ids) != len(set(ids)) or len(ids) != len(kb):
        return "identifiers repeat or len() disagrees with iteration"
    for code in ids:
        if kb.normalize(code) != code or not kb.title(code):
            return f"{code!r} does not normalise to itself or has no title"
        path = kb.path(code)
        if path[-1] != code or (len(path) > 1 and kb.parent(code) != path[-2]):
            return f"{code!r} has an inconsistent path"
    return None


def run(seed: int, count: int) -> dict[str, Any]:
    """Load *count* mutants of each kind; return the counts and the failures."""
    import signal

    import icd10kb
    from icd10kb.classification.compiled import from_classification, read_sections
    from icd10kb.classification.store import Store
    from icd10kb.classification.tabular import read_tabular
    from icd10kb.knowledge.packs import read_pack
    from tests.test_loader_hostile import NCHS_LIST, VALID

    def alarm(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    rng = random.Random(seed)
    tabular = VALID.encode("utf-8")
    compiled = from_classification(read_tabular(io.BytesIO(tabular)), {"name": "m"})[0]
    pack_json = json.dumps(PACK).encode()
    pack_yaml = PACK_YAML.encode()
    counts = {"tried": 0, "loaded": 0, "refused": 0}
    failures: list[str] = []

    def tabular_case(data: bytes) -> Any:
        with_list = rng.random() < 0.3
        return icd10kb.load_tabular(
            io.BytesIO(data), io.BytesIO(NCHS_LIST) if with_list else None, builtin_knowledge=False
        )

    def code_list_case(data: bytes) -> Any:
        return icd10kb.load_tabular(io.BytesIO(tabular), io.BytesIO(data), builtin_knowledge=False)

    def compiled_case(data: bytes) -> Any:
        return Store(read_sections(data, "mutant.bin"))

    def pack_case(name: str) -> Any:
        def load(data: bytes) -> Any:
            from icd10kb.files import NamedBytes

            return read_pack(NamedBytes(data, name))

        return load

    kinds = [
        ("tabular", tabular, tabular_case),
        ("code list", NCHS_LIST, code_list_case),
        ("compiled", compiled, compiled_case),
        ("pack.json", pack_json, pack_case("p.json")),
        ("pack.yaml", pack_yaml, pack_case("p.yaml")),
    ]
    for kind, original, load in kinds:
        for number in range(count):
            mutant = _mutate(original, rng)
            if rng.random() < 0.15:
                mutant = gzip.compress(mutant, mtime=0)
            counts["tried"] += 1
            signal.alarm(PER_CASE)
            try:
                result = load(mutant)
                counts["loaded"] += 1
                if kind in ("tabular", "code list"):
                    problem = _consistent(result)
                    if problem:
                        failures.append(f"{kind} #{number}: loaded but {problem}")
            except icd10kb.DataFileError:
                counts["refused"] += 1
            except TimeoutError:
                failures.append(f"{kind} #{number}: took more than {PER_CASE} s")
            except BaseException as exc:
                failures.append(f"{kind} #{number}: {type(exc).__name__}: {str(exc)[:200]}")
            finally:
                signal.alarm(0)
    return {**counts, "failures": failures}


def _child(seed: int, count: int) -> dict[str, Any]:
    code = (
        "import json, resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        "from tests.test_loader_mutation import run\n"
        f"print(json.dumps(run({seed}, {count})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_mutated_files_load_or_are_refused_cleanly() -> None:
    result = _child(seed=8, count=300)
    print(f"\nloader mutation: {result['tried']} mutants, {result['loaded']} loaded, {result['refused']} refused")
    assert result["tried"] == 1500
    assert result["refused"] > 500, "the mutations should mostly break the files"
    assert not result["failures"], "\n".join(result["failures"][:20])
