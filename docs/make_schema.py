#!/usr/bin/env python3
"""Write the JSON Schema of icd10kb's public models to ``docs/schema``.

Run from anywhere: ``python docs/make_schema.py``. Each model gets
``docs/schema/<name>.schema.json``: pydantic's ``model_json_schema()`` with a
``$schema`` line added, keys sorted, two-space indent and a final newline, so
that the files only change when the models do. ``tests/test_docs.py`` builds
the same text in memory and fails when a file is out of date.

The knowledge-pack schema describes what a pack file may hold (pydantic's
*validation* mode). The others describe what icd10kb hands out, as
``model_dump(mode="json")`` and the command line's ``--json`` write it
(*serialization* mode).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA_DIR = HERE / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: File stem → (module, class name, schema mode).
MODELS: dict[str, tuple[str, str, Literal["validation", "serialization"]]] = {
    "knowledge-pack": ("icd10kb.knowledge.models", "KnowledgePack", "validation"),
    "knowledge-profile": ("icd10kb.knowledge.models", "KnowledgeProfile", "serialization"),
    "concept": ("icd10kb.classification.models", "ConceptModel", "serialization"),
    "concept-details": ("icd10kb.details", "ConceptDetails", "serialization"),
    "note": ("icd10kb.notes.models", "Note", "serialization"),
    "release": ("icd10kb.classification.models", "Release", "serialization"),
    "reference": ("icd10kb.notes.references", "Reference", "serialization"),
    "finding": ("icd10kb.notes.findings", "Finding", "serialization"),
    "search-hit": ("icd10kb.search.index", "SearchHit", "serialization"),
    "candidate": ("icd10kb.knowledge.differential", "Candidate", "serialization"),
}


def schema_text(stem: str) -> str:
    """The text of ``docs/schema/<stem>.schema.json`` as it should be now."""
    from importlib import import_module

    module, name, mode = MODELS[stem]
    model = getattr(import_module(module), name)
    schema: dict[str, Any] = {"$schema": DIALECT, **model.model_json_schema(mode=mode)}
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schemas() -> dict[Path, str]:
    """Every schema file with the text it should hold."""
    return {SCHEMA_DIR / f"{stem}.schema.json": schema_text(stem) for stem in MODELS}


def main() -> int:
    if str(ROOT) not in sys.path:  # run from a checkout without installing it
        sys.path.insert(0, str(ROOT))
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in schemas().items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    stale = sorted(set(SCHEMA_DIR.glob("*.schema.json")) - set(schemas()))
    for path in stale:
        print(f"not a current model, left alone: {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
