"""Writing a shipped dataset: its compiled files and its one descriptor.

Every build script in ``scripts/`` ends with :func:`write_dataset`. It writes
the compiled files under ``icd10kb/data/<name>/``, then the descriptor
``icd10kb/data/datasets/<name>.json`` with the SHA-256 of every source file
(kept unchanged under ``data/``) and of every compiled file. Output is
deterministic, so a test can compile again and compare byte for byte.

Compiled files should be small and compressed: write them with
:func:`gzip_bytes`, which leaves no time stamp in the gzip header.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = ROOT / "icd10kb" / "data"
DESCRIPTORS = PACKAGE_DATA / "datasets"

__all__ = ["DESCRIPTORS", "PACKAGE_DATA", "ROOT", "descriptor", "gzip_bytes", "json_bytes", "sha256", "write_dataset"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def gzip_bytes(data: bytes) -> bytes:
    """Gzip *data* reproducibly (no file name, no time stamp)."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def json_bytes(value: Any) -> bytes:
    """Compact, sorted, reproducible JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def descriptor(
    *,
    name: str,
    kind: str,
    title: str,
    version: str,
    publisher: str,
    licence: str,
    citation: str,
    url: str,
    sources: Sequence[tuple[str, str | None]],
    files: Mapping[str, bytes],
    releases: Sequence[str] = (),
    notes: str = "",
    root: Path = ROOT,
    folder: str | None = None,
    effective: str = "",
) -> dict[str, Any]:
    """The descriptor of a dataset: *sources* are ``(path under the repository, url)`` pairs."""
    return {
        "name": name,
        "kind": kind,
        "title": title,
        "version": version,
        "publisher": publisher,
        "licence": licence,
        "citation": citation,
        "url": url,
        "releases": list(releases),
        "sources": [
            {"path": path, "sha256": sha256((root / path).read_bytes()), "url": src_url} for path, src_url in sources
        ],
        "files": [{"path": _place(name, folder, fname), "sha256": sha256(blob), "url": None} for fname, blob in sorted(files.items())],
        "notes": notes,
        **({"effective": effective} if effective else {}),
    }


def _place(name: str, folder: str | None, fname: str) -> str:
    folder = name if folder is None else folder
    return f"{folder}/{fname}" if folder else fname


def write_dataset(files: Mapping[str, bytes], **fields: Any) -> dict[str, Any]:
    """Write the compiled *files* of a dataset and its descriptor; return the descriptor.

    *files* maps a file name (inside ``icd10kb/data/<name>/``) to its bytes;
    *fields* are the keyword arguments of :func:`descriptor`; ``folder=""``
    places the files directly in ``icd10kb/data`` (the releases, which were
    shipped there before datasets had folders of their own).
    """
    desc = descriptor(files=files, **fields)
    for entry, (_, blob) in zip(desc["files"], sorted(files.items())):
        target = PACKAGE_DATA / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    DESCRIPTORS.mkdir(parents=True, exist_ok=True)
    (DESCRIPTORS / f"{desc['name']}.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return desc
