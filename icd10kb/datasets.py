"""Datasets shipped in the package, each described once and read lazily.

Every dataset that icd10kb ships — a release of the classification, a
knowledge pack, a grouper, an ontology — has one descriptor,
``icd10kb/data/datasets/<name>.json``, written by the script in ``scripts/``
that compiles it. The descriptor says what the dataset is (title, version,
publisher, licence, citation), the unchanged source files it was compiled
from (kept under ``data/`` in the repository, with their SHA-256) and the
compiled files shipped in the package (with theirs). A compiled file is
checked against its checksum when it is read, and a damaged one is refused
with a :class:`~icd10kb.errors.DataFileError`.

Features read their data through :func:`read` and keep what they build with
:func:`memo`, so nothing is read before it is first used.

Examples
--------
>>> info = describe("icd10cm-2026-04-01")
>>> info.publisher
'National Center for Health Statistics (NCHS), Centers for Disease Control and Prevention'
>>> "icd10cm-2026-04-01" in names()
True
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import DataFileError, InvalidArgumentError
from .files import NamedBytes, read_bytes, sha256
from .gcpause import collection_paused

__all__ = ["Dataset", "SourceFile", "data_bytes", "describe", "memo", "names", "read", "read_json"]

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
_DESCRIPTORS = "datasets"
T = TypeVar("T")


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


@dataclass(frozen=True)
class SourceFile:
    """A file a dataset was compiled from, or a compiled file shipped in the package.

    Attributes
    ----------
    path:
        For a source: its path in the repository (``data/...``). For a
        compiled file: its path under ``icd10kb/data``.
    sha256:
        The SHA-256 of the file as stored.
    url:
        Where the source file was published, when known.
    """

    path: str
    sha256: str
    url: str | None = None


@dataclass(frozen=True)
class Dataset:
    """The description of one shipped dataset.

    Attributes
    ----------
    name:
        The dataset's identifier, e.g. ``"icd10cm-2026-04-01"``.
    kind:
        ``"release"``, ``"knowledge"``, ``"grouper"``, ``"ontology"``,
        ``"mapping"``, ``"history"``, ``"table"``, ...
    title, version, publisher, licence, citation, url:
        What it is, which version, who publishes it, under which terms, how
        to cite it and where it is published.
    releases:
        The ICD-10-CM releases it applies to (empty: any release).
    sources:
        The unchanged files it was compiled from, kept under ``data/``.
    files:
        The compiled files shipped in the package.
    notes:
        Caveats a user should know (what is missing, what was derived).
    effective:
        The date (ISO) from which the dataset applies, where that has a
        meaning (a release of the classification); else empty.
    """

    name: str
    kind: str
    title: str
    version: str
    publisher: str
    licence: str
    citation: str
    url: str
    releases: tuple[str, ...]
    sources: tuple[SourceFile, ...]
    files: tuple[SourceFile, ...]
    notes: str = ""
    effective: str = ""

    def file(self, path: str) -> SourceFile:
        """The compiled file *path* of this dataset."""
        for entry in self.files:
            if entry.path == path:
                return entry
        raise DataFileError(path, f"is not a file of the dataset {self.name!r}")


_lock = threading.Lock()
_descriptors: dict[str, Dataset] = {}
_memo: dict[tuple[str, str], Any] = {}
_memo_locks: dict[tuple[str, str], threading.Lock] = {}


def names() -> tuple[str, ...]:
    """The names of every dataset shipped in the package, sorted.

    Examples
    --------
    >>> "l94.2-calcinosis-cutis" in names()
    True
    """
    try:
        entries = os.listdir(os.path.join(_DATA, _DESCRIPTORS))
    except FileNotFoundError:  # pragma: no cover - a package that is not on the file system
        from importlib.resources import files

        entries = [p.name for p in files("icd10kb").joinpath("data", _DESCRIPTORS).iterdir()]
    return tuple(sorted(e[: -len(".json")] for e in entries if e.endswith(".json")))


def describe(name: object) -> Dataset:
    """The descriptor of the shipped dataset *name*.

    Raises
    ------
    InvalidArgumentError
        If no dataset of that name is shipped.
    """
    if not isinstance(name, str) or len(name) > 200:
        raise InvalidArgumentError(name, "a dataset name is a string", "name")
    name = str.__getitem__(name, slice(None))  # a plain str: a subclass's __eq__/__hash__ is not trusted
    with _lock:
        found = _descriptors.get(name)
    if found is not None:
        return found
    if name not in names():
        raise InvalidArgumentError(name, f"no such dataset; shipped: {', '.join(names())}", "name")
    filename = f"{_DESCRIPTORS}/{name}.json"
    try:
        raw = json.loads(data_bytes(_DESCRIPTORS, f"{name}.json"))
        dataset = Dataset(
            name=raw["name"],
            kind=raw["kind"],
            title=raw["title"],
            version=raw["version"],
            publisher=raw["publisher"],
            licence=raw["licence"],
            citation=raw["citation"],
            url=raw["url"],
            releases=tuple(raw.get("releases", ())),
            sources=tuple(SourceFile(**s) for s in raw["sources"]),
            files=tuple(SourceFile(**f) for f in raw["files"]),
            notes=raw.get("notes", ""),
            effective=raw.get("effective", ""),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(filename, f"not a valid dataset descriptor: {exc}") from None
    if dataset.name != name:
        raise DataFileError(filename, f"describes {dataset.name!r}, not {name!r}")
    with _lock:
        return _descriptors.setdefault(name, dataset)


def read(name: str, path: str, *, decompress: bool = True) -> bytes:
    """The bytes of the compiled file *path* of dataset *name*, checked against its checksum.

    Gzip files are decompressed unless *decompress* is false. Callers keep
    what they build from it (see :func:`memo`), so a file is read rarely.

    Raises
    ------
    DataFileError
        If the file is missing, damaged, or not listed in the descriptor.
    """
    from .arguments import check_bool, check_text

    check_bool(decompress, "decompress")
    entry = describe(name).file(check_text(path, "path", 500))
    try:
        raw = data_bytes(*path.split("/"))
    except OSError as exc:
        raise DataFileError(path, f"shipped data file cannot be read: {exc}") from None
    if sha256(raw) != entry.sha256:
        raise DataFileError(path, "checksum mismatch: the shipped data file is damaged; reinstall icd10kb")
    if decompress:
        return read_bytes(NamedBytes(raw, path))[0]
    return raw


def read_json(name: str, path: str) -> Any:
    """The JSON content of the compiled file *path* of dataset *name* (gzip or plain)."""
    data = read(name, path)
    try:
        return json.loads(data)
    except ValueError as exc:
        raise DataFileError(path, f"not valid JSON: {exc}") from None


def memo(name: str, key: str, build: Callable[[], T]) -> T:
    """Build a dataset's in-memory form once per process, on first use, under a lock.

    Concurrent first calls wait for one build; a build that raises leaves
    nothing behind, so the next call tries again.
    """
    from .arguments import check_text

    slot = (check_text(name, "name", 200), check_text(key, "key", 200))
    if not callable(build):
        raise InvalidArgumentError(build, "memo() takes the function that builds the value", "build")
    with _lock:
        if slot in _memo:
            return _memo[slot]  # type: ignore[no-any-return]
        lock = _memo_locks.setdefault(slot, threading.Lock())
    with lock:
        with _lock:
            if slot in _memo:
                return _memo[slot]  # type: ignore[no-any-return]
        with collection_paused():  # large indexes: see icd10kb.gcpause
            value = build()
        with _lock:
            _memo[slot] = value
        return value
