"""Finding codes from words.

``kb.search(text)`` ranks the concepts of the release by how well their
words match: official titles, the ``includes`` notes and inclusion terms
listed under codes, and the labels of attached knowledge (a disease's own
description, its symptoms and its causes). It tolerates case, word order,
plural and other simple endings, and small typos. A code typed as the
query gives that code, then its parent, children and siblings
(:mod:`icd10kb.search.related`). Each hit says what matched. Other layers
may add texts to find codes by (``extra``: layperson synonyms, index terms).

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
note or inclusion term) 2, added text 2, knowledge 1. A concept's score is the sum, over
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
``seventh_characters`` says how many there are).

Where the index comes from. For a shipped release, the titles and notes are
indexed ahead of time (:mod:`icd10kb.search.compiled`, read word by word by
:mod:`icd10kb.search.lazy`), so a search in a fresh process reads a file
instead of indexing 98,000 texts; the knowledge and added texts are laid
over it. For official files read with ``load_tabular`` the index is built
from the texts on first use (:mod:`icd10kb.search.postings`), which is also
the reference the compiled index is tested against, query for query.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..classification.codes import normalize
from ..errors import ICD10KBError, InvalidCodeError, check_limit
from .hits import Match, SearchHit
from .postings import BuiltPostings, Overlay, check_extra, knowledge_records, layer_shown, layer_texts
from .related import code_query, related_hits
from .text import deletions, stem, words

if TYPE_CHECKING:
    from ..classification.core import Classification
    from ..knowledge.index import KnowledgeIndex
    from .layerfile import LayerTexts

__all__ = ["Match", "SearchHit", "SearchIndex", "check_filters", "scope_position", "stem", "words"]

#: The weight of a word read as another (a typo).
CORRECTED = 0.5
_EXACT = 1e6  # the score that a code typed as the query gains
_COUNT = 1e7  # more than any score
MAX_QUERY = 500


class SearchIndex:
    """The inverted index of one knowledge base; see the module's description.

    Parameters
    ----------
    kb:
        The classification to search.
    knowledge:
        The clinical knowledge whose texts are searched too; None for the
        built-in knowledge packs as compiled with a shipped release (none
        for official files read with ``load_tabular``).
    extra:
        More texts to find codes by, as ``(code, text, label)`` tuples, such
        as ``("I21.9", "heart attack", "HPO synonym (layperson)")``: each is
        indexed as a name of the code, weighing as a note, and a hit lists
        it under its label. A 7th-character code's text goes to its base
        code; texts of codes the release lacks are left out.
    compiled:
        Read the titles and notes of a shipped release from its compiled
        index (the default); False builds them from the texts, as for
        official files (the reference the compiled index is tested against).

    Examples
    --------
    >>> index = SearchIndex(kb, None, extra=[("L94.2", "chalky lumps under the skin", "my label")])
    >>> hit = index.search("chalky lumps", 1)[0]
    >>> hit.code, [(m.field, m.text) for m in hit.matches][-1]
    ('L94.2', ('my label', 'chalky lumps under the skin'))
    """

    def __init__(
        self,
        kb: Classification,
        knowledge: KnowledgeIndex | None = None,
        *,
        extra: Iterable[tuple[str, str, str]] = (),
        compiled: bool = True,
    ) -> None:
        from .compiled import read_compiled

        if type(compiled) is not bool:
            from ..errors import InvalidArgumentError

            raise InvalidArgumentError(compiled, "compiled is True or False", "compiled")
        added = check_extra(extra)
        setattr_ = object.__setattr__  # the index is shared by every thread: it cannot be changed once made
        setattr_(self, "kb", kb)
        found = read_compiled(kb)
        if knowledge is not None:
            records = knowledge_records(knowledge)
        else:
            records = [(c, bool(n), t) for c, n, t in found[0]["knowledge"]] if found is not None else []
        overlay = Overlay(kb, records, added)
        setattr_(self, "_overlay", overlay)
        #: The texts of other layers (HPO synonyms, index terms) that a shipped release indexes with its own,
        #: read with the first hit from a compiled index.
        setattr_(self, "_layer_shown", None)
        if compiled and found is not None:
            from .lazy import CompiledPostings

            setattr_(self, "postings", CompiledPostings(kb.store.size, found[0], found[1], overlay))
        else:
            layers = layer_texts(kb) if kb.shipped_release is not None else []
            setattr_(self, "_layer_shown", layer_shown(kb, layers))
            setattr_(self, "postings", BuiltPostings(kb, overlay, layers))

    postings: Any
    _layer_shown: LayerTexts | dict[int, list[tuple[str, str]]] | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a SearchIndex cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a SearchIndex cannot be changed (tried to delete {name!r})")

    def _expand(self, word: str) -> list[str]:
        """Vocabulary words for a query word: itself, or those at most two edits away."""
        p = self.postings
        if p.has(word):
            return [word]
        if len(word) < 4 or word.isdigit():
            return []
        found: set[str] = set(p.longer(word))
        deleted = deletions(word)
        for d in deleted:
            if p.has(d):
                found.add(d)
            found.update(p.longer(d))
        if len(word) >= 7 and not found:
            for d in deleted:
                for dd in deletions(d):
                    if p.has(dd):
                        found.add(dd)
        return sorted(found, key=lambda w: (-p.count(w), w))[:5]

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
            raise InvalidCodeError(text, f"a string, not {type(text).__name__}", "search")
        check_limit(limit)
        if len(text) > MAX_QUERY:
            raise InvalidCodeError(text, f"at most {MAX_QUERY} characters", "search")
        check_filters(self.kb, billable=billable)
        store = self.kb.store
        scope = [
            scope_position(self.kb, value, kind)
            for value, kind in ((chapter, "chapter"), (block, "block"))
            if value is not None
        ]

        def kept(ref: tuple[int, str]) -> bool:
            if billable is not None and store.is_billable(ref) != billable:
                return False
            return all(top <= ref[0] < store.ends[top] for top in scope)

        def keep(doc: int) -> bool:
            return kept((doc, ""))

        wanted = list(dict.fromkeys(words(text)))
        typed = code_query(store, text)
        if typed is not None:  # a code: it, then its parent, children and siblings
            return related_hits(self.kb, typed, wanted, limit, kept, self._related_hit)
        p = self.postings
        # A concept's total is _COUNT × the query words it holds + its score (< _COUNT), so that
        # one number ranks by both; each vocabulary word counts once, for the first query word it serves.
        total: dict[int, float] = {}
        corrections: list[tuple[str, str]] = []
        worth: dict[str, float] = {}  # vocabulary word -> its weight in this query (idf, or a share of it)
        for word in sorted(wanted, key=lambda w: not p.has(w)):  # exact words first
            variants = [v for v in self._expand(word) if v not in worth]
            corrections += [(word, v) for v in variants if v != word]
            for v in variants:
                worth[v] = p.idf(v) * (1.0 if v == word else CORRECTED)
            if len(variants) == 1 and variants[0] == word:
                for doc, gain in zip(p.docs(word), p.gains(word)):
                    total[doc] = total.get(doc, 0.0) + _COUNT + gain
                continue
            best: dict[int, float] = {}  # a concept that holds several readings of a typo counts the best
            for v in variants:
                for doc, gain in zip(p.docs(v), p.gains(v)):
                    if gain * CORRECTED > best.get(doc, 0.0):
                        best[doc] = gain * CORRECTED
            for doc, gain in best.items():
                total[doc] = total.get(doc, 0.0) + _COUNT + gain
        held = worth.keys()
        bonus: dict[int, float] = {}
        shortness = p.shortness
        for word in worth:
            for name, doc, weight in p.names(word):
                if all(w in held for w in name):
                    value = weight * sum(worth[w] for w in name) * shortness[doc]
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

    def _exact_code(self, text: str) -> int | None:
        try:
            ref = self.kb.store.resolve(normalize(text))
        except ICD10KBError:
            return None
        return ref[0] if ref is not None else None

    def _texts(self, doc: int) -> list[tuple[str, str]]:
        """The texts of a concept a hit may list: title, notes, knowledge, added texts."""
        store = self.kb.store
        notes = self.kb.notes_table().get(store.ids[doc], {})
        texts = [("title", store.base_title(doc))]
        texts += [("includes", t) for t in notes.get("includes", ())]
        texts += [("inclusion term", t) for t in notes.get("inclusion_terms", ())]
        if self._layer_shown is None:  # read with the first hit: the compiled file of the release's layer texts
            from .layerfile import read_layer_texts

            object.__setattr__(self, "_layer_shown", read_layer_texts(self.kb))
        return texts + self._layer_shown.get(doc, []) + self._overlay.shown.get(doc, [])  # type: ignore[union-attr]

    def _hit(self, doc: int, total: float, wanted: list[str], corrections: Iterable[tuple[str, str]]) -> SearchHit:
        count, score = divmod(total, _COUNT)
        store = self.kb.store
        terms = set(wanted) | {v for _, v in corrections}
        matches = []
        for field, text in self._texts(doc):
            held = tuple(w for w in dict.fromkeys(words(text)) if w in terms)
            if held:
                matches.append(Match(field, text, held))
        used = tuple((typo, word) for typo, word in dict.fromkeys(corrections) if any(word in m.words for m in matches))
        entry = store.seventh.get(doc)
        return SearchHit(
            store.ids[doc],
            store.base_title(doc),
            round(score, 4),
            min(int(count), len(wanted)),
            len(wanted),
            tuple(matches),
            used,
            len(entry[0]) if entry else 0,
        )

    def _related_hit(
        self, ref: tuple[int, str], score: float, field: str, text: str, held: tuple[str, ...], query_words: int
    ) -> SearchHit:
        """A hit for a code reached from a code typed as the query (no word search)."""
        store = self.kb.store
        entry = store.seventh.get(ref[0]) if not ref[1] else None
        return SearchHit(
            store.id_of(ref),
            store.title(ref),
            score,
            len(held),
            query_words,
            (Match(field, text, held),),
            (),
            len(entry[0]) if entry else 0,
        )


def scope_position(kb: Classification, value: object, kind: str) -> int:
    """The position of the chapter or block *value*, or raise InvalidCodeError (CodeNotFoundError if unknown)."""
    from ..arguments import check_choice

    kind = check_choice(kind, ("chapter", "block"), "kind of scope")
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
