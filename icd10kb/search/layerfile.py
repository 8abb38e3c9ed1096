"""The texts of other layers a shipped release indexes (HPO synonyms, index terms), in a file read by slices.

A search hit lists the texts that matched, those of other layers too. A
shipped release indexes 83,000 of them; ``icd10kb search`` runs in a fresh
process and shows ten hits, so the file is laid out to be read without
decoding it whole: the rows sorted by concept, then arrays that locate each
row's label and text in one block of UTF-8. A hit finds its rows by binary
search and decodes only those.

File format (gzip): one line of JSON (the header: ``format``, ``release``,
``size``, the ``labels`` and the number of ``rows``), then four sections,
each a little-endian array, one after the other:

- ``docs`` (``I``, one per row): the concept of each row, ascending;
- ``labels`` (``B``, one per row): the row's label, a position in ``labels``;
- ``starts`` (``I``, one more than the rows): where each row's text begins
  in ``texts``;
- ``texts``: the rows' texts, one after the other (UTF-8).

Examples
--------
>>> layers = decode(encode("r", 5, [(1, "HPO synonym (exact)", "Kalzinose"), (3, "index term", "x")]), "f", 5)
>>> layers.get(1), layers.get(2)
([('HPO synonym (exact)', 'Kalzinose')], [])
"""

from __future__ import annotations

import bisect
import json
import sys
from array import array
from collections.abc import Sequence
from itertools import islice
from operator import le
from typing import TYPE_CHECKING

from ..arguments import check_bytes, check_int, check_text
from ..errors import DataFileError, InvalidArgumentError

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = ["FORMAT", "LayerTexts", "decode", "encode", "read_layer_texts"]

#: The version of the file format.
FORMAT = 1
_ARRAYS = (("docs", "I"), ("labels", "B"), ("starts", "I"))
_LITTLE = sys.byteorder == "little"


class LayerTexts:
    """The ``(label, text)`` rows of each concept, decoded when asked for."""

    __slots__ = ("_docs", "_label_names", "_labels", "_name", "_starts", "_texts")

    def __init__(self, docs: array, labels: array, label_names: list[str], starts: array, texts: bytes, name: str):  # type: ignore[type-arg]
        self._docs, self._labels, self._label_names = docs, labels, label_names
        self._starts, self._texts, self._name = starts, texts, name

    def __len__(self) -> int:
        return len(self._docs)

    def get(self, doc: int, default: object = None) -> list[tuple[str, str]]:
        """The rows of the concept at position *doc* (an empty list if it has none; *default* is not used)."""
        docs = self._docs
        low = bisect.bisect_left(docs, doc)
        high = bisect.bisect_right(docs, doc, low)
        starts, texts, names, labels = self._starts, self._texts, self._label_names, self._labels
        rows = []
        try:
            for row in range(low, high):
                begin, end = starts[row], starts[row + 1]
                if not 0 <= begin <= end <= len(texts):
                    raise ValueError(f"row {row} has text from {begin} to {end}")
                rows.append((names[labels[row]], texts[begin:end].decode("utf-8")))
        except (IndexError, ValueError) as exc:
            raise DataFileError(self._name, f"damaged texts of other layers: {exc}") from None
        return rows


def encode(release: str, size: int, rows: Sequence[tuple[int, str, str]]) -> bytes:
    """The file (not yet compressed) of *rows* ``(concept position, label, text)``, in concept order.

    Raises
    ------
    InvalidArgumentError
        If an argument or a row is not of the documented type, or a row's concept is not below *size*.
    """
    release, size = check_text(release, "release", 200), check_int(size, "size", 0, 2**32 - 1)
    if not isinstance(rows, (list, tuple)):
        raise InvalidArgumentError(rows, "rows are a list of (concept position, label, text)", "rows")
    checked = []
    for row in rows:
        if not (isinstance(row, tuple) and len(row) == 3 and type(row[0]) is int and 0 <= row[0] < size):
            raise InvalidArgumentError(row, f"a row is (concept position below {size}, label, text)", "row")
        checked.append((row[0], check_text(row[1], "label", 200), check_text(row[2], "text")))
    ordered = sorted(checked, key=lambda r: r[0])  # stable: a concept's rows keep their order
    names = list(dict.fromkeys(label for _, label, _ in ordered))
    if len(names) > 255:
        raise InvalidArgumentError(len(names), "at most 255 labels", "labels")
    number = {label: i for i, label in enumerate(names)}
    docs, labels, starts = array("I"), array("B"), array("I", [0])
    texts = bytearray()
    for doc, label, text in ordered:
        docs.append(doc)
        labels.append(number[label])
        texts += text.encode("utf-8")
        starts.append(len(texts))
    blobs = []
    for values in (docs, labels, starts):
        if not _LITTLE:  # pragma: no cover - a big-endian machine
            values.byteswap()
        blobs.append(values.tobytes())
    header = {"format": FORMAT, "labels": names, "release": release, "rows": len(ordered), "size": size}
    return json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" + b"".join(blobs) + texts


def decode(data: bytes, name: str, size: int) -> LayerTexts:
    """The rows of a file made by :func:`encode`, its shape checked (cheaply) against a release of *size* concepts."""
    from .compiled import read_header

    data, name = check_bytes(data, "data"), check_text(name, "file name", 4096)
    size = check_int(size, "size")
    header, at = read_header(data, name, FORMAT, "a file of other layers' texts")
    try:
        rows, labels = header["rows"], header["labels"]
        if type(rows) is not int or rows < 0 or not isinstance(labels, list):
            raise ValueError("a header without its rows and labels")
        if header["size"] != size:
            raise ValueError(f"made for a release of {header['size']} concepts, not {size}")
        sections = []
        for section, code in _ARRAYS:
            values = array(code)
            length = (rows + (section == "starts")) * values.itemsize
            blob = data[at : at + length]
            if len(blob) != length:
                raise ValueError(f"section {section!r} is cut short")
            values.frombytes(blob)
            if not _LITTLE:  # pragma: no cover - a big-endian machine
                values.byteswap()
            sections.append(values)
            at += length
        docs, label_numbers, starts = sections
        texts = data[at:]
        if rows and (docs[-1] >= size or max(label_numbers) >= len(labels)):
            raise ValueError("a row of a concept or label that does not exist")
        if starts[0] != 0 or starts[-1] != len(texts):
            raise ValueError("texts of the wrong length")
        if not all(map(le, docs, islice(docs, 1, None))):  # in C: no Python step per row
            raise ValueError("rows out of concept order")
        # The bounds of each text are checked row by row as rows are read (LayerTexts.get).
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise DataFileError(name, f"damaged texts of other layers: {exc}") from None
    return LayerTexts(docs, label_numbers, [str(label) for label in labels], starts, texts, name)


def read_layer_texts(kb: Classification) -> LayerTexts | dict[int, list[tuple[str, str]]]:
    """The texts of other layers the shipped release of *kb* indexes (``{}`` if none is shipped).

    Read on the first hit, from ``<release>.layers.bin.gz`` of the dataset
    ``icd10cm-search-index``, written by ``scripts/build_search.py``.
    """
    from .compiled import DATASET

    release = kb.shipped_release
    if release is None:
        return {}
    from ..datasets import describe, memo, names, read

    path = f"{DATASET}/{release}.layers.bin.gz"
    if DATASET not in names() or not any(f.path == path for f in describe(DATASET).files):
        return {}
    size = kb.store.size
    return memo(DATASET, f"{release}:layers", lambda: decode(read(DATASET, path), path, size))
