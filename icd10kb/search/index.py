"""Finding codes from words.

``kb.search(text)`` ranks the concepts of the release by how well their
words match: official titles, the ``includes`` notes and inclusion terms
listed under codes, and the labels of attached knowledge (a disease's own
description, its symptoms and its causes). It tolerates case, word order,
plural and other simple endings, and small typos; a code typed as a query
comes first. Each hit says what matched.

Words. Every text is cut into words, folded to lower case without accents,
stripped of stop words (*of*, *the*, *other*, *NOS* …) and trimmed of common
endings: ``deposits`` and ``deposited`` become ``deposit``; ``fracture``,
``fractured`` and ``fractures`` become ``fractur``; ``lower`` is read as
``low``; ``non-diabetic`` stays one word. A query word that is not in the
vocabulary is replaced by the vocabulary words at most two edits away, found
through an index of one-character deletions; a word of the vocabulary is
never corrected.

Score. An inverted index maps each word to the concepts whose texts hold it,
with the weight of the best field that holds it: title 3, note (``includes``
note or inclusion term) 2, knowledge 1. A concept's score is the sum, over
the query's words, of that weight × the word's inverse document frequency
(half of it for a corrected word), plus a *name bonus* for the best of the
concept's names that the query holds whole: the name's weight × the summed
inverse document frequency of its words. The names of a concept are its
title, its notes and its knowledge label (not its symptoms or causes), each
cut down to its essential words: without the optional words in parentheses,
"unspecified", a trailing ", unspecified …" or ", site not specified", and
"not elsewhere classified". A term in square brackets is a name of its own
(``[AIDS]`` names B20); a text that says "other" names a residual class and
gives no name. Names weigh as their field, except a category's notes, which
weigh 3 like titles: they list the common names of a disease (I10 includes
"high blood pressure"). The score is then divided by 1 + 0.05 × the number
of essential words of the title, so that shorter titles come first.

Ranking: first the number of the query's words the concept holds, then the
score, then, on ties, the broader concept (a category before its codes, so
``J18`` before ``J18.9``), then the classification's order.

7th-character codes are reached through their base code (the hit's
``seventh_characters`` says how many there are). The index is built on first
use.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import Field

from ..classification.codes import normalize
from ..classification.models import Frozen
from ..errors import ICD10KBError, InvalidCodeError, check_limit
from .text import _words, deletions, essentials, fold, stem, words
from .text import names as names_in

if TYPE_CHECKING:
    from ..classification.core import Classification
    from ..knowledge.index import KnowledgeIndex

__all__ = ["Match", "SearchHit", "SearchIndex", "check_filters", "scope_position", "stem", "words"]

#: Field weights (a category's notes weigh ``NOTE + CATEGORY_NOTE``).
TITLE, NOTE, KNOWLEDGE = 3, 2, 1
CATEGORY_NOTE = 1
#: The weight of a word read as another (a typo).
CORRECTED = 0.5
_EXACT = 1e6  # the score that a code typed as the query gains
_COUNT = 1e7  # more than any score
MAX_QUERY = 500


class Match(Frozen):
    """One text of a hit that holds query words."""

    field: str = Field(description="Where the text stands: title, inclusion term, includes, or knowledge.")
    text: str = Field(description="The text itself.")
    words: tuple[str, ...] = Field(description="The query's words (as folded and trimmed) that it holds.")


class SearchHit(Frozen):
    """One result of a search."""

    code: str = Field(description="The concept's identifier.")
    title: str = Field(description="The concept's title.")
    score: float = Field(description="Relevance; higher is better. Comparable within one search only.")
    matched_words: int = Field(description="How many of the query's words the concept holds.")
    query_words: int = Field(description="How many words the query has (after folding).")
    matches: tuple[Match, ...] = Field(description="The texts that matched, best field first.")
    corrections: tuple[tuple[str, str], ...] = Field(
        default=(), description="Query words read as other words (typo, word): ('calcinossis', 'calcinosis')."
    )
    seventh_characters: int = Field(default=0, description="How many 7th-character codes lie below this code.")


class SearchIndex:
    """The inverted index of one knowledge base; see the module's description."""

    def __init__(self, kb: Classification, knowledge: KnowledgeIndex) -> None:
        self.kb = kb
        self.knowledge = knowledge
        store = kb.store
        notes = kb.notes_table()
        postings: dict[str, dict[int, int]] = {}
        named: list[tuple[frozenset[str], int, int]] = []
        self.lengths = array("H")

        def add(doc: int, text: str, weight: int, names: int | None) -> list[frozenset[str]]:
            """Index the words of *text*; file the names it gives with weight *names* (None: it names nothing)."""
            for word in _words(fold(text)):
                bucket = postings.setdefault(word, {})
                if bucket.get(doc, 0) < weight:
                    bucket[doc] = weight
            if names is None:
                return []
            found = essentials(text)
            named.extend((name, doc, names) for name in names_in(found, text))
            return found

        for position in range(store.size):
            title = add(position, store.base_title(position), TITLE, TITLE)
            self.lengths.append(min(len(title[0]), 65535))
            note = NOTE + (CATEGORY_NOTE if store.kinds[position] == "c" else 0)
            for text in self._notes(store.ids[position], notes):
                add(position, text, NOTE, note)
        self.known = frozenset(knowledge.codes)
        for code in knowledge.codes:
            ref = store.resolve(code)
            if ref is None or ref[1]:
                continue
            named_first = bool(knowledge.profile(code).label)
            for i, text in enumerate(self._knowledge_texts(code)):
                # The disease's own label (the first text) names it; its description, symptoms and causes do not.
                add(ref[0], text, KNOWLEDGE, KNOWLEDGE if i == 0 and named_first else None)
        size = max(store.size, 1)
        #: 1 / (1 + 0.05 × the number of essential words of the title), per concept.
        self.shortness = array("d", (1 / (1 + 0.05 * length) for length in self.lengths))
        self.idf = {w: math.log(1 + size / len(docs)) for w, docs in postings.items()}
        self.docs = {w: array("i", d.keys()) for w, d in postings.items()}
        # What each word brings to each concept: weight × idf × shortness.
        shortness = self.shortness
        self.gains = {
            w: array("d", [weight * self.idf[w] * shortness[doc] for doc, weight in d.items()])
            for w, d in postings.items()
        }
        # Each name is filed under its rarest word: a query holding the whole name holds that word.
        # Names are kept as sorted tuples, shared when equal: a third of a frozenset's memory.
        self.names: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for name, doc, weight in dict.fromkeys(named):
            if not name <= postings.keys():  # it holds a letter that is a stop word ("influenza A")
                continue
            rarest = min(name, key=lambda w: (len(postings[w]), w))
            words_ = tuple(sorted(name))
            self.names.setdefault(rarest, []).append((shared.setdefault(words_, words_), doc, weight))
        self.deletions: dict[str, list[str]] = {}
        for word in postings:
            if len(word) >= 4 and not word.isdigit():
                for deleted in deletions(word):
                    self.deletions.setdefault(deleted, []).append(word)

    @staticmethod
    def _notes(code: str, notes: dict[str, dict[str, list[str]]]) -> list[str]:
        kinds = notes.get(code)
        return [*kinds.get("includes", ()), *kinds.get("inclusion_terms", ())] if kinds else []

    def _knowledge_texts(self, code: str) -> list[str]:
        profile = self.knowledge.profile(code)
        texts = [profile.label] if profile.label else []
        texts += list(profile.about)
        texts += [name for f in profile.symptoms + profile.causes for name in (f.label, *f.synonyms)]
        return texts

    def _expand(self, word: str) -> list[str]:
        """Vocabulary words for a query word: itself, or those at most two edits away."""
        if word in self.docs:
            return [word]
        if len(word) < 4 or word.isdigit():
            return []
        found: set[str] = set(self.deletions.get(word, ()))
        deleted = deletions(word)
        for d in deleted:
            if d in self.docs:
                found.add(d)
            found.update(self.deletions.get(d, ()))
        if len(word) >= 7 and not found:
            for d in deleted:
                for dd in deletions(d):
                    if dd in self.docs:
                        found.add(dd)
        return sorted(found, key=lambda w: (-len(self.docs[w]), w))[:5]

    def search(
        self,
        text: object,
        limit: int = 10,
        *,
        chapter: str | None = None,
        block: str | None = None,
        billable: bool | None = None,
    ) -> tuple[SearchHit, ...]:
        """Rank the concepts for *text*; see :meth:`icd10kb.kb.Classification.search`."""
        if not isinstance(text, str):
            raise InvalidCodeError(text, f"a string, not {type(text).__name__}", "search")
        check_limit(limit)
        if len(text) > MAX_QUERY:
            raise InvalidCodeError(text, f"at most {MAX_QUERY} characters", "search")
        check_filters(self.kb, billable=billable)
        store = self.kb.store
        scope = [
            self._scope(value, kind) for value, kind in ((chapter, "chapter"), (block, "block")) if value is not None
        ]
        wanted = list(dict.fromkeys(words(text)))
        # A concept's total is _COUNT × the query words it holds + its score (< _COUNT), so that
        # one number ranks by both; each vocabulary word counts once, for the first query word it serves.
        total: dict[int, float] = {}
        corrections: list[tuple[str, str]] = []
        worth: dict[str, float] = {}  # vocabulary word -> its weight in this query (idf, or a share of it)
        for word in sorted(wanted, key=lambda w: w not in self.docs):  # exact words first
            variants = [v for v in self._expand(word) if v not in worth]
            corrections += [(word, v) for v in variants if v != word]
            for v in variants:
                worth[v] = self.idf[v] * (1.0 if v == word else CORRECTED)
            if len(variants) == 1 and variants[0] == word:
                for doc, gain in zip(self.docs[word], self.gains[word]):
                    total[doc] = total.get(doc, 0.0) + _COUNT + gain
                continue
            best: dict[int, float] = {}  # a concept that holds several readings of a typo counts the best
            for v in variants:
                for doc, gain in zip(self.docs[v], self.gains[v]):
                    if gain * CORRECTED > best.get(doc, 0.0):
                        best[doc] = gain * CORRECTED
            for doc, gain in best.items():
                total[doc] = total.get(doc, 0.0) + _COUNT + gain
        held = worth.keys()
        bonus: dict[int, float] = {}
        for word in worth:
            for name, doc, weight in self.names.get(word, ()):
                if all(w in held for w in name):
                    value = weight * sum(worth[w] for w in name) * self.shortness[doc]
                    if value > bonus.get(doc, 0.0):
                        bonus[doc] = value
        for doc, value in bonus.items():
            total[doc] += value
        exact = self._exact_code(text)
        if exact is not None:
            total[exact] = _COUNT * (len(wanted) + 1) + total.get(exact, 0.0) % _COUNT + _EXACT
        depths = store.depths

        def order(docs: Iterable[int]) -> list[int]:
            return sorted(docs, key=lambda d: (-round(total[d], 4), depths[d], d))

        def keep(doc: int) -> bool:
            if billable is not None and store.is_billable((doc, "")) != billable:
                return False
            return all(top <= doc < store.ends[top] for top in scope)

        wide = limit * 4 + 20
        ranked = heapq.nlargest(2 * wide, total, key=total.__getitem__)
        if len(ranked) > wide:  # keep the first `wide`, and every concept that ties with the last of them
            floor = total[ranked[wide - 1]] - 1e-4
            whole = len(ranked) == 2 * wide and total[ranked[-1]] >= floor
            ranked = [d for d in (total if whole else ranked) if total[d] >= floor]
        picked = [d for d in order(ranked) if keep(d)][:limit]
        if len(picked) < limit and len(ranked) < len(total):
            picked = [d for d in order(total) if keep(d)][:limit]
        return tuple(self._hit(d, total[d], wanted, corrections) for d in picked)

    def _scope(self, value: object, kind: str) -> int:
        return scope_position(self.kb, value, kind)

    def _exact_code(self, text: str) -> int | None:
        try:
            ref = self.kb.store.resolve(normalize(text))
        except ICD10KBError:
            return None
        return ref[0] if ref is not None else None

    def _hit(self, doc: int, total: float, wanted: list[str], corrections: Iterable[tuple[str, str]]) -> SearchHit:
        count, score = divmod(total, _COUNT)
        store = self.kb.store
        code = store.ids[doc]
        terms = set(wanted) | {v for _, v in corrections}
        notes = self.kb.notes_table().get(code, {})
        texts = [("title", store.base_title(doc))]
        texts += [("includes", t) for t in notes.get("includes", ())]
        texts += [("inclusion term", t) for t in notes.get("inclusion_terms", ())]
        if code in self.known:
            texts += [("knowledge", t) for t in self._knowledge_texts(code)]
        matches = []
        for field, text in texts:
            held = tuple(w for w in dict.fromkeys(words(text)) if w in terms)
            if held:
                matches.append(Match(field=field, text=text, words=held))
        used = tuple((typo, word) for typo, word in dict.fromkeys(corrections) if any(word in m.words for m in matches))
        entry = store.seventh.get(doc)
        return SearchHit(
            code=code,
            title=store.base_title(doc),
            score=round(score, 4),
            matched_words=min(int(count), len(wanted)),
            query_words=len(wanted),
            matches=tuple(matches),
            corrections=used,
            seventh_characters=len(entry[0]) if entry else 0,
        )


def scope_position(kb: Classification, value: object, kind: str) -> int:
    """The position of the chapter or block *value*, or raise InvalidCodeError (CodeNotFoundError if unknown)."""
    store = kb.store
    ref = kb.ref(value)
    if ref[1] or store.kinds[ref[0]] != kind[0].upper():
        example = "'12'" if kind == "chapter" else "'L80-L99'"
        raise InvalidCodeError(
            value, f"{store.id_of(ref)} is a {store.kind(ref)}; a {kind} is such as {example}", what=kind
        )
    return ref[0]


def check_filters(kb: Classification, *, chapter: object = None, block: object = None, billable: object = None) -> None:
    """Check the filters of a search before any index is built; raise the errors of :meth:`SearchIndex.search`.

    Examples
    --------
    >>> check_filters(kb, chapter="L94")
    Traceback (most recent call last):
      ...
    icd10kb.errors.InvalidCodeError: 'L94' is not a valid chapter: L94 is a category; a chapter is such as '12'
    """
    if billable is not None and type(billable) is not bool:
        raise InvalidCodeError(billable, "billable is None, True or False", what="billable filter")
    for value, kind in ((chapter, "chapter"), (block, "block")):
        if value is not None:
            scope_position(kb, value, kind)
