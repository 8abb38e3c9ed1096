"""The Human Phenotype Ontology (HPO 2025-01-16): terms, synonyms, obsolete ids and the is-a hierarchy.

:func:`ontology` returns the one :class:`Ontology` of the shipped release,
read from the compiled ``hpo-2025-01-16`` dataset on first use (the source,
``data/hpo/hp.obo.gz``, ships unchanged). Terms are :class:`Term` values;
every method that takes an HPO id checks it and raises
:class:`~icd10kb.phenotypes.errors.TermNotFoundError` for an unknown id and
:class:`~icd10kb.phenotypes.errors.ObsoleteTermError` (with HPO's replacement)
for an obsolete or secondary one. Words people type are resolved through
labels and synonyms by :meth:`Ontology.resolve`.

The hierarchy runs from the general to the specific: ``parents`` are more
general, ``descendants`` more specific. Information content comes from the
disease annotations of the same release (:mod:`icd10kb.phenotypes.annotations`).

Examples
--------
>>> hpo = ontology()
>>> hpo.term("HP:0001627").label
'Abnormal heart morphology'
>>> "HP:0000118" in hpo.ancestors("HP:0001250")
True
>>> hpo.resolve("heart attack").label
'Myocardial infarction'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .. import datasets
from ..errors import InvalidArgumentError
from .errors import ObsoleteTermError, TermNotFoundError, UnknownPhenotypeError

__all__ = ["HPO_DATASET", "ROOT", "Ontology", "Synonym", "Term", "check_term_id", "ontology"]

HPO_DATASET = "hpo-2025-01-16"
#: The root of the phenotypic abnormality sub-ontology.
ROOT = "HP:0000118"
_ID = re.compile(r"\s*HP[:_](\d{7})\s*", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_SCOPES = {"E": "EXACT", "R": "RELATED", "B": "BROAD", "N": "NARROW"}


@dataclass(frozen=True)
class Synonym:
    """A synonym of a term: its text, its scope (EXACT, RELATED, BROAD, NARROW) and its HPO type.

    ``type`` is ``"layperson"``, ``"abbreviation"``, ``"plural_form"``,
    ``"uk_spelling"``, ``"obsolete_synonym"``, ``"allelic_requirement"`` or
    empty when HPO gives none.
    """

    text: str
    scope: str
    type: str


@dataclass(frozen=True)
class Term:
    """An HPO term: its id, label, synonyms and parents (more general terms)."""

    id: str
    label: str
    synonyms: tuple[Synonym, ...]
    parents: tuple[str, ...]

    def synonyms_of(self, *, scope: str | None = None, type: str | None = None) -> tuple[str, ...]:
        """The synonym texts of a given scope and/or type (e.g. ``type="layperson"``)."""
        return tuple(
            s.text for s in self.synonyms if (scope is None or s.scope == scope) and (type is None or s.type == type)
        )


def check_term_id(value: object) -> str:
    """The normalised form ``HP:nnnnnnn`` of an HPO id, or an InvalidArgumentError.

    Examples
    --------
    >>> check_term_id("hp_0001250")
    'HP:0001250'
    """
    if isinstance(value, str):
        match = _ID.fullmatch(value)
        if match:
            return f"HP:{match.group(1)}"
    raise InvalidArgumentError(value, "an HPO id has the form HP:nnnnnnn (seven digits)", "HPO term")


def _fold(text: str) -> tuple[str, ...]:
    """Words of *text*, case-folded, a plural 's' trimmed."""
    return tuple(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in _WORD.findall(text.casefold())
    )


class Ontology:
    """The terms and is-a hierarchy of one HPO release (built by :func:`ontology`)."""

    def __init__(self, content: dict[str, Any]) -> None:
        self.version: str = content["version"].rsplit("/", 1)[-1]
        self._ids = [f"HP:{n:07d}" for n in content["ids"]]
        self._index = {t: i for i, t in enumerate(self._ids)}
        self._labels: list[str] = content["labels"]
        self._parents: list[tuple[int, ...]] = [tuple(p) for p in content["parents"]]
        children: list[list[int]] = [[] for _ in self._ids]
        for child, parents in enumerate(self._parents):
            for parent in parents:
                children[parent].append(child)
        self._children = [tuple(c) for c in children]
        self._synonyms: list[list[Synonym]] = [[] for _ in self._ids]
        for i, text, kind in content["synonyms"]:
            self._synonyms[i].append(Synonym(text, _SCOPES[kind[0]], kind[2:]))
        self._alt = {f"HP:{a:07d}": self._ids[i] for a, i in content["alt_ids"]}
        self._obsolete = {
            f"HP:{n:07d}": (label, tuple(f"HP:{r:07d}" for r in rep), tuple(f"HP:{c:07d}" for c in con))
            for n, label, rep, con in content["obsolete"]
        }
        self._ancestors: list[frozenset[int]] | None = None
        self._names: dict[str, list[tuple[int, int]]] | None = None
        self._words: dict[str, set[int]] | None = None

    # --- identifiers ---------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Any:
        return iter(self._ids)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and term in self._index

    @property
    def positions(self) -> Mapping[str, int]:
        """Read-only ``id -> position`` of the live terms (no checking: for hot loops over known ids)."""
        return MappingProxyType(self._index)

    def index(self, term: object) -> int:
        """The position of a live term (checked, see :meth:`check`)."""
        return self._index[self.check(term)]

    def check(self, term: object) -> str:
        """The id of a live term, normalised; raises for malformed, unknown, obsolete or secondary ids.

        Examples
        --------
        >>> ontology().check("hp:0001250")
        'HP:0001250'
        >>> try:
        ...     ontology().check("HP:0000624")
        ... except ObsoleteTermError as exc:
        ...     print(exc.replaced_by, str(exc).split(", ")[0])
        ('HP:0000286',) 'HP:0000624' is a secondary id of HP:0000286 (Epicanthus)
        """
        key = check_term_id(term)
        if key in self._index:
            return key
        if key in self._alt:
            primary = self._alt[key]
            reason = f"a secondary id of {primary} ({self.label(primary)}), merged into it; use {primary}"
            raise ObsoleteTermError(key, reason, (primary,))
        if key in self._obsolete:
            label, replaced, consider = self._obsolete[key]
            reason = f"obsolete in HPO {self.version} ({label!r})"
            if replaced:
                reason += "; HPO replaces it with " + ", ".join(f"{r} ({self.label(r)})" for r in replaced)
            elif consider:
                reason += "; HPO suggests considering " + ", ".join(f"{c} ({self.label(c)})" for c in consider)
            else:
                reason += "; HPO names no replacement"
            raise ObsoleteTermError(key, reason, replaced, consider)
        raise TermNotFoundError(key, f"not a term of HPO {self.version}")

    def id_at(self, index: int) -> str:
        """The id of the term at *index*."""
        return self._ids[index]

    def label_at(self, index: int) -> str:
        """The label of the term at *index*."""
        return self._labels[index]

    def label(self, term: object) -> str:
        """The label of a term."""
        return self._labels[self.index(term)]

    def term(self, term: object) -> Term:
        """The :class:`Term` of an HPO id.

        Examples
        --------
        >>> ontology().term("HP:0001945").synonyms_of(type="layperson")
        ('Fever',)
        """
        i = self.index(term)
        return Term(
            self._ids[i], self._labels[i], tuple(self._synonyms[i]), tuple(self._ids[p] for p in self._parents[i])
        )

    # --- hierarchy -----------------------------------------------------
    def parents(self, term: object) -> tuple[str, ...]:
        """The direct parents (more general terms) of a term."""
        return tuple(self._ids[p] for p in self._parents[self.index(term)])

    def children(self, term: object) -> tuple[str, ...]:
        """The direct children (more specific terms) of a term."""
        return tuple(self._ids[c] for c in self._children[self.index(term)])

    def ancestor_sets(self) -> list[frozenset[int]]:
        """For each term position, the positions of the term and all its ancestors (built once)."""
        if self._ancestors is None:
            done: list[frozenset[int] | None] = [None] * len(self._ids)
            for start in range(len(self._ids)):
                stack = [start]
                while stack:
                    node = stack[-1]
                    if done[node] is not None:
                        stack.pop()
                        continue
                    missing = [p for p in self._parents[node] if done[p] is None]
                    if missing:
                        stack.extend(missing)
                        continue
                    found = {node}
                    for p in self._parents[node]:
                        found.update(done[p] or ())
                    done[node] = frozenset(found)
                    stack.pop()
            self._ancestors = done  # type: ignore[assignment]
        return self._ancestors  # type: ignore[return-value]

    def ancestors(self, term: object, *, include_self: bool = False) -> frozenset[str]:
        """Every more general term (transitively), optionally with the term itself."""
        i = self.index(term)
        return frozenset(self._ids[a] for a in self.ancestor_sets()[i] if include_self or a != i)

    def descendants(self, term: object, *, include_self: bool = False) -> frozenset[str]:
        """Every more specific term (transitively), optionally with the term itself.

        Examples
        --------
        >>> len(ontology().descendants("HP:0000951"))
        788
        """
        i = self.index(term)
        found = {i}
        stack = [i]
        while stack:
            for child in self._children[stack.pop()]:
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return frozenset(self._ids[d] for d in found if include_self or d != i)

    # --- words ---------------------------------------------------------
    def _name_index(self) -> dict[str, list[tuple[int, int]]]:
        if self._names is None:
            names: dict[str, list[tuple[int, int]]] = {}
            words: dict[str, set[int]] = {}
            for i, label in enumerate(self._labels):
                texts = [(label, 0)] + [(s.text, 1 if s.scope == "EXACT" else 2) for s in self._synonyms[i]]
                for text, rank in texts:
                    folded = " ".join(_fold(text))
                    names.setdefault(folded, []).append((rank, i))
                    for word in folded.split():
                        words.setdefault(word, set()).add(i)
            self._names, self._words = names, words
        return self._names

    def resolve(self, text: object) -> Term:
        """The term that an HPO id or the words a person types name.

        Words match a label or synonym whatever the case, punctuation or plural;
        failing that, the shortest label or synonym holding all the words is taken.

        Raises
        ------
        UnknownPhenotypeError
            If no label or synonym holds the words (with suggestions).

        Examples
        --------
        >>> ontology().resolve("HP:0001250").label
        'Seizure'
        >>> ontology().resolve("high blood pressure").id
        'HP:0000822'
        """
        if not isinstance(text, str) or not text.strip() or len(text) > 500:
            raise InvalidArgumentError(text, "a phenotype is an HPO id or a non-empty text", "phenotype")
        if _ID.fullmatch(text) or text.strip().upper().startswith("HP:"):
            return self.term(text)
        names = self._name_index()
        words = _fold(text)
        hits = names.get(" ".join(words))
        if hits:
            return self.term(self._ids[min(hits)[1]])
        best: tuple[int, int, int] | None = None
        for name, entries in self._word_candidates(words):
            size = len(name.split())
            for rank, i in entries:
                if best is None or (size, rank, i) < best:
                    best = (size, rank, i)
        if best is None:
            raise UnknownPhenotypeError(text, self._suggest(words))
        return self.term(self._ids[best[2]])

    def _word_candidates(self, words: tuple[str, ...]) -> list[tuple[str, list[tuple[int, int]]]]:
        if not words:
            return []
        names = self._name_index()
        assert self._words is not None
        pools = sorted((self._words.get(w, set()) for w in words), key=len)
        terms = set.intersection(*pools) if pools else set()
        wanted = set(words)
        found = []
        for i in terms:
            for text in [self._labels[i]] + [s.text for s in self._synonyms[i]]:
                folded = " ".join(_fold(text))
                if wanted <= set(folded.split()):
                    found.append((folded, [e for e in names[folded] if e[1] == i]))
        return found

    def _suggest(self, words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        self._name_index()
        assert self._words is not None
        from difflib import get_close_matches

        vocabulary = sorted(self._words)
        counts: dict[int, int] = {}
        for word in set(words[:20]):
            known = [word] if word in self._words else get_close_matches(word, vocabulary, n=1, cutoff=0.75)
            for close in known:  # a misspelt word counts through its closest known word
                for i in self._words[close]:
                    counts[i] = counts.get(i, 0) + 1
        ranked = sorted(counts, key=lambda i: (-counts[i], len(self._labels[i]), i))[:3]
        return tuple((self._ids[i], self._labels[i]) for i in ranked)


def ontology() -> Ontology:
    """The HPO ontology of the shipped release, built on first use (once per process).

    Examples
    --------
    >>> hpo = ontology()
    >>> hpo.version, len(hpo)
    ('2025-01-16', 19034)
    """
    return datasets.memo(
        HPO_DATASET, "ontology", lambda: Ontology(datasets.read_json(HPO_DATASET, f"{HPO_DATASET}/ontology.json.gz"))
    )


def information_content_from_counts(counts: list[int], total: int) -> list[float]:
    """``-ln(count/total)``, with ``ln(total)`` for a count of zero (see :meth:`Ontology.information_content`)."""
    top = math.log(total) if total else 0.0
    return [max(0.0, -math.log(c / total)) if c else top for c in counts]
