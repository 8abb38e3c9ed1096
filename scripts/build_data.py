"""Compile the official ICD-10-CM files in data/official into icd10kb/data.

Run from the repository root:  python scripts/build_data.py

For each release below it reads the tabular XML and the code list with
icd10kb's own reader, writes the two compiled files and records their
checksums in the dataset descriptors, icd10kb/data/datasets/*.json. The output is reproducible byte
for byte; tests/test_official.py compiles again and compares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import write_dataset  # noqa: E402

from icd10kb.classification.compiled import from_classification  # noqa: E402
from icd10kb.classification.tabular import read_tabular  # noqa: E402
from icd10kb.files import sha256  # noqa: E402

OFFICIAL = ROOT / "data" / "official"
OUT = ROOT / "icd10kb" / "data"

SOURCE = "National Center for Health Statistics (NCHS), Centers for Disease Control and Prevention"
LICENSE = "Public domain: a work of the United States government (ICD-10-CM, National Center for Health Statistics)"

#: name -> (tabular file, code list file, effective date, title)
RELEASES: dict[str, tuple[str, str, str, str]] = {
    "2026-04-01": (
        "icd10cm-tabular-2026-04-01.xml.gz",
        "icd10cm-code-list-2026-04-01.txt.gz",
        "2026-04-01",
        "ICD-10-CM FY2026, April 1, 2026 update",
    ),
    "2025-04-01": (
        "icd10cm-tabular-2025-04-01.xml.gz",
        "icd10cm-code-list-2025-04-01.txt.gz",
        "2025-04-01",
        "ICD-10-CM FY2025, April 1, 2025 update",
    ),
    "2021": (
        "icd10cm-tabular-2021.xml.gz",
        "icd10cm-order-2021-01.txt.gz",
        "2020-10-01",
        "ICD-10-CM FY2021 (validity from the CMS order file of January 2021)",
    ),
}
DEFAULT = "2026-04-01"


def release_description(name: str, official: Path = OFFICIAL) -> dict[str, Any]:
    """The release description stored in the compiled file (without counts)."""
    tabular, code_list, effective, title = RELEASES[name]
    return {
        "name": name,
        "classification": "ICD-10-CM",
        "effective": effective,
        "title": title,
        "source": SOURCE,
        "license": LICENSE,
        "files": [
            {"name": f, "sha256": sha256((official / f).read_bytes())} for f in (tabular, code_list)
        ],
    }


def compile_release(name: str, official: Path = OFFICIAL) -> tuple[bytes, bytes]:
    """Compile one release; return the bytes of its hierarchy and notes files."""
    tabular, code_list, _, _ = RELEASES[name]
    data = read_tabular(official / tabular, official / code_list)
    release = release_description(name, official)
    release["version"] = data.version
    return from_classification(data, release)


CITATION = (
    "National Center for Health Statistics. International Classification of Diseases, Tenth Revision, "
    "Clinical Modification (ICD-10-CM). Centers for Disease Control and Prevention."
)
URL = "https://www.cdc.gov/nchs/icd/icd-10-cm/"


def write_release(name: str) -> dict[str, Any]:
    """Compile one release and write its files and its dataset descriptor."""
    tabular, code_list, effective, title = RELEASES[name]
    hierarchy, notes = compile_release(name)
    return write_dataset(
        {f"icd10cm-{name}.hierarchy.bin": hierarchy, f"icd10cm-{name}.notes.json.gz": notes},
        name=f"icd10cm-{name}",
        kind="release",
        title=title,
        version=name,
        publisher=SOURCE,
        licence=LICENSE,
        citation=CITATION,
        url=URL,
        sources=[(f"data/official/{tabular}", None), (f"data/official/{code_list}", None)],
        releases=[name],
        notes=f"Effective {effective}.",
        folder="",
        effective=effective,
    )


def write_knowledge() -> dict[str, Any]:
    """The built-in L94.2 knowledge pack: authored from the article it cites, shipped as written."""
    source = "data/knowledge/calcinosis-cutis.json"
    return write_dataset(
        {"calcinosis-cutis.json": (ROOT / source).read_bytes()},
        name="l94.2-calcinosis-cutis",
        kind="knowledge",
        title="Clinical knowledge for L94.2 Calcinosis cutis",
        version="1",
        publisher="icd10kb developers, from the patient-information article it cites",
        licence="MIT (this project's own text: short factual labels, with the source of every fact)",
        citation='Calcinosis cutis. disease.expert. https://disease.expert/items/calcinosis-cutis',
        url="https://disease.expert/items/calcinosis-cutis",
        sources=[(source, "https://disease.expert/items/calcinosis-cutis")],
        folder="knowledge",
        notes="HPO and LOINC identifiers only where verified against the shipped data files.",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("releases", nargs="*", default=list(RELEASES), help="releases to compile (default: all)")
    args = parser.parse_args(argv)
    for name in args.releases:
        desc = write_release(name)
        print(f"{name}: " + ", ".join(f["path"] for f in desc["files"]))
    write_knowledge()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
