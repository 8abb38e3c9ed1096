"""The search index of a shipped release, compiled ahead of time, and read lazily.

Indexing the 98,000 titles and notes of a release takes a second or more;
``scripts/build_search.py`` does it once per shipped release and writes the
result into the dataset :data:`DATASET`, one file a release. A search in a
fresh process then reads that file (a few milliseconds), decodes the
postings of the words it is asked for only, and lays the clinical knowledge
and any added texts over it. The result equals, query for query, the index
that :class:`~icd10kb.search.postings.BuiltPostings` builds from the texts
(``tests/test_search_compiled.py`` checks both, and recompiles the files
byte for byte).

File format (gzip): one line of JSON (the header), then the sections it
lists, each a little-endian array of its type code, one after the other.

- ``words``: the release's vocabulary, sorted, joined by new lines (UTF-8);
- ``starts`` (``I``, one more than the words): where each word's postings
  begin in ``docs``/``weights``;
- ``docs`` (``H``): per word, its concepts in ascending order, each as the
  difference from the one before (the first as itself);
- ``weights`` (``B``): the weight of the best field that holds the word;
- ``lengths`` (``B``): per concept, the number of essential words of its title;
- ``name_starts`` and ``name_word_starts`` (``I``, one more than the
  words), ``name_docs`` (``H``), ``name_weights`` (``B``),
  ``name_sizes`` (``B``), ``name_words`` (``H``, word numbers): the names
  filed under each word (its rarest), their concept, weight and words.

The header also holds the release's name, its number of concepts, and the
texts of the built-in knowledge packs (code, whether the first text is the
label, the texts), so that the shared knowledge base of a release needs no
knowledge index to search.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..arguments import check_bytes, check_int, check_text
from ..errors import DataFileError, InvalidArgumentError

if TYPE_CHECKING:
    from ..classification.core import Classification
    from .postings import KnowledgeRecord, Texts

__all__ = ["DATASET", "FORMAT", "decode", "encode", "read_compiled", "read_header"]

#: The dataset that holds the compiled search index of every shipped release.
DATASET = "icd10cm-search-index"
#: The version of the file format.
FORMAT = 1
_SECTIONS = (
    ("words", "s"),
    ("starts", "I"),
    ("docs", "H"),
    ("weights", "B"),
    ("lengths", "B"),
    ("name_starts", "I"),
    ("name_word_starts", "I"),
    ("name_docs", "H"),
    ("name_weights", "B"),
    ("name_sizes", "B"),
    ("name_words", "H"),
)
_LITTLE = sys.byteorder == "little"


def encode(
    release: str, size: int, texts: Texts, lengths: Sequence[int], knowledge: Sequence[KnowledgeRecord]
) -> bytes:
    """The compiled file of a release (not yet compressed) from its indexed titles and notes.

    Raises
    ------
    InvalidArgumentError
        If an argument is not of the documented type.
    """
    from .postings import Texts

    release, size = check_text(release, "release", 200), check_int(size, "size", 0, 65535)
    if not isinstance(texts, Texts):
        raise InvalidArgumentError(texts, "encode() takes the Texts of release_texts()", "texts")
    if not isinstance(lengths, (array, list, tuple)) or any(type(n) is not int for n in lengths):
        raise InvalidArgumentError(lengths, "lengths are whole numbers, one per concept", "lengths")
    if not isinstance(knowledge, (list, tuple)) or not all(_is_record(r) for r in knowledge):
        raise InvalidArgumentError(knowledge, "knowledge is a list of (code, named first, texts)", "knowledge")
    postings = texts.postings
    vocabulary = sorted(postings)
    number = {w: i for i, w in enumerate(vocabulary)}
    if size > 65535 or len(vocabulary) > 65535 or max(lengths, default=0) > 255:
        raise ValueError("the release is too large for format 1 of the compiled search index")
    sections: dict[str, Any] = {name: array(code) for name, code in _SECTIONS if code != "s"}
    sections["words"] = "\n".join(vocabulary).encode("utf-8")
    filed: dict[str, dict[tuple[frozenset[str], int, int], None]] = {}
    for name, doc, weight in texts.named:
        missing = [w for w in name if w not in postings]
        if missing:  # only a letter that is a stop word ("influenza A") is missing: no other text can bring it
            if any(len(w) > 1 for w in missing):
                raise ValueError(f"a name holds words that no text indexes: {sorted(missing)}")
            continue
        rarest = min(name, key=lambda w: (len(postings[w]), w))
        filed.setdefault(rarest, {})[(name, doc, weight)] = None
    for word in vocabulary:
        sections["starts"].append(len(sections["docs"]))
        previous = 0
        for doc in sorted(postings[word]):
            sections["docs"].append(doc - previous)
            sections["weights"].append(postings[word][doc])
            previous = doc
        sections["name_starts"].append(len(sections["name_docs"]))
        sections["name_word_starts"].append(len(sections["name_words"]))
        for name, doc, weight in sorted(filed.get(word, {}), key=lambda n: (n[1], n[2], sorted(n[0]))):
            sections["name_docs"].append(doc)
            sections["name_weights"].append(weight)
            sections["name_sizes"].append(len(name))
            sections["name_words"].extend(sorted(number[w] for w in name))
    sections["starts"].append(len(sections["docs"]))
    sections["name_starts"].append(len(sections["name_docs"]))
    sections["name_word_starts"].append(len(sections["name_words"]))
    if max(sections["name_sizes"], default=0) > 255:
        raise ValueError("a name of more than 255 words")
    sections["lengths"].extend(list(lengths))
    blobs = []
    for section, code in _SECTIONS:
        value = sections[section]
        if code != "s":
            if not _LITTLE:  # pragma: no cover - a big-endian machine
                value.byteswap()
            value = value.tobytes()
        blobs.append(value)
    header = {
        "format": FORMAT,
        "release": release,
        "size": size,
        "sections": [[section, code, len(blob)] for (section, code), blob in zip(_SECTIONS, blobs)],
        "knowledge": [[code, named, list(texts_)] for code, named, texts_ in knowledge],
    }
    return json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" + b"".join(blobs)


def read_header(data: bytes, name: str, version: int, what: str) -> tuple[dict[str, Any], int]:
    """The JSON header line of a compiled file of format *version*, and where its sections begin."""
    data, name = check_bytes(data, "data"), check_text(name, "file name", 4096)
    version, what = check_int(version, "format version"), check_text(what, "what", 200)
    end = data.find(b"\n")
    try:
        header = json.loads(data[:end]) if end > 0 else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != version:
        raise DataFileError(name, f"not {what} of format {version}")
    return header, end + 1


def _is_record(record: object) -> bool:
    return (
        isinstance(record, tuple)
        and len(record) == 3
        and type(record[0]) is str
        and type(record[1]) is bool
        and isinstance(record[2], (list, tuple))
        and all(type(t) is str for t in record[2])
    )


def decode(data: bytes, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and the sections of a compiled file, checked for shape (cheaply)."""
    header, at = read_header(data, name, FORMAT, "a compiled search index")
    sections: dict[str, Any] = {}
    try:
        listed = [(s[0], s[1], int(s[2])) for s in header["sections"]]
        if [(n, c) for n, c, _ in listed] != list(_SECTIONS):
            raise ValueError("unexpected sections")
        for section, code, length in listed:
            blob = data[at : at + length]
            if len(blob) != length:
                raise ValueError(f"section {section!r} is cut short")
            at += length
            if code == "s":
                sections[section] = blob.decode("utf-8").split("\n")
            else:
                values = array(code)
                values.frombytes(blob)
                if not _LITTLE:  # pragma: no cover - a big-endian machine
                    values.byteswap()
                sections[section] = values
        words, size = len(sections["words"]), int(header["size"])
        if at != len(data) or len(sections["starts"]) != words + 1 or len(sections["name_starts"]) != words + 1:
            raise ValueError("sections of the wrong length")
        if sections["starts"][-1] != len(sections["docs"]) or len(sections["weights"]) != len(sections["docs"]):
            raise ValueError("postings of the wrong length")
        if len(sections["lengths"]) != size or sections["name_starts"][-1] != len(sections["name_docs"]):
            raise ValueError("titles or names of the wrong length")
        if len(sections["name_word_starts"]) != words + 1 or sections["name_word_starts"][-1] != len(
            sections["name_words"]
        ):
            raise ValueError("names of the wrong length")
        if len(sections["name_weights"]) != len(sections["name_docs"]) != len(sections["name_sizes"]):
            raise ValueError("names of the wrong length")
        # Concepts and word numbers are checked word by word, as they are decoded (CompiledPostings).
    except (KeyError, TypeError, ValueError, IndexError, UnicodeDecodeError) as exc:
        raise DataFileError(name, f"a damaged compiled search index: {exc}") from None
    return header, sections


def read_compiled(kb: Classification) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The compiled index of *kb*'s shipped release, or None (official files, or none shipped)."""
    release = kb.shipped_release
    if release is None:
        return None
    from ..datasets import describe, memo, names, read

    path = f"{DATASET}/{release}.bin.gz"
    if DATASET not in names() or not any(f.path == path for f in describe(DATASET).files):
        return None

    def build() -> tuple[dict[str, Any], dict[str, Any]]:
        header, sections = decode(read(DATASET, path), path)
        if header["release"] != release or header["size"] != kb.store.size:
            raise DataFileError(path, f"compiled for another release than {release!r}")
        return header, sections

    return memo(DATASET, release, build)
