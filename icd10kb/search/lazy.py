"""The compiled index of a shipped release, read word by word, with texts laid over it.

:class:`CompiledPostings` answers what :class:`~icd10kb.search.postings.BuiltPostings`
answers, from the arrays of :mod:`icd10kb.search.compiled`: a word's
postings are decoded the first time a query asks for it, its inverse
document frequency and gains computed then; a query word it does not know
is corrected by trying one more character at each place. The knowledge and added texts (a few
hundred at most) are indexed when the index is made and merged into each
word's postings as it is decoded, exactly as the builder merges them.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from ..errors import DataFileError
from .postings import Overlay, Texts
from .text import MAX_WORD

__all__ = ["CompiledPostings"]

NameRow = tuple[tuple[str, ...], int, int]


class CompiledPostings:
    """Everything a search reads, from a compiled release and an overlay of texts."""

    def __init__(self, size: int, header: dict[str, Any], sections: dict[str, Any], overlay: Overlay) -> None:
        self._size = max(size, 1)
        self._s = sections
        self._vocabulary: list[str] = sections["words"]
        self._number = {w: i for i, w in enumerate(self._vocabulary)}
        self._where = f"{header['release']} search index"
        table = [1 / (1 + 0.05 * length) for length in range(256)]
        #: 1 / (1 + 0.05 × the number of essential words of the title), per concept.
        self.shortness = array("d", map(table.__getitem__, sections["lengths"]))
        texts = Texts()
        overlay.index(texts)
        self._overlay = texts.postings
        self._merged: dict[str, tuple[array[int], list[int]]] = {}
        self._gains: dict[str, array[float]] = {}
        self._alphabet: str | None = None  # every character of the vocabulary, made on first use
        starts = sections["starts"]
        self._extra_names: dict[str, list[NameRow]] = {}
        for name, doc, weight in dict.fromkeys(texts.named):
            if not all(self.has(w) for w in name):  # it holds a letter that is a stop word
                continue
            rarest = min(name, key=lambda w: (self._release_count(w, starts), w))
            self._extra_names.setdefault(rarest, []).append((tuple(sorted(name)), doc, weight))

    def _release_count(self, word: str, starts: Sequence[int]) -> int:
        i = self._number.get(word)
        return 0 if i is None else starts[i + 1] - starts[i]

    def has(self, word: str) -> bool:
        return word in self._number or word in self._overlay

    def _entry(self, word: str) -> tuple[array[int], list[int]]:
        entry = self._merged.get(word)
        if entry is not None:
            return entry
        i = self._number.get(word)
        if i is None:
            docs, weights = array("i"), []
        else:
            s = self._s
            start, end = s["starts"][i], s["starts"][i + 1]
            docs = array("i", accumulate(s["docs"][start:end]))
            weights = s["weights"][start:end].tolist()
            if docs and docs[-1] >= len(self.shortness):
                raise DataFileError(self._where, f"the postings of {word!r} name a concept out of range")
        extra = self._overlay.get(word)
        if extra:
            at = {doc: k for k, doc in enumerate(docs)}
            for doc, weight in extra.items():
                k = at.get(doc)
                if k is None:
                    docs.append(doc)
                    weights.append(weight)
                elif weights[k] < weight:
                    weights[k] = weight
        entry = self._merged.setdefault(word, (docs, weights))
        return entry

    def count(self, word: str) -> int:
        return len(self._entry(word)[0])

    def idf(self, word: str) -> float:
        return math.log(1 + self._size / len(self._entry(word)[0]))

    def docs(self, word: str) -> Sequence[int]:
        return self._entry(word)[0]

    def gains(self, word: str) -> Sequence[float]:
        gains = self._gains.get(word)
        if gains is None:
            docs, weights = self._entry(word)
            idf = self.idf(word)
            shortness = self.shortness
            gains = array("d", [weight * idf * shortness[doc] for doc, weight in zip(docs, weights)])
            gains = self._gains.setdefault(word, gains)
        return gains

    def names(self, word: str) -> Sequence[NameRow]:
        out: list[NameRow] = list(self._extra_names.get(word, ()))
        i = self._number.get(word)
        if i is not None:
            s = self._s
            vocabulary = self._vocabulary
            at = s["name_word_starts"][i]
            name_words, name_sizes, name_docs, name_weights = (
                s["name_words"], s["name_sizes"], s["name_docs"], s["name_weights"]
            )
            try:
                for k in range(s["name_starts"][i], s["name_starts"][i + 1]):
                    size, doc = name_sizes[k], name_docs[k]
                    if doc >= len(self.shortness) or at + size > len(name_words):
                        raise IndexError(doc)
                    out.append((tuple(vocabulary[n] for n in name_words[at : at + size]), doc, name_weights[k]))
                    at += size
            except IndexError:
                raise DataFileError(self._where, f"the names filed under {word!r} are out of range") from None
        return out

    def longer(self, word: str) -> Sequence[str]:
        """The vocabulary words (of four letters or more, not numbers) that give *word* by one deletion.

        Found by trying every character the vocabulary uses at every place in *word*: a few hundred
        look-ups, where a table of every deletion of every vocabulary word of that length would cost
        a fresh ``icd10kb search`` process more than the rest of the search.
        """
        if not 3 <= len(word) < MAX_WORD:  # the words have four letters or more, and none is that long
            return ()
        alphabet = self._alphabet
        if alphabet is None:
            characters = set("".join(self._vocabulary)).union(*self._overlay)
            alphabet = self._alphabet = "".join(sorted(characters))
        has, found = self.has, []
        for i in range(len(word) + 1):
            head, tail = word[:i], word[i:]
            for character in alphabet:
                longer = head + character + tail
                if has(longer) and not longer.isdigit() and longer not in found:
                    found.append(longer)
        return found
