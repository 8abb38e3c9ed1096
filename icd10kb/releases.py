"""The releases shipped inside the package, and reading their compiled files.

``data/releases.json`` lists every shipped release: its description and the
names and SHA-256 checksums of its compiled files. A file whose checksum
does not match is refused with a :class:`~icd10kb.errors.DataFileError`
before anything is read from it.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from .compiled import Sections, load_notes, read_sections
from .errors import DataFileError, UnknownReleaseError
from .files import NamedBytes, read_bytes, sha256

__all__ = ["DEFAULT_RELEASE", "MANIFEST", "available", "data_bytes", "read_hierarchy", "read_notes", "release_entry"]

MANIFEST = "releases.json"
DEFAULT_RELEASE = "2026-04-01"


_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_bytes(*parts: str) -> bytes:
    """The bytes of a file shipped in ``icd10kb/data``.

    A plain path is tried first: importing ``importlib.resources`` costs more
    than reading the file, and the cold start is measured. It falls back to
    ``importlib.resources`` for packages that are not on the file system.
    """
    path = os.path.join(_DATA, *parts)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        from importlib.resources import files

        resource = files("icd10kb").joinpath("data")
        for part in parts:
            resource = resource.joinpath(part)
        return resource.read_bytes()


@lru_cache(maxsize=1)
def _manifest() -> dict[str, Any]:
    data = data_bytes(MANIFEST)
    manifest: dict[str, Any] = json.loads(data)
    return manifest


def available() -> tuple[str, ...]:
    """Names of the releases shipped with the package, newest first.

    Examples
    --------
    >>> available()[0]
    '2026-04-01'
    """
    return tuple(sorted(_manifest()["releases"], reverse=True))


def release_entry(name: object) -> dict[str, Any]:
    """The manifest entry of a shipped release."""
    releases: dict[str, Any] = _manifest()["releases"]
    if not isinstance(name, str) or name not in releases:
        raise UnknownReleaseError(name, available())
    entry: dict[str, Any] = releases[name]
    return entry


def read_hierarchy(name: str) -> Sections:
    """Read and check the compiled hierarchy of a shipped release."""
    data, filename = _read_checked(name, "hierarchy")
    return read_sections(data, filename)


def read_notes(name: str) -> dict[str, dict[str, list[str]]]:
    """Read and check the compiled notes of a shipped release."""
    raw, filename = _read_checked(name, "notes")
    data, _, _ = read_bytes(NamedBytes(raw, filename))
    return load_notes(data, filename)


def _read_checked(name: str, part: str) -> tuple[bytes, str]:
    entry = release_entry(name)
    filename = entry[part]["file"]
    try:
        raw = data_bytes(filename)
    except OSError as exc:
        raise DataFileError(filename, f"shipped data file cannot be read: {exc}") from None
    if sha256(raw) != entry[part]["sha256"]:
        raise DataFileError(filename, "checksum mismatch: the shipped data file is damaged; reinstall icd10kb")
    return raw, filename
