"""Compile the search index of every shipped release, ahead of time.

Run from the repository root:  python scripts/build_search.py

Indexing a release's 98,000 titles and notes takes a second or more, and
``icd10kb search`` runs in a fresh process each time. This indexes them once
per shipped release, with icd10kb's own reader, into the dataset
``icd10cm-search-index`` (one file a release; format in
``icd10kb/search/compiled.py``), together with the texts of the built-in
knowledge packs as the release links them. The output is reproducible byte
for byte; tests/test_search_compiled.py compiles again and compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, write_dataset  # noqa: E402

import icd10kb  # noqa: E402
from icd10kb.datasets import describe, names  # noqa: E402
from icd10kb.search.compiled import DATASET, encode  # noqa: E402
from icd10kb.search.layerfile import encode as encode_layers  # noqa: E402
from icd10kb.search.postings import knowledge_records, layer_shown, layer_texts, release_texts  # noqa: E402


def compile_release(name: str) -> tuple[bytes, bytes]:
    """The compiled search index of the shipped release *name*, and its other layers' texts (both gzip)."""
    kb = icd10kb.load(name)
    added = layer_texts(kb)
    texts, lengths = release_texts(kb, added)
    knowledge = knowledge_records(kb.knowledge_index)
    shown = layer_shown(kb, added)
    rows = [(doc, label, text) for doc in sorted(shown) for label, text in shown[doc]]
    index = encode(name, kb.store.size, texts, lengths, knowledge)
    return gzip_bytes(index), gzip_bytes(encode_layers(name, kb.store.size, rows))


def main() -> int:
    files = {}
    for name in icd10kb.releases():
        files[f"{name}.bin.gz"], files[f"{name}.layers.bin.gz"] = compile_release(name)
    sources = []
    for name in icd10kb.releases():
        sources += [(s.path, s.url) for s in describe(f"icd10cm-{name}").sources]
    for name in names():
        if describe(name).kind in ("knowledge", "ontology", "phenotype-annotations", "mapping", "table"):
            sources += [(s.path, s.url) for s in describe(name).sources]
    write_dataset(
        files,
        name=DATASET,
        kind="index",
        title="The search index of every shipped release (titles, includes notes, inclusion terms), built in advance",
        version="1",
        publisher="icd10kb developers, from the titles and notes of the NCHS releases",
        licence="Public domain (the classification's text); the index is this project's own (MIT)",
        citation="Indexed by icd10kb from the titles and notes of ICD-10-CM (NCHS).",
        url="https://www.cdc.gov/nchs/icd/icd-10-cm/",
        sources=list(dict.fromkeys(sources)),
        releases=list(icd10kb.releases()),
        notes="Per release: the vocabulary, each word's concepts and field weights, the names filed under each "
        "word, the number of essential words of each title, and the texts of the built-in knowledge packs; "
        "HPO layperson and exact synonyms and the index tables' terms are indexed with the release's own texts "
        "(and listed per concept in <release>.layers.bin.gz, for the hits).",
    )
    for fname, blob in files.items():
        print(f"{fname}: {len(blob):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
