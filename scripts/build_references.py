"""Read the code references out of the notes of every shipped release, ahead of time.

Run from the repository root:  python scripts/build_references.py

Reading the 11,000 references out of a release's 55,000 notes takes seconds;
the graph and the encounter checks need them all. This writes them, for each
shipped release, into the dataset ``icd10cm-note-references`` (one file a
release), compiled from the release's own compiled notes with icd10kb's own
reader. The output is reproducible byte for byte; tests/test_references.py
compiles again and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, json_bytes, write_dataset  # noqa: E402

import icd10kb  # noqa: E402
from icd10kb.datasets import describe  # noqa: E402
from icd10kb.notes.references import DATASET, encode, read_references  # noqa: E402


def compile_release(name: str) -> bytes:
    """The compiled references of the shipped release *name*."""
    kb = icd10kb.load(name)
    return gzip_bytes(json_bytes(encode(read_references(kb), kb.notes_table())))


def main() -> int:
    files = {f"{name}.json.gz": compile_release(name) for name in icd10kb.releases()}
    sources = []
    for name in icd10kb.releases():
        sources += [(s.path, s.url) for s in describe(f"icd10cm-{name}").sources]
    write_dataset(
        files,
        name=DATASET,
        kind="index",
        title="The code references in the notes of every shipped release, read ahead of time",
        version="1",
        publisher="icd10kb developers, from the notes of the NCHS releases",
        licence="Public domain (the classification's text); the reading is this project's own (MIT)",
        citation="Read by icd10kb from the instructional notes of ICD-10-CM (NCHS).",
        url="https://www.cdc.gov/nchs/icd/icd-10-cm/",
        sources=list(dict.fromkeys(sources)),
        releases=list(icd10kb.releases()),
        notes="Each row: the note (concept, kind, position), the reference as written, its shape, its targets.",
    )
    for fname, blob in files.items():
        print(f"{fname}: {len(blob):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
