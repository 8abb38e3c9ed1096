"""Finding a term in an index or table from what a person types.

Matching forgives case, accents, punctuation, plurals and the
non-essential modifiers: words are lower-cased, split on anything that is
not a letter or digit, and reduced to a crude singular (``'lungs'`` ->
``'lung'``, ``'arteries'`` -> ``'artery'``), the same way on both sides. A
term answers to its whole title, to each comma-separated alternative of it
(``'Fall, falling'`` answers to ``'fall'`` and ``'falling'``), to its title
without a trailing ``NEC``/``NOS``, and to its title with the modifier.

A query is a sequence of words matched down the tree: main term, then
subterm, then sub-subterm (``'fall from ladder'`` is *Fall, falling* >
*from, off, out of* > *ladder*). Commas in the query are optional. Small
linking words (``of``, ``the``, ...) may be skipped between terms. When no
path from the top matches, a term anywhere in the table whose title is the
whole query is accepted if it is the only one.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..arguments import check_text
from ..errors import InvalidArgumentError
from .errors import AmbiguousTermError, UnknownTermError
from .reader import IndexFile, IndexTerm

__all__ = ["MAX_TERM", "Matcher", "check_query", "words"]

_WORD = re.compile(r"[a-z0-9]+")
_SKIPPABLE = frozenset({"of", "the", "a", "an", "by", "with", "in", "on", "and"})
_TRAILING = ("nec", "nos")
_MAX_WORDS = 40
#: The longest term (or level of a term) a look-up takes.
MAX_TERM = 1000
_MAX_STEPS = 50_000
_MAX_SKIPPED = 3
_MAX_CANDIDATES = 12

Key = tuple[str, ...]
Path = tuple[IndexTerm, ...]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> Key:
    """The normalised words of *text*.

    Examples
    --------
    >>> words("Fall, falling (accidental)")
    ('fall', 'falling', 'accidental')
    >>> words("Arteries")
    ('artery',)
    """
    return _words(check_text(text, "text"))


def _words(text: str) -> Key:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return tuple(_singular(w) for w in _WORD.findall(folded) if w != "s")


def keys(term: IndexTerm) -> tuple[tuple[Key, int], ...]:
    """Every word sequence that *term* answers to, with a rank (0 best; see the module docstring).

    Examples
    --------
    >>> from icd10kb.tables.reader import IndexTerm
    >>> keys(IndexTerm("Fall, falling", "(accidental)", "Fall, falling (accidental)"))
    ((('fall', 'falling'), 0), (('fall', 'falling', 'accidental'), 1), (('fall',), 2), (('falling',), 2))
    """
    candidates = [(_words(term.title), 0), (_words(term.display), 1)]
    candidates += [(_words(alt), 2) for alt in term.title.split(",")]
    for key, rank in list(candidates):
        if len(key) > 1 and key[-1] in _TRAILING:
            candidates.append((key[:-1], rank + 1))
    found: dict[Key, int] = {}
    for key, rank in candidates:
        if key and key not in found:
            found[key] = rank
    return tuple(found.items())


def name(path: Sequence[IndexTerm]) -> str:
    """A path written as a coder writes it: titles joined by ', '."""
    return ", ".join(t.title for t in path)


def label(path: Sequence[IndexTerm]) -> str:
    """Like :func:`name`, the last term as printed (with its modifier), to tell entries apart."""
    return ", ".join([t.title for t in path[:-1]] + [path[-1].display]) if path else ""


@dataclass
class _Search:
    query: Key
    steps: int = 0
    found: list[tuple[int, int, int, Path]] = field(default_factory=list)
    deepest: tuple[int, Path] = (0, ())


class Matcher:
    """Resolves queries against one index file (built once per table)."""

    def __init__(self, index: IndexFile, label: str, roots: Sequence[IndexTerm] | None = None) -> None:
        self.index = index
        self.label = label
        self.roots: tuple[IndexTerm, ...] = tuple(index.terms if roots is None else roots)
        self.prefix: Path = () if roots is None else (index.terms[0],)
        self.first: dict[str, list[tuple[Key, int, IndexTerm]]] = {}
        self.displays: dict[str, list[IndexTerm]] = {}
        self.titles: dict[str, list[IndexTerm]] = {}
        for term in self.roots:
            self.displays.setdefault(term.display, []).append(term)
            self.titles.setdefault(term.title, []).append(term)
            for key, rank in keys(term):
                self.first.setdefault(key[0], []).append((key, rank, term))
        self.anywhere: dict[Key, list[Path]] = {}
        for path, term in index.walk():
            full = (*path, term)
            for key, _ in keys(term):
                self.anywhere.setdefault(key, []).append(full)
        self._titles: dict[str, str] | None = None

    def resolve(self, query: object) -> Path:
        """The path of terms that *query* names, main term first.

        *query* is a string (commas optional) or a sequence of strings, one
        per level.

        Raises
        ------
        InvalidArgumentError
            If *query* is not text, is empty or is too long.
        UnknownTermError
            If no term matches, with close terms as suggestions.
        AmbiguousTermError
            If the words name several different entries equally well (give
            the modifier or more of the path), or if only a search anywhere in
            the table found the term, at several places.
        """
        query = check_query(query)
        text = query if isinstance(query, str) else ", ".join(query)
        if not isinstance(query, str):
            levels = self._levels(query)
            if levels is not None:
                return levels
        else:
            exact = self._top(query, query.strip())
            if exact is not None:
                return (*self.prefix, exact)
        ws = _words(text)
        if not ws:
            raise InvalidArgumentError(query, "a term needs at least one letter or digit", "term")
        if len(ws) > _MAX_WORDS:
            raise InvalidArgumentError(query, f"a term has at most {_MAX_WORDS} words", "term")
        ws = self._strip_prefix(ws)
        if not ws:
            return self.prefix
        search = _Search(ws)
        self._descend(search, None, 0, (), 0)
        if search.found:
            score = min(f[:3] for f in search.found)
            best = [f[3] for f in search.found if f[:3] == score]
            if len({label(p) for p in best}) > 1:  # the same words name different entries
                raise AmbiguousTermError(
                    query, self.label, tuple(label(self.prefix + p) for p in best[:_MAX_CANDIDATES])
                )
            return self.prefix + best[0]
        elsewhere = self.anywhere.get(ws, [])
        if len(elsewhere) == 1:
            return elsewhere[0]
        if elsewhere:
            raise AmbiguousTermError(query, self.label, tuple(label(p) for p in elsewhere[:_MAX_CANDIDATES]))
        consumed, partial = search.deepest
        if partial:
            rest = " ".join(ws[consumed:])
            options = {" ".join(k): c for c in partial[-1].terms for k, _ in keys(c)}
            close = difflib.get_close_matches(rest, list(options), n=5, cutoff=0.5)
            seen = list(dict.fromkeys(options[c].title for c in close))
            if not seen:
                seen = [c.title for c in partial[-1].terms[:8]]
            raise UnknownTermError(text, self.label, tuple(seen), name(self.prefix + partial))
        raise UnknownTermError(text, self.label, self.suggest(" ".join(ws)))

    def suggest(self, text: str, limit: int = 5) -> tuple[str, ...]:
        """Main terms (or top subterms) whose titles are close to *text*."""
        if self._titles is None:
            self._titles = {}
            for term in self.roots:
                for key, _ in keys(term):
                    self._titles.setdefault(" ".join(key), term.title)
        close = difflib.get_close_matches(text, list(self._titles), n=limit * 2, cutoff=0.6)
        starts = [k for k in self._titles if k.startswith(text)] if len(text) >= 3 else []
        return tuple(dict.fromkeys(self._titles[k] for k in [*close, *sorted(starts, key=len)]))[:limit]

    def _top(self, query: object, text: str) -> IndexTerm | None:
        """The main term printed exactly as *text* (with its modifier), else titled exactly so."""
        for found in (self.displays.get(text), self.titles.get(text)):
            if found:
                if len({t.display for t in found}) > 1:
                    raise AmbiguousTermError(query, self.label, tuple(label((*self.prefix, t)) for t in found))
                return found[0]
        return None

    @staticmethod
    def _exact(terms: Sequence[IndexTerm], text: str) -> IndexTerm | None:
        """The term whose title or display is exactly *text* (case and all), if any."""
        for term in terms:
            if text in (term.title, term.display):
                return term
        return None

    def _levels(self, query: Sequence[str]) -> Path | None:
        """A sequence of terms, one per level: each must be a term's title, exactly or by its words.

        Entries printed alike at one level (*Carbamate (insecticide)*, *Carbamate
        (sedative)*) are told apart by the levels below them when they can be.
        """
        parts = [p.strip() for p in query]
        if self.prefix and parts and _words(parts[0]) in [k for k, _ in keys(self.prefix[0])]:
            parts = parts[1:]
        if not parts:
            return None
        paths = [p for p in self._below(self.roots, parts) if p]
        if not paths:
            return None
        if len({label(p) for p in paths}) > 1:  # entries printed alike: the levels below did not decide
            raise AmbiguousTermError(query, self.label, tuple(label(self.prefix + p) for p in paths[:_MAX_CANDIDATES]))
        return self.prefix + paths[0]

    @staticmethod
    def _candidates(options: Sequence[IndexTerm], part: str) -> list[IndexTerm]:
        """The terms of one level that *part* names: printed exactly so, else titled so, else by words."""
        for attribute in ("display", "title"):
            found = [t for t in options if getattr(t, attribute) == part]
            if found:
                return found
        wanted = _words(part)
        ranked = sorted(
            ((r, i, t) for i, t in enumerate(options) for k, r in keys(t) if k == wanted), key=lambda x: x[:2]
        )
        return [t for r, _, t in ranked if r == ranked[0][0]] if ranked else []

    def _below(self, options: Sequence[IndexTerm], parts: list[str]) -> list[Path]:
        if not parts:
            return [()]
        if options is self.roots and parts[0] in self.displays:
            first = self.displays[parts[0]]
        elif options is self.roots and parts[0] in self.titles:
            first = self.titles[parts[0]]
        else:
            first = self._candidates(options, parts[0])
        return [
            (term, *rest) for term in {id(t): t for t in first}.values() for rest in self._below(term.terms, parts[1:])
        ]

    def _strip_prefix(self, ws: Key) -> Key:
        for term in self.prefix:
            for key in sorted((k for k, _ in keys(term)), key=len, reverse=True):
                if ws[: len(key)] == key:
                    return ws[len(key) :]
        return ws

    def _descend(
        self, search: _Search, term: IndexTerm | None, at: int, path: Path, skipped: int, rank: int = 0
    ) -> None:
        """Match the words from *at* on below *term*; a skipped word must be followed by a term."""
        search.steps += 1
        if search.steps > _MAX_STEPS:
            return
        ws = search.query
        if path and at > search.deepest[0]:
            search.deepest = (at, path)
        if at == len(ws):
            if path:
                search.found.append((skipped, rank, len(path), path))
            return
        if skipped > _MAX_SKIPPED:
            return
        if term is None:
            options = self.first.get(ws[at], [])
        else:
            options = [(k, r, c) for c in term.terms for k, r in keys(c) if k[0] == ws[at]]
        for key, key_rank, child in options:
            if ws[at : at + len(key)] == key:
                self._descend(search, child, at + len(key), (*path, child), skipped, rank + key_rank)
        if ws[at] in _SKIPPABLE and at + 1 < len(ws):  # never the last word: that must name a term
            self._descend(search, term, at + 1, path, skipped + 1, rank)


def check_query(query: object) -> str | tuple[str, ...]:
    """*query* as a plain str, or a tuple of plain str (one per level), else :class:`InvalidArgumentError`.

    A term is at most :data:`MAX_TERM` characters and a path at most :data:`_MAX_WORDS` levels.

    Examples
    --------
    >>> check_query(["Fall", "from"])
    ('Fall', 'from')
    """
    if isinstance(query, str):
        return check_text(query, "term", MAX_TERM)
    levels = None
    if isinstance(query, list):
        levels = list.__getitem__(query, slice(0, _MAX_WORDS + 1))  # the list's own items, whatever a subclass does
    elif isinstance(query, tuple):
        levels = list(tuple.__getitem__(query, slice(0, _MAX_WORDS + 1)))
    if not levels or len(levels) > _MAX_WORDS or not all(isinstance(q, str) for q in levels):
        raise InvalidArgumentError(
            query, f"a term is a string or a sequence of at most {_MAX_WORDS} strings, one per level", "term"
        )
    return tuple(check_text(q, "term", MAX_TERM) for q in levels)
