"""Compile AHRQ's CCSR for ICD-10-CM diagnoses (v2023.1 and v2025.1) into icd10kb/data.

Run from the repository root:  python scripts/build_ccsr.py

v2023.1 is read from the official Reference File (``DXCCSR-Reference-File-v2023-1.xlsx.gz``,
with openpyxl, which only this script needs); v2025.1 from the third-party CSV conversion of
the v2025.1 Reference File, which has no default flags. Each dataset gets two compiled files:

- ``mapping.tsv.gz``: one line per code-category pair, in the order of the source, fields
  ``code`` (no dot, as in the source), ``category`` and, for v2023.1 only, the inpatient and
  outpatient default flags (``Y``, ``N`` or ``X``);
- ``categories.json.gz``: ``{"categories": [[id, description, body system], ...],
  "chapters": [[abbreviation, body system name], ...]}``.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, json_bytes, write_dataset  # noqa: E402

SOURCE = ROOT / "data" / "ccsr"
XLSX_2023 = "DXCCSR-Reference-File-v2023-1.xlsx.gz"
MAP_2025 = "dxccsr-v2025-1-dx-to-ccsr-mapping-no-defaults.csv.gz"
CATS_2025 = "dxccsr-v2025-1-categories.csv"
PUBLISHER = "Healthcare Cost and Utilization Project (HCUP), Agency for Healthcare Research and Quality (AHRQ)"
LICENCE = "Public domain: a work of the United States government (AHRQ/HCUP), distributed free of charge"
URL = "https://hcup-us.ahrq.gov/toolssoftware/ccsr/dxccsr.jsp"


def citation(version: str) -> str:
    return (
        f"Clinical Classifications Software Refined (CCSR) for ICD-10-CM diagnoses, v{version}. "
        "Healthcare Cost and Utilization Project (HCUP), Agency for Healthcare Research and Quality, Rockville, MD."
    )


def _sheet(workbook: Any, name: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in workbook[name].iter_rows(values_only=True)]


def compile_2023(source: Path = SOURCE) -> dict[str, bytes]:
    """The compiled files of CCSR v2023.1, from the official Reference File."""
    import openpyxl

    raw = gzip.decompress((source / XLSX_2023).read_bytes())
    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    naming = _sheet(book, "Naming_Conventions")
    cats = _sheet(book, "CCSR_Categories")
    mapping = _sheet(book, "DX_to_CCSR_Mapping")
    book.close()
    if naming[1][:2] != ("CCSR for ICD-10-CM Body System", "3-Character Abbreviation"):
        raise ValueError(f"{XLSX_2023}: Naming_Conventions header changed: {naming[1]!r}")
    chapters = [[abbr.strip(), name.strip()] for name, abbr, *_ in naming[2:] if name and abbr]
    known = {abbr for abbr, _ in chapters}
    if cats[1][:2] != ("CCSR Category", "CCSR Category Description"):
        raise ValueError(f"{XLSX_2023}: CCSR_Categories header changed: {cats[1]!r}")
    categories = []
    for row in cats[2:]:
        if not row[0] or row[0] == "End of Content":
            continue
        # pseudo-categories (XXX000, XXX111, NoDX1, InvlDX) belong to no body system
        categories.append([row[0], row[1], row[0][:3] if row[0][:3] in known and row[0][3:].isdigit() else None])
    expected = (
        "ICD-10-CM Code",
        "ICD-10-CM Code Description",
        "CCSR Category",
        "CCSR Category Description",
        "Inpatient Default CCSR (Y/N/X)",
        "Outpatient Default CCSR (Y/N/X)",
    )
    if mapping[1][:6] != expected:
        raise ValueError(f"{XLSX_2023}: DX_to_CCSR_Mapping header changed: {mapping[1]!r}")
    lines = []
    for number, row in enumerate(mapping[2:], start=3):
        code, _, cat, _, inpatient, outpatient = row[:6]
        if code is None or code == "End of Content":
            continue
        code, cat = code.strip().strip("'"), cat.strip()
        if inpatient not in ("Y", "N", "X") or outpatient not in ("Y", "N", "X"):
            raise ValueError(f"{XLSX_2023}: row {number}: default flags {inpatient!r}, {outpatient!r}")
        lines.append(f"{code}\t{cat}\t{inpatient}\t{outpatient}\n")
    return {
        "mapping.tsv.gz": gzip_bytes("".join(lines).encode("utf-8")),
        "categories.json.gz": gzip_bytes(json_bytes({"categories": categories, "chapters": chapters})),
    }


def compile_2025(source: Path = SOURCE) -> dict[str, bytes]:
    """The compiled files of CCSR v2025.1 (no default flags in the source)."""
    with open(source / CATS_2025, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chapters: dict[str, str] = {}
    categories = []
    for row in rows:
        if row["CCSR_category_code"] == "End of Content":
            continue
        if not row["chapter_desc"]:  # pseudo-categories (NoDX1, InvlDX) belong to no body system
            categories.append([row["CCSR_category_code"], row["CCSR_category_desc"], None])
            continue
        chapters.setdefault(row["chapter_abbr"], row["chapter_desc"])
        categories.append([row["CCSR_category_code"], row["CCSR_category_desc"], row["chapter_abbr"]])
    with gzip.open(source / MAP_2025, "rt", encoding="utf-8", newline="") as handle:
        lines = [
            f"{row['code'].strip()}\t{row['CCSR_category_code'].strip()}\n"
            for row in csv.DictReader(handle)
            if row["code"] != "End of Content"  # the sheet's closing line, kept by the conversion
        ]
    return {
        "mapping.tsv.gz": gzip_bytes("".join(lines).encode("utf-8")),
        "categories.json.gz": gzip_bytes(
            json_bytes({"categories": categories, "chapters": [list(c) for c in chapters.items()]})
        ),
    }


def main() -> int:
    write_dataset(
        compile_2023(),
        name="ccsr-v2023.1",
        kind="grouper",
        title="Clinical Classifications Software Refined (CCSR) for ICD-10-CM diagnoses, v2023.1",
        version="v2023.1",
        publisher=PUBLISHER,
        licence=LICENCE,
        citation=citation("2023.1"),
        url=URL,
        sources=[(f"data/ccsr/{XLSX_2023}", URL)],
        notes="ICD-10-CM codes valid October 2015 - September 2023; inpatient and outpatient default "
        "categories as flagged in the Reference File (X: the code cannot be a principal or first-listed diagnosis).",
    )
    write_dataset(
        compile_2025(),
        name="ccsr-v2025.1",
        kind="grouper",
        title="Clinical Classifications Software Refined (CCSR) for ICD-10-CM diagnoses, v2025.1",
        version="v2025.1",
        publisher=PUBLISHER,
        licence=LICENCE,
        citation=citation("2025.1"),
        url=URL,
        sources=[
            (f"data/ccsr/{MAP_2025}", "https://github.com/vcastro/CCS"),
            (f"data/ccsr/{CATS_2025}", "https://github.com/vcastro/CCS"),
        ],
        notes="Converted by a third party (R package CCS, vcastro) from the v2025.1 Reference File, without the "
        "inpatient/outpatient default flags: no code has a default category in this version.",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
