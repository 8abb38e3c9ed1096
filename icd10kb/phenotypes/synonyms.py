"""People's words for search: HPO layperson and exact synonyms that lead to ICD-10-CM codes.

:func:`search_synonyms` pairs a synonym of an HPO term with a code when

- ``through="title"``: the code's title, or the title of a category above it,
  names the term: its label or an EXACT synonym stands in the title as a
  whole phrase (case, punctuation and plural ``s`` aside), preceded only by
  :data:`MODIFIERS` ("Acute myocardial infarction" names Myocardial
  infarction, so I21 and every code below it qualify; "Typhoid fever" does
  not name Fever), and no longer HPO name matched there covers it
  ("Pulmonary hypertension" keeps "Hypertension" off I27.20). Only
  phenotypic abnormalities with at most :data:`MAX_DESCENDANTS` descendants
  qualify (not grouping terms such as Neoplasm, nor Acute or Chronic). Codes
  of chapters 19-22 (injuries, external causes, factors influencing health
  status, special purposes) are left out: their titles mention conditions
  without being them (an "open bite" there is a wound, not HPO's dental
  open bite).
- ``through="exact_link"``: a disease linked exactly to the code bears the
  term's label or an EXACT synonym as its name.

Synonyms offered: layperson synonyms of EXACT or RELATED scope (HPO writes
"High blood pressure" as a RELATED layperson synonym of Hypertension) and
every EXACT synonym (typed abbreviation, plural form or UK spelling, or
untyped: ``synonym_type="exact"``). BROAD and NARROW synonyms are not used.
Nothing is made up: every text is HPO's, every pairing is a stated title or link.

Examples
--------
>>> entries = search_synonyms()
>>> sorted({e.code for e in entries if e.text == "Heart attack"})[:3]
['I21', 'I21.0', 'I21.01']
>>> e = next(e for e in entries if e.text == "High blood pressure" and e.code == "I10")
>>> e.term_label, e.through, e.detail
('Hypertension', 'title', 'I10: hypertension')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kbargument import resolve_kb
from .annotations import disease_annotations
from .links import link_index, release_key
from .ontology import ROOT, _fold, ontology

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase
    from .models import SynonymEntry

__all__ = ["MAX_DESCENDANTS", "MODIFIERS", "offered_synonyms", "search_synonyms"]

_SKIPPED_CHAPTERS = frozenset({"19", "20", "21", "22"})
#: A term with more descendants than this is a grouping term, too general to be what a title names.
MAX_DESCENDANTS = 100
_MAX_WORDS = 8
#: Words that may stand before a term's name in a title that names the term ("Acute myocardial infarction").
MODIFIERS = frozenset(
    "acute chronic subacute essential primary secondary other unspecified old recurrent subsequent initial "
    "congenital idiopathic benign malignant severe mild moderate persistent transient hereditary familial "
    "generalized localized pre existing and".split()
)


def offered_synonyms(term: str) -> tuple[tuple[str, str, str], ...]:
    """The ``(text, synonym_type, scope)`` of a term that search may use (see the module docstring)."""
    found = []
    for s in ontology().term(term).synonyms:
        if s.type == "layperson" and s.scope in ("EXACT", "RELATED"):
            found.append((s.text, "layperson", s.scope))
        elif s.scope == "EXACT" and s.type not in ("obsolete_synonym", "allelic_requirement", "layperson"):
            found.append((s.text, s.type or "exact", s.scope))
    return tuple(found)


def _names() -> dict[tuple[str, ...], set[int]]:
    """Folded label or EXACT synonym -> positions of the terms it names (every live term)."""
    hpo = ontology()
    names: dict[tuple[str, ...], set[int]] = {}
    for i in range(len(hpo)):
        term = hpo.term(hpo.id_at(i))
        for text in [term.label] + [
            s.text for s in term.synonyms if s.scope == "EXACT" and s.type != "obsolete_synonym"
        ]:
            words = _fold(text)
            if 0 < len(words) <= _MAX_WORDS:
                names.setdefault(words, set()).add(i)
    return names


def _title_matches(title: str, names: dict[tuple[str, ...], set[int]], first: set[str]) -> dict[int, str]:
    """Terms a title names: maximal phrases preceded only by modifier words."""
    words = _fold(title)
    spans: list[tuple[int, int, int]] = []
    for start, word in enumerate(words):
        if word not in first:
            continue
        for end in range(start + 1, min(len(words), start + _MAX_WORDS) + 1):
            for term in names.get(words[start:end], ()):
                spans.append((start, end, term))
    kept: dict[int, str] = {}
    for start, end, term in spans:
        covered = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        if not covered and all(w in MODIFIERS for w in words[:start]):
            kept.setdefault(term, " ".join(words[start:end]))
    return kept


def search_synonyms(kb: KnowledgeBase | None = None) -> tuple[SynonymEntry, ...]:
    """Every (HPO synonym, code) pair for search, sorted by code then text.

    Built once per release (a few seconds: every title is scanned) and kept.
    """
    from .. import datasets
    from .ontology import HPO_DATASET

    kb = resolve_kb(kb)
    checked = kb
    return datasets.memo(HPO_DATASET, f"synonyms:{release_key(kb)}", lambda: _build(checked))


def _build(kb: KnowledgeBase) -> tuple[SynonymEntry, ...]:
    from .models import SynonymEntry

    hpo = ontology()
    names = _names()
    first = {words[0] for words in names}
    offering = {
        i
        for i in range(len(hpo))
        if offered_synonyms(hpo.id_at(i))
        and ROOT in hpo.ancestors(hpo.id_at(i))
        and len(hpo.descendants(hpo.id_at(i))) <= MAX_DESCENDANTS
    }
    entries: dict[tuple[str, str, str], SynonymEntry] = {}

    def add(term: int, code: str, through: str, detail: str) -> None:
        term_id = hpo.id_at(term)
        for text, kind, scope in offered_synonyms(term_id):
            key = (code, text, term_id)
            if key not in entries:
                entries[key] = SynonymEntry(
                    text=text,
                    synonym_type=kind,
                    scope=scope,
                    term=term_id,
                    term_label=hpo.label(term_id),
                    code=code,
                    through=through,
                    detail=detail,
                )

    found: dict[str, dict[int, str]] = {}
    for code in kb:  # parents come before their children
        if kb.kind(code) not in ("category", "subcategory", "code") or kb.chapter(code) in _SKIPPED_CHAPTERS:
            continue
        parent = kb.parent(code)
        matched = dict(found.get(parent, {})) if parent else {}
        for term, phrase in _title_matches(kb.title(code), names, first).items():
            matched.setdefault(term, f"{code}: {phrase}")
        if matched:
            found[code] = matched
            for term, detail in matched.items():
                if term in offering:
                    add(term, code, "title", detail)
    store = disease_annotations()
    index = link_index(kb)
    for disease in index.diseases():
        name = store.name(disease)
        for term in names.get(_fold(name), ()) if name else ():
            if term not in offering:
                continue
            for link in index.for_disease(disease):
                add(term, link.code, "exact_link", f"{disease} {name}")
    return tuple(sorted(entries.values(), key=lambda e: (e.code, e.text, e.term)))
