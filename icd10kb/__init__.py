"""icd10kb: the ICD-10-CM classification as a knowledge graph.

The names reachable from ``icd10kb`` itself (those in ``__all__``) are the
public API; everything else may change between versions. The model classes
and knowledge helpers are imported on first use, so that ``import icd10kb``
stays fast.

Examples
--------
>>> import icd10kb
>>> kb = icd10kb.load()
>>> kb["L94.2"].title
'Calcinosis cutis'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .classification.codes import dotless, normalize
from .classification.releases import available as releases
from .errors import (
    CodeNotFoundError,
    DataFileError,
    ICD10KBError,
    InvalidArgumentError,
    InvalidCodeError,
    KnowledgePackError,
    KnowledgeWarning,
    UnknownReleaseError,
)
from .kb import KnowledgeBase
from .load import load, load_tabular

if TYPE_CHECKING:
    from .classification.concept import Concept
    from .classification.models import Release
    from .datasets import Dataset
    from .details import ConceptDetails
    from .history import release_for, valid_on
    from .knowledge.models import Fact, KnowledgePack, KnowledgeProfile, Source
    from .knowledge.packs import read_pack
    from .notes.models import Note

__all__ = [
    "CodeNotFoundError",
    "Concept",
    "ConceptDetails",
    "DataFileError",
    "Dataset",
    "Fact",
    "ICD10KBError",
    "InvalidArgumentError",
    "InvalidCodeError",
    "KnowledgeBase",
    "KnowledgePack",
    "KnowledgePackError",
    "KnowledgeProfile",
    "KnowledgeWarning",
    "Note",
    "Release",
    "Source",
    "UnknownReleaseError",
    "__version__",
    "dotless",
    "load",
    "load_tabular",
    "normalize",
    "read_pack",
    "release_for",
    "releases",
    "sources",
    "valid_on",
]

_LAZY = {
    "Concept": "classification.concept",
    "ConceptDetails": "details",
    "Dataset": "datasets",
    "Note": "notes.models",
    "Release": "classification.models",
    "Fact": "knowledge.models",
    "KnowledgePack": "knowledge.models",
    "KnowledgeProfile": "knowledge.models",
    "Source": "knowledge.models",
    "read_pack": "knowledge.packs",
    "release_for": "history",
    "valid_on": "history",
}


def sources() -> tuple[Dataset, ...]:
    """Every dataset shipped in the package: what it is, who publishes it, its licence and files.

    Each entry names the unchanged source files it was compiled from (kept in
    the repository's ``data/`` folder, with their SHA-256) and the compiled
    files shipped here (checked against theirs when read).

    Examples
    --------
    >>> [d.name for d in sources() if d.kind == "knowledge"]
    ['l94.2-calcinosis-cutis']
    >>> next(d for d in sources() if d.name == "icd10cm-2026-04-01").licence[:13]
    'Public domain'
    """
    from .datasets import describe, names

    return tuple(describe(name) for name in names())


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("icd10kb")
        except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
            return "0+unknown"
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'icd10kb' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Only the public API (the subpackages stay importable by name)."""
    return sorted(__all__)
