"""Finding codes from words.

``kb.search(text)`` ranks the concepts of the release by how well their
words match: official titles, inclusion terms, and the labels of attached
knowledge (a disease's own description, its symptoms and its causes). It
tolerates case, word order, plural and other simple endings, and small
typos; a code typed as a query comes first. Each hit says what matched.

How it works: every text is cut into words, folded to lower case without
accents and trimmed of common endings (``deposits`` and ``deposited`` both
become ``deposit``). An inverted index maps each word to the concepts whose
texts hold it, with the weight of the field (title 3, inclusion term 2,
knowledge 1). A query word that is not in the vocabulary is replaced by the
vocabulary words at most two edits away, found through an index of
one-character deletions. Concepts are ranked first by how many of the
query's words they match, then by the sum of field weight × inverse
document frequency, shorter titles first on ties. 7th-character codes are
reached through their base code (the hit's ``seventh_characters`` says how
many there are). The index is built on first use.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import Field

from .codes import normalize
from .errors import ICD10KBError, InvalidCodeError, check_limit
from .knowledge_models import Frozen

if TYPE_CHECKING:
    from .kb import KnowledgeBase

__all__ = ["Match", "SearchHit", "SearchIndex", "stem", "words"]

#: Field weights.
TITLE, INCLUSION, KNOWLEDGE = 3, 2, 1
_FIELD_NAMES = {TITLE: "title", INCLUSION: "inclusion term", KNOWLEDGE: "knowledge"}
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an and as at by for from in into is of on or the to with without due other nos".split())
MAX_QUERY = 500


class Match(Frozen):
    """One text of a hit that holds query words."""

    field: str = Field(description="Where the text stands: title, inclusion term, or knowledge.")
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


def stem(word: str) -> str:
    """Trim the common English endings of a folded word.

    Examples
    --------
    >>> [stem(w) for w in ("deposits", "deposited", "calcinosis", "arteries", "bleeding")]
    ['deposit', 'deposit', 'calcinosis', 'artery', 'bleed']
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The searchable words of *text*: folded, trimmed, without stop words.

    Examples
    --------
    >>> words("Calcium deposits in the Skin")
    ['calcium', 'deposit', 'skin']
    """
    return [stem(w) for w in _WORD.findall(_fold(text)) if w not in _STOP]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class SearchIndex:
    """The inverted index of one knowledge base; see the module's description."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        store = kb._store
        notes = kb._notes_table()
        knowledge = kb.knowledge_index
        postings: dict[str, dict[int, int]] = {}
        self.lengths = array("H")

        def add(doc: int, text: str, weight: int) -> None:
            for word in words(text):
                bucket = postings.setdefault(word, {})
                if bucket.get(doc, 0) < weight:
                    bucket[doc] = weight

        for position in range(store.size):
            title = store.base_title(position)
            add(position, title, TITLE)
            self.lengths.append(min(len(words(title)), 65535))
            for term in notes.get(store.ids[position], {}).get("inclusion_terms", ()):
                add(position, term, INCLUSION)
        for code in knowledge.codes:
            ref = store.resolve(code)
            if ref is None or ref[1]:
                continue
            for text in self._knowledge_texts(code):
                add(ref[0], text, KNOWLEDGE)
        total = max(store.size, 1)
        self.idf = {w: math.log(1 + total / len(docs)) for w, docs in postings.items()}
        self.docs = {w: array("i", d.keys()) for w, d in postings.items()}
        self.weights = {w: bytes(d.values()) for w, d in postings.items()}
        self.deletions: dict[str, list[str]] = {}
        for word in postings:
            if len(word) >= 4 and not word.isdigit():
                for deleted in _deletions(word):
                    self.deletions.setdefault(deleted, []).append(word)

    def _knowledge_texts(self, code: str) -> list[str]:
        profile = self.kb.knowledge_index.profile(code)
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
        deleted = _deletions(word)
        for d in deleted:
            if d in self.docs:
                found.add(d)
            found.update(self.deletions.get(d, ()))
        if len(word) >= 7 and not found:
            for d in deleted:
                for dd in _deletions(d):
                    if dd in self.docs:
                        found.add(dd)
        return sorted(found, key=lambda w: -len(self.docs[w]))[:5]

    def search(
        self,
        text: object,
        limit: int = 10,
        *,
        chapter: str | None = None,
        block: str | None = None,
        billable: bool | None = None,
    ) -> tuple[SearchHit, ...]:
        """Rank the concepts for *text*; see :meth:`icd10kb.kb.KnowledgeBase.search`."""
        if not isinstance(text, str):
            raise InvalidCodeError(text, f"a search is a string, not {type(text).__name__}")
        check_limit(limit)
        if len(text) > MAX_QUERY:
            raise InvalidCodeError(text, f"a search is at most {MAX_QUERY} characters")
        kb, store = self.kb, self.kb._store
        scope = [kb.normalize(s) for s in (chapter, block) if s is not None]
        wanted = list(dict.fromkeys(words(text)))
        scores: dict[int, float] = {}
        counts: dict[int, int] = {}
        corrections: list[tuple[str, str]] = []
        for word in wanted:
            seen: set[int] = set()
            for variant in self._expand(word):
                if variant != word:
                    corrections.append((word, variant))
                idf = self.idf[variant] * (1.0 if variant == word else 0.8)
                for doc, weight in zip(self.docs[variant], self.weights[variant]):
                    scores[doc] = scores.get(doc, 0.0) + weight * idf
                    if doc not in seen:
                        seen.add(doc)
                        counts[doc] = counts.get(doc, 0) + 1
        exact = self._exact_code(text)
        if exact is not None:
            scores[exact] = scores.get(exact, 0.0) + 1e6
            counts[exact] = len(wanted) + 1
        lengths = self.lengths

        def keep(doc: int) -> bool:
            ref = (doc, "")
            if billable is not None and store.is_billable(ref) != billable:
                return False
            return all(store.ids[doc] == s or kb.is_ancestor(s, store.ids[doc]) for s in scope)

        ranked = heapq.nlargest(
            limit * 4 + 20, scores, key=lambda d: (counts[d], scores[d] / (1 + 0.05 * lengths[d]), -d)
        )
        picked = [d for d in ranked if keep(d)][:limit]
        if len(picked) < limit and len(ranked) < len(scores):
            rest = sorted(scores, key=lambda d: (-counts[d], -scores[d] / (1 + 0.05 * lengths[d]), d))
            picked = [d for d in rest if keep(d)][:limit]
        return tuple(self._hit(d, scores[d], counts[d], wanted, corrections) for d in picked)

    def _exact_code(self, text: str) -> int | None:
        try:
            ref = self.kb._store.resolve(normalize(text))
        except ICD10KBError:
            return None
        return ref[0] if ref is not None else None

    def _hit(
        self, doc: int, score: float, count: int, wanted: list[str], corrections: Iterable[tuple[str, str]]
    ) -> SearchHit:
        store = self.kb._store
        code = store.ids[doc]
        terms = set(wanted) | {v for _, v in corrections}
        texts = [(TITLE, store.base_title(doc))]
        texts += [(INCLUSION, t) for t in self.kb._notes_table().get(code, {}).get("inclusion_terms", ())]
        texts += [(KNOWLEDGE, t) for t in self._knowledge_texts(code)]
        matches = []
        for weight, text in texts:
            held = tuple(w for w in dict.fromkeys(words(text)) if w in terms)
            if held:
                matches.append(Match(field=_FIELD_NAMES[weight], text=text, words=held))
        used = tuple((typo, word) for typo, word in dict.fromkeys(corrections) if any(word in m.words for m in matches))
        entry = store.seventh.get(doc)
        return SearchHit(
            code=code,
            title=store.base_title(doc),
            score=round(score, 4),
            matched_words=min(count, len(wanted)),
            query_words=len(wanted),
            matches=tuple(matches),
            corrections=used,
            seventh_characters=len(entry[0]) if entry else 0,
        )
