"""Compile the official FY2025 index tables in data/icd10cm-index into icd10kb/data.

Run from the repository root:  python scripts/build_tables.py

Reads the Table of Drugs and Chemicals, the Table of Neoplasms and the
External Cause of Injuries Index with icd10kb's own index reader, checks the
column headings the lookups rely on, and writes the dataset
``icd10cm-index-tables-2025`` (three gzip JSON files and the descriptor). The
output is reproducible byte for byte; tests/test_tables_shipped.py compiles
again and compares.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, json_bytes, write_dataset  # noqa: E402

from icd10kb.tables.compiled import DATASET, TABLES, to_json  # noqa: E402
from icd10kb.tables.reader import read_index  # noqa: E402

SOURCES = ROOT / "data" / "icd10cm-index"
URL = "https://www.cdc.gov/nchs/icd/icd-10-cm/"
#: Where the unchanged copies were taken from: a public repository holding the CDC files, at this commit.
COPY = (
    "https://github.com/wbdill/Python-sandbox01/blob/3107d20f6afb4b62f247fa3583e72e872b11c821"
    "/ICD10CM/icd10cm-table-index-2025/"
)
#: source file here -> its name in that repository
ORIGINAL = {
    "icd10cm-drug-2025.xml.gz": "icd-10-cm-drug-2025.xml",
    "icd10cm-neoplasm-2025.xml": "icd-10-cm-neoplasm-2025.xml",
    "icd10cm-eindex-2025.xml.gz": "icd-10-cm-eindex-2025.xml",
    "icd10cm-index-2025.xsd": "icd10cm-index-2025.xsd",
    "icd10cm-drug-neoplasm-2025.xsd": "icd-10-cm-drug-neoplasm-2025.xsd",
}

#: table name -> (source file, the column headings the lookups rely on)
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "drug": (
        "icd10cm-drug-2025.xml.gz",
        (
            "Substance",
            "Poisoning Accidental (unintentional)",
            "Poisoning Intentional self-harm",
            "Poisoning Assault",
            "Poisoning Undetermined",
            "Adverse effect",
            "Underdosing",
        ),
    ),
    "neoplasm": (
        "icd10cm-neoplasm-2025.xml",
        (
            "Neoplasm",
            "Malignant Primary",
            "Malignant Secondary",
            "Ca in situ",
            "Benign",
            "Uncertain Behavior",
            "Unspecified Behavior",
        ),
    ),
    "external": ("icd10cm-eindex-2025.xml.gz", ()),
}
SCHEMAS = ("icd10cm-index-2025.xsd", "icd10cm-drug-neoplasm-2025.xsd")


def compile_tables(sources: Path = SOURCES) -> dict[str, bytes]:
    """Compile the three tables; return compiled file name -> bytes."""
    out: dict[str, bytes] = {}
    for name, (source, heading) in FILES.items():
        # the name recorded is the file's path in the repository, never where this machine keeps it
        index = replace(read_index(sources / source), name=f"data/icd10cm-index/{source}")
        if index.heading != heading:
            raise SystemExit(f"{source}: column headings {index.heading} are not the expected {heading}")
        if index.version != "2025":
            raise SystemExit(f"{source}: version {index.version!r}, expected '2025'")
        out[TABLES[name][0].rsplit("/", 1)[1]] = gzip_bytes(json_bytes(to_json(index)))
    return out


def write() -> dict[str, Any]:
    """Compile the tables and write them with their dataset descriptor."""
    names = [source for source, _ in FILES.values()] + list(SCHEMAS)
    sources = [(f"data/icd10cm-index/{name}", COPY + ORIGINAL[name]) for name in names]
    return write_dataset(
        compile_tables(),
        name=DATASET,
        kind="table",
        title="ICD-10-CM FY2025 Table of Drugs and Chemicals, Table of Neoplasms and External Cause of Injuries Index",
        version="2025",
        publisher="National Center for Health Statistics (NCHS), Centers for Disease Control and Prevention",
        licence=(
            "Public domain: a work of the United States government (ICD-10-CM, National Center for Health Statistics)"
        ),
        citation=(
            "National Center for Health Statistics. ICD-10-CM Index to Diseases and Injuries: Table of Drugs and "
            "Chemicals, Neoplasm Table, External Cause of Injuries Index, FY2025 (April 1, 2025 update). "
            "Centers for Disease Control and Prevention."
        ),
        url=URL,
        sources=sources,
        releases=["2025-04-01"],
        notes=(
            "From the CDC file 2025-Update/icd10cm-table-index-April-2025.zip (version element 2025), as kept in "
            "a public repository (the source URLs); the files are byte for byte as stored there, the larger ones "
            "gzip-compressed. Codes are checked at look-up time against "
            "the release in use. The Index to Diseases and Injuries is not shipped (no copy could be obtained); "
            "icd10kb.tables.read_index reads it when a user supplies the file."
        ),
    )


def main() -> int:
    desc = write()
    print(", ".join(f["path"] for f in desc["files"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
