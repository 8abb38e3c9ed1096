"""Compile the FY2018 diagnosis General Equivalence Mappings (GEMs) into icd10kb/data.

Run from the repository root:  python scripts/build_gems.py

Sources: CMS's ``2018_I9gem.txt`` (ICD-9-CM -> ICD-10-CM) and ``2018_I10gem.txt`` (ICD-10-CM ->
ICD-9-CM), each line ``source target flags`` with the five flags approximate, no map,
combination, scenario and choice list. The compiled files ``i9_to_i10.tsv.gz`` and
``i10_to_i9.tsv.gz`` keep every line, in the source's order, as ``source TAB target TAB
flags`` (codes without dots, ``NoDx`` where there is no target, exactly as in the source).
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, write_dataset  # noqa: E402

SOURCE = ROOT / "data" / "gems"
I9GEM = "2018_I9gem.txt"
I10GEM = "2018_I10gem.txt.gz"
_LINE = re.compile(r"^([0-9A-Z]{3,7}) +([0-9A-Za-z]{3,7}) +([01]{3}[0-9][0-9])\r?$")


def _compile_one(name: str, text: str) -> bytes:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"{name}: line {number}: not a GEM line: {line!r}")
        out.append("\t".join(match.groups()) + "\n")
    return gzip_bytes("".join(out).encode("ascii"))


def compile_gems(source: Path = SOURCE) -> dict[str, bytes]:
    """The compiled files of the GEMs."""
    i9 = (source / I9GEM).read_text("ascii")
    i10 = gzip.decompress((source / I10GEM).read_bytes()).decode("ascii")
    return {"i9_to_i10.tsv.gz": _compile_one(I9GEM, i9), "i10_to_i9.tsv.gz": _compile_one(I10GEM, i10)}


def main() -> int:
    url = "https://www.cms.gov/medicare/coding-billing/icd-10-codes/2018-icd-10-cm-gem"
    write_dataset(
        compile_gems(),
        name="gems-2018",
        kind="mapping",
        title="General Equivalence Mappings, ICD-9-CM <-> ICD-10-CM diagnoses, FY2018",
        version="2018",
        publisher="Centers for Medicare & Medicaid Services (CMS) and National Center for Health Statistics (NCHS)",
        licence="Public domain: a work of the United States government (CMS/NCHS)",
        citation="General Equivalence Mappings, ICD-9-CM to and from ICD-10-CM, FY2018. CMS / NCHS.",
        url=url,
        sources=[(f"data/gems/{I9GEM}", url), (f"data/gems/{I10GEM}", url)],
        notes="FY2018 is the last GEM release. Every line kept with its five flags; ICD-10-CM codes of later "
        "releases are absent.",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
