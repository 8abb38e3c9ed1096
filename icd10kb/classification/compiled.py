"""The compiled release format shipped in ``icd10kb/data``.

Parsing the official XML takes about a second and a lot of memory, so each
shipped release is compiled once (by ``scripts/build_data.py``) into two
files that load in milliseconds:

``<name>.hierarchy.bin``
    every concept in pre-order. The file starts with the line
    ``ICD10KB-HIERARCHY``, then one line of JSON (the format version, the
    release description and a table of sections with their byte lengths),
    then the sections back to back: ``ids`` (newline-joined UTF-8),
    ``titles`` (concatenated UTF-8) with ``title_offsets`` (int32 character
    offsets into the decoded text), ``parents`` and ``ends`` (int32 positions), ``kinds``,
    ``billable`` and ``depths`` (one byte per concept), the leaves that take
    a 7th character (``seventh_nodes``, ``seventh_rules`` as int32,
    ``seventh_chars`` newline-joined) and the 7th-character ``rules`` (JSON).
    Integers are little-endian.
``<name>.notes.json.gz``
    the instructional notes of every concept (gzip JSON), read only when
    asked for.

Pre-order makes the hierarchy cheap: the descendants of the concept at
position ``i`` are exactly the positions ``i + 1`` to ``ends[i] - 1``.

The SHA-256 of every compiled file is recorded in its dataset descriptor (``data/datasets/``)
and checked on load, so a damaged file is reported, never half-read. The
compiled files are derived data: the test suite compiles the official files
again and compares them byte for byte.
"""

from __future__ import annotations

import gzip
import json
import sys
from array import array
from typing import TYPE_CHECKING, Any

from ..errors import DataFileError

if TYPE_CHECKING:
    from ..classification.tabular import TabularRelease

__all__ = ["FORMAT", "KINDS", "MAGIC", "Sections", "dump_notes", "from_classification", "load_notes", "read_sections"]

#: Version of the compiled layout.
FORMAT = 3
MAGIC = b"ICD10KB-HIERARCHY\n"

#: One letter per kind of concept, as stored.
KINDS: dict[str, str] = {
    "chapter": "C",
    "block": "B",
    "category": "c",
    "subcategory": "s",
    "code": "d",
}

_INT = "i"


def _ints(values: list[int]) -> bytes:
    data = array(_INT, values)
    if sys.byteorder == "big":  # pragma: no cover - the shipped files are little-endian
        data.byteswap()
    return data.tobytes()


def from_classification(data: TabularRelease, release: dict[str, Any]) -> tuple[bytes, bytes]:
    """Compile a parsed release.

    Parameters
    ----------
    data:
        The release as read by :func:`icd10kb.classification.tabular.read_tabular`.
    release:
        The release's description (name, date, source …), stored as is.

    Returns
    -------
    tuple
        ``(hierarchy, notes)``: the bytes of the two compiled files.
    """
    from ..errors import InvalidArgumentError
    from .tabular import TabularRelease

    if not isinstance(data, TabularRelease) or not isinstance(release, dict):
        raise InvalidArgumentError((data, release), "a TabularRelease and a dict describing it", "release")
    nodes = data.nodes
    ends = [0] * len(nodes)
    depths = [0] * len(nodes)
    for index in range(len(nodes) - 1, -1, -1):
        ends[index] = max(ends[index], index + 1)
        parent = nodes[index].parent
        if parent >= 0:
            ends[parent] = max(ends[parent], ends[index])
    for index, node in enumerate(nodes):
        depths[index] = depths[node.parent] + 1 if node.parent >= 0 else 0
        if depths[index] > 255:  # stored in one byte; the readers refuse far less already
            raise DataFileError(data.files[0][0] if data.files else "<release>", f"{node.id!r} nests deeper than 255")
    offsets = [0]
    for node in nodes:
        offsets.append(offsets[-1] + len(node.title))
    seventh = [(i, n.seventh, n.rule) for i, n in enumerate(nodes) if n.seventh]
    rules = [{"owner": r.owner, "characters": r.characters, "notes": r.notes} for r in data.rules]
    sections: list[tuple[str, bytes]] = [
        ("ids", "\n".join(n.id for n in nodes).encode("utf-8")),
        ("titles", "".join(n.title for n in nodes).encode("utf-8")),
        ("title_offsets", _ints(offsets)),
        ("parents", _ints([n.parent for n in nodes])),
        ("ends", _ints(ends)),
        ("kinds", "".join(KINDS[n.kind] for n in nodes).encode("ascii")),
        ("billable", bytes(1 if n.billable else 0 for n in nodes)),
        ("depths", bytes(depths)),
        ("seventh_nodes", _ints([i for i, _, _ in seventh])),
        ("seventh_rules", _ints([r for _, _, r in seventh])),
        ("seventh_chars", "\n".join(c for _, c, _ in seventh).encode("ascii")),
        ("rules", json.dumps(rules, ensure_ascii=False, sort_keys=True).encode("utf-8")),
    ]
    header = {
        "format": FORMAT,
        "release": release,
        "count": len(nodes),
        "seventh_count": len(seventh),
        "rejected_seventh": data.rejected_seventh,
        "anomalies": data.anomalies,
        "sections": [[name, len(blob)] for name, blob in sections],
    }
    if data.official_titles:
        header["official_titles"] = data.official_titles
    head = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    hierarchy = MAGIC + head + b"\n" + b"".join(blob for _, blob in sections)
    notes = {"format": FORMAT, "notes": {n.id: n.notes for n in nodes if n.notes}}
    return hierarchy, dump_notes(notes)


def dump_notes(payload: dict[str, Any]) -> bytes:
    """Serialise the notes reproducibly: sorted keys, gzip without a timestamp."""
    from ..errors import InvalidArgumentError

    if not isinstance(payload, dict):
        raise InvalidArgumentError(payload, "the notes are a dict", "notes")
    try:
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    except (TypeError, ValueError, RecursionError) as exc:  # not JSON, or text that is not Unicode
        raise InvalidArgumentError(payload, f"not serialisable: {exc}", "notes") from None


class Sections:
    """The decoded header and raw sections of a compiled hierarchy file."""

    def __init__(self, header: dict[str, Any], parts: dict[str, bytes], name: str) -> None:
        self.header = header
        self.parts = parts
        self.name = name

    def ints(self, section: str) -> array[int]:
        """An int32 section as an array."""
        values = array(_INT)
        values.frombytes(self.parts[section])
        if sys.byteorder == "big":  # pragma: no cover
            values.byteswap()
        return values

    def text(self, section: str) -> str:
        """A UTF-8 section as text."""
        try:
            return self.parts[section].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFileError(self.name, f"section {section!r} is not UTF-8 (byte {exc.start})") from None


def read_sections(data: bytes, name: str) -> Sections:
    """Split a compiled hierarchy file into its header and sections.

    Raises
    ------
    DataFileError
        If the file does not have the layout described above.
    """
    data, name = _checked(data, name)
    if not data.startswith(MAGIC):
        raise DataFileError(name, "not a compiled icd10kb hierarchy (bad magic line)", 1)
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise DataFileError(name, "compiled hierarchy has no header line", 2)
    try:
        header = json.loads(data[len(MAGIC) : end])
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(f"not of format {FORMAT}")
        table = [(str(section), int(size)) for section, size in header["sections"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(name, f"bad header: {exc}", 2) from None
    parts: dict[str, bytes] = {}
    offset = end + 1
    for section, size in table:
        if size < 0 or offset + size > len(data):
            raise DataFileError(name, f"section {section!r} runs past the end of the file")
        parts[section] = data[offset : offset + size]
        offset += size
    if offset != len(data):
        raise DataFileError(name, f"{len(data) - offset} unexpected bytes after the last section")
    return Sections(header, parts, name)


def _checked(data: object, name: object) -> tuple[bytes, str]:
    from ..arguments import check_bytes, check_text

    return check_bytes(data, "data"), check_text(name, "file name")


def load_notes(data: bytes, name: str) -> dict[str, dict[str, list[str]]]:
    """Decode a compiled notes file (already decompressed)."""
    data, name = _checked(data, name)
    try:
        payload = json.loads(data)
    except UnicodeDecodeError as exc:
        raise DataFileError(name, f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(name, f"malformed JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or not isinstance(payload.get("notes"), dict):
        raise DataFileError(name, f"not a compiled icd10kb notes file of format {FORMAT}")
    notes: dict[str, dict[str, list[str]]] = payload["notes"]
    return notes
