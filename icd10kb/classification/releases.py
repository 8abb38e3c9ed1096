"""The releases shipped inside the package, and reading their compiled files.

Each shipped release is a dataset of kind ``"release"`` named
``icd10cm-<release>`` (see :mod:`icd10kb.datasets`): its descriptor lists the
official source files and the SHA-256 of its compiled files. A file whose
checksum does not match is refused with a
:class:`~icd10kb.errors.DataFileError` before anything is read from it.
"""

from __future__ import annotations

from ..classification.compiled import Sections, load_notes, read_sections
from ..datasets import describe, names, read
from ..errors import UnknownReleaseError

__all__ = ["DEFAULT_RELEASE", "available", "dataset_name", "read_hierarchy", "read_notes"]

DEFAULT_RELEASE = "2026-04-01"
_PREFIX = "icd10cm-"


def available() -> tuple[str, ...]:
    """Names of the releases shipped with the package, newest first.

    Examples
    --------
    >>> available()[0]
    '2026-04-01'
    """
    found = [n[len(_PREFIX) :] for n in names() if n.startswith(_PREFIX) and describe(n).kind == "release"]
    return tuple(sorted(found, reverse=True))


def dataset_name(name: object) -> str:
    """The dataset that holds the shipped release *name*."""
    if not isinstance(name, str) or name not in available():
        raise UnknownReleaseError(name, available())
    return _PREFIX + name


def read_hierarchy(name: str) -> Sections:
    """Read and check the compiled hierarchy of a shipped release."""
    dataset = dataset_name(name)
    filename = f"{dataset}.hierarchy.bin"
    return read_sections(read(dataset, filename, decompress=False), filename)


def read_notes(name: str) -> dict[str, dict[str, list[str]]]:
    """Read and check the compiled notes of a shipped release."""
    dataset = dataset_name(name)
    filename = f"{dataset}.notes.json.gz"
    return load_notes(read(dataset, filename), filename)
