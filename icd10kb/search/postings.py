"""The inverted index of the search, built from texts: the reference builder.

A search reads, for each word of the vocabulary, the concepts that hold it
(its *postings*) with what the word brings each of them (its *gains*), the
word's inverse document frequency, the names filed under it, and, for a
word it does not know, the vocabulary words one deletion away.
:class:`BuiltPostings` builds all of that from the texts at once: from the
titles and notes of the release, the clinical knowledge and any added
texts. It is how an index is made for official files read with
``load_tabular``, and the reference that the compiled index of a shipped
release (:mod:`icd10kb.search.compiled`) must equal, query for query.

Texts are added with :class:`Texts`, which both builders share: a text
gives its words to the postings with the weight of its field, and, unless
it names nothing, its names.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .text import _words, deletions, essentials, fold
from .text import names as names_in

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = [
    "CATEGORY_NOTE",
    "EXTRA",
    "KNOWLEDGE",
    "NOTE",
    "TITLE",
    "BuiltPostings",
    "Overlay",
    "Texts",
    "check_extra",
    "knowledge_records",
    "release_texts",
    "layer_shown",
    "layer_texts",
]

#: Field weights (a category's notes weigh ``NOTE + CATEGORY_NOTE``; an added text weighs ``EXTRA``).
TITLE, NOTE, KNOWLEDGE, EXTRA = 3, 2, 1, 2
CATEGORY_NOTE = 1

Name = tuple[frozenset[str], int, int]
#: A code's knowledge as search reads it: (code, whether its first text is its label, the texts).
KnowledgeRecord = tuple[str, bool, Sequence[str]]


class Texts:
    """Postings (word -> concept -> best weight) and names, filled text by text."""

    def __init__(self) -> None:
        self.postings: dict[str, dict[int, int]] = {}
        self.named: list[Name] = []

    def add(self, doc: int, text: str, weight: int, names: int | None) -> list[frozenset[str]]:
        """Index the words of *text*; file the names it gives with weight *names* (None: it names nothing)."""
        postings = self.postings
        for word in _words(fold(text)):
            bucket = postings.get(word)
            if bucket is None:
                bucket = postings[word] = {}
            if bucket.get(doc, 0) < weight:
                bucket[doc] = weight
        if names is None:
            return []
        found = essentials(text)
        self.named.extend((name, doc, names) for name in names_in(found, text))
        return found


def layer_texts(kb: Classification) -> list[tuple[str, str, str]]:
    """What the other layers add to the search of a release: ``(code, text, label)``.

    HPO's layperson and exact synonyms of the phenotypes that name a code's
    condition (:func:`icd10kb.phenotypes.search_synonyms`) and the terms of the
    Drug, Neoplasm and External Cause tables (:func:`icd10kb.tables.index_terms`).
    For a shipped release they are indexed ahead of time with its titles and
    notes (``scripts/build_search.py``).
    """
    from ..phenotypes import search_synonyms
    from ..tables import index_terms

    out = [(s.code, s.text, f"HPO synonym ({s.synonym_type})") for s in search_synonyms(kb)]  # type: ignore[arg-type]
    out += [(e.code, e.text, f"index term ({e.table})") for e in index_terms(kb)]  # type: ignore[arg-type]
    return out


def layer_shown(kb: Classification, added: Sequence[tuple[str, str, str]]) -> dict[int, list[tuple[str, str]]]:
    """Per concept, the ``(label, text)`` pairs of *added* texts a hit lists (in the order they were added)."""
    added = check_extra(added)
    shown: dict[int, list[tuple[str, str]]] = {}
    for code, text, label in added:
        doc = _doc_of(kb, code)
        if doc is not None:
            shown.setdefault(doc, []).append((label, text))
    return shown


def release_texts(kb: Classification, added: Sequence[tuple[str, str, str]] = ()) -> tuple[Texts, array[int]]:
    """The titles and notes of the release (and *added* texts of other layers), indexed; and each title's length.

    The number of essential words of each title is the second value.
    """
    added = check_extra(added)
    store = kb.store
    notes = kb.notes_table()
    texts = Texts()
    lengths = array("H")
    for position in range(store.size):
        title = texts.add(position, store.base_title(position), TITLE, TITLE)
        lengths.append(min(len(title[0]), 65535))
        kinds = notes.get(store.ids[position])
        if kinds:
            note = NOTE + (CATEGORY_NOTE if store.kinds[position] == "c" else 0)
            for text in (*kinds.get("includes", ()), *kinds.get("inclusion_terms", ())):
                texts.add(position, text, NOTE, note)
    for code, text, _ in added:
        doc = _doc_of(kb, code)
        if doc is not None:
            texts.add(doc, text, EXTRA, EXTRA)
    return texts, lengths


def knowledge_records(knowledge: object) -> list[KnowledgeRecord]:
    """What search reads of a :class:`~icd10kb.knowledge.index.KnowledgeIndex`, code by code.

    A code's texts are its label, its description, then its symptoms and
    causes with their synonyms; only the label names the code.
    """
    from ..knowledge.index import KnowledgeIndex

    if not isinstance(knowledge, KnowledgeIndex):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(knowledge, "knowledge_records() takes a KnowledgeIndex", "knowledge")
    out: list[KnowledgeRecord] = []
    for code in knowledge.codes:  # type: ignore[attr-defined]
        profile = knowledge.profile(code)  # type: ignore[attr-defined]
        texts = [profile.label] if profile.label else []
        texts += list(profile.about)
        texts += [name for f in profile.symptoms + profile.causes for name in (f.label, *f.synonyms)]
        out.append((code, bool(profile.label), texts))
    return out


class Overlay:
    """The texts laid over a release: clinical knowledge and added ``(code, text, label)`` texts.

    *entries* are ``(concept, text, weight, names weight or None)`` in the
    order they are indexed; *shown* holds, per concept, the ``(field,
    text)`` pairs a hit lists after its title and notes.
    """

    def __init__(
        self, kb: Classification, knowledge: Iterable[KnowledgeRecord], extra: Iterable[tuple[str, str, str]]
    ) -> None:
        store = kb.store
        self.entries: list[tuple[int, str, int, int | None]] = []
        self.shown: dict[int, list[tuple[str, str]]] = {}
        known: dict[str, Sequence[str]] = {}
        for code, named_first, texts in knowledge:
            known[code] = texts
            ref = store.resolve(code)
            if ref is None or ref[1]:
                continue
            for i, text in enumerate(texts):
                # The disease's own label (the first text) names it; its description, symptoms and causes do not.
                self.entries.append((ref[0], text, KNOWLEDGE, KNOWLEDGE if i == 0 and named_first else None))
        for doc in {e[0] for e in self.entries}:
            if store.ids[doc] in known:
                self.shown[doc] = [("knowledge", t) for t in known[store.ids[doc]]]
        for code, text, label in extra:
            found = _doc_of(kb, code)
            if found is not None:
                self.entries.append((found, text, EXTRA, EXTRA))
                self.shown.setdefault(found, []).append((label, text))

    def index(self, texts: Texts) -> None:
        """Add the overlay's texts to *texts*."""
        for doc, text, weight, names in self.entries:
            texts.add(doc, text, weight, names)


def _doc_of(kb: Classification, code: str) -> int | None:
    """The concept an added text is filed under: its code's, or a 7th-character code's base code; None if unknown."""
    from ..classification.codes import normalize
    from ..errors import ICD10KBError

    try:
        ref = kb.store.resolve(normalize(code))
    except ICD10KBError:
        return None
    return None if ref is None else ref[0]


def check_extra(extra: object) -> list[tuple[str, str, str]]:
    """The added texts as a list of ``(code, text, label)`` strings, or raise InvalidArgumentError."""
    from ..errors import InvalidArgumentError

    if not isinstance(extra, (list, tuple)):
        raise InvalidArgumentError(extra, "extra is a list of (code, text, label) tuples", "extra")
    rows = list(extra)
    for row in rows:
        if not (isinstance(row, tuple) and len(row) == 3 and all(type(v) is str for v in row)):
            raise InvalidArgumentError(row, "each added text is a (code, text, label) tuple of strings", "extra")
        if not row[2].strip() or len(row[2]) > 100:
            raise InvalidArgumentError(row, "a label is a non-empty string of at most 100 characters", "extra")
    return rows  # type: ignore[no-any-return]


class BuiltPostings:
    """Everything a search reads, built from the texts at once (the reference)."""

    def __init__(self, kb: Classification, overlay: Overlay, added: Sequence[tuple[str, str, str]] = ()) -> None:
        store = kb.store
        texts, self.lengths = release_texts(kb, added)
        if added:  # concepts in ascending order, as the compiled file holds them; the overlay's come after
            for word, docs in texts.postings.items():
                texts.postings[word] = dict(sorted(docs.items()))
        overlay.index(texts)
        postings = texts.postings
        size = max(store.size, 1)
        #: 1 / (1 + 0.05 × the number of essential words of the title), per concept.
        self.shortness = array("d", (1 / (1 + 0.05 * length) for length in self.lengths))
        self._idf = {w: math.log(1 + size / len(docs)) for w, docs in postings.items()}
        self._docs = {w: array("i", d.keys()) for w, d in postings.items()}
        # What each word brings to each concept: weight × idf × shortness.
        shortness = self.shortness
        self._gains = {
            w: array("d", [weight * self._idf[w] * shortness[doc] for doc, weight in d.items()])
            for w, d in postings.items()
        }
        # Each name is filed under its rarest word: a query holding the whole name holds that word.
        self._names: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for name, doc, weight in dict.fromkeys(texts.named):
            if not name <= postings.keys():  # it holds a letter that is a stop word ("influenza A")
                continue
            rarest = min(name, key=lambda w: (len(postings[w]), w))
            words_ = tuple(sorted(name))
            self._names.setdefault(rarest, []).append((shared.setdefault(words_, words_), doc, weight))
        self._deletions: dict[str, list[str]] = {}
        for word in postings:
            if len(word) >= 4 and not word.isdigit():
                for deleted in deletions(word):
                    self._deletions.setdefault(deleted, []).append(word)

    def has(self, word: str) -> bool:
        return word in self._docs

    def count(self, word: str) -> int:
        return len(self._docs[word])

    def idf(self, word: str) -> float:
        return self._idf[word]

    def docs(self, word: str) -> Sequence[int]:
        return self._docs[word]

    def gains(self, word: str) -> Sequence[float]:
        return self._gains[word]

    def names(self, word: str) -> Sequence[tuple[tuple[str, ...], int, int]]:
        return self._names.get(word, ())

    def longer(self, word: str) -> Sequence[str]:
        """The vocabulary words (of four letters or more, not numbers) that give *word* by one deletion."""
        return self._deletions.get(word, ())
