"""Compile the phenotype layer of ``kb.graph`` for every shipped release, ahead of time.

Run from the repository root:  python scripts/build_graph_layer.py

The layer (HPO terms and their is-a edges, the diseases linked to the
release's codes and their phenotypes) is made from the whole HPO ontology and
annotation file, which takes longer than the rest of the graph. This writes it
once per shipped release, with icd10kb's own functions, into the dataset
``hpo-graph-layer`` (format in ``icd10kb/phenotypes/layer.py``). The output is
reproducible byte for byte; tests/test_graph_build.py compiles again and
compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from datasetlib import gzip_bytes, write_dataset  # noqa: E402

import icd10kb  # noqa: E402
from icd10kb.datasets import describe  # noqa: E402
from icd10kb.phenotypes.graph import graph_edges  # noqa: E402
from icd10kb.phenotypes.layer import DATASET, encode  # noqa: E402


def compile_release(name: str) -> bytes:
    """The compiled phenotype layer of the shipped release *name*."""
    nodes, edges = graph_edges(icd10kb.load(name))
    return gzip_bytes(encode(name, nodes, edges))


def main() -> int:
    files = {f"{name}.json.gz": compile_release(name) for name in icd10kb.releases()}
    sources = [(s.path, s.url) for d in ("hpo-2025-01-16", "hpo-icd10cm-links") for s in describe(d).sources]
    write_dataset(
        files,
        name=DATASET,
        kind="index",
        title="The phenotype layer of the graph of every shipped release (HPO terms, linked diseases, phenotypes)",
        version="1",
        publisher="icd10kb developers, from HPO 2025-01-16, Mondo and Orphanet",
        licence="Human Phenotype Ontology licence (https://hpo.jax.org/app/license): this product uses the Human "
        "Phenotype Ontology (release 2025-01-16), find out more at http://www.human-phenotype-ontology.org; "
        "Mondo mapping sets CC0 1.0; Orphanet (annotations and ORDO alignments) CC BY 4.0, www.orpha.net; "
        "the compilation is this project's own (MIT)",
        citation="Compiled by icd10kb from HPO 2025-01-16 (Gargano MA et al. The Human Phenotype Ontology in 2024. "
        "Nucleic Acids Research 52(D1):D1333-D1346, 2024), Mondo and Orphanet; see the datasets hpo-2025-01-16 "
        "and hpo-icd10cm-links.",
        url="https://hpo.jax.org/",
        sources=list(dict.fromkeys(sources)),
        releases=list(icd10kb.releases()),
        notes="Per release: the nodes and edges of icd10kb.phenotypes.graph_edges(kb) as JSON, read by kb.graph.",
    )
    for fname, blob in files.items():
        print(f"{fname}: {len(blob):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
