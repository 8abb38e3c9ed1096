"""Cross questions over the knowledge: shared symptoms and a ranked differential.

Both work on the symptoms of the codes that have knowledge. A symptom
given by the user matches a disease's symptom when it names the same HPO
term (``"HP:0001482"``), the same label or synonym in any case, or when all
its words (folded, endings trimmed) stand in the label or a synonym
(``"skin nodules"`` matches ``"hard, firm or bumpy skin nodules"``) (``"skin ulcerations"`` matches ``"skin
ulceration"``).

The differential scores each disease with knowledge by the symptoms it
explains, each weighted by how specific the symptom is (a symptom shared by
many diseases counts for less: its weight is ``log(1 + D / d)`` for ``D``
diseases with knowledge of which ``d`` have it), as the fraction of the
total weight of the given symptoms, then by the fraction of the disease's
own symptoms that were given. Each result explains every match.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import Field

from ..classification.models import Frozen
from ..errors import InvalidCodeError, check_limit
from ..search.index import words
from .models import Fact

if TYPE_CHECKING:
    from ..classification.core import Classification
    from .index import KnowledgeIndex

__all__ = ["MAX_SYMPTOMS", "Candidate", "SymptomMatch", "differential", "shared_symptoms"]


class SymptomMatch(Frozen):
    """How one given symptom matched one of a disease's symptoms."""

    given: str = Field(description="The symptom as given.")
    symptom: str = Field(description="The disease's symptom it matched (its label).")
    identifier: str | None = Field(default=None, description="The HPO id of that symptom, if any.")
    by: str = Field(description="How it matched: 'identifier', 'label' or 'words'.")
    weight: float = Field(description="How much the match counts (specificity).")


class Candidate(Frozen):
    """One disease of a differential, with the reasons for its rank."""

    code: str = Field(description="The ICD-10-CM code.")
    title: str = Field(description="Its title.")
    score: float = Field(description="Weighted fraction of the given symptoms that it explains (0 to 1).")
    coverage: float = Field(description="Fraction of the disease's own symptoms that were given (0 to 1).")
    matches: tuple[SymptomMatch, ...] = Field(description="Each given symptom it explains, and how.")
    unexplained: tuple[str, ...] = Field(description="Given symptoms it does not explain.")


#: The most symptoms one differential takes.
MAX_SYMPTOMS = 1_000


def _match(given: str, fact: Fact) -> str | None:
    folded = given.strip().casefold()
    for identifier in fact.identifiers:
        if folded in (identifier.id.casefold(), identifier.curie.casefold()):
            return "identifier"
    names = (fact.label, *fact.synonyms)
    if any(folded == name.casefold() for name in names):
        return "label"
    wanted = set(words(given))
    if wanted and any(wanted <= set(words(name)) for name in names):
        return "words"
    return None


def _symptoms(index: KnowledgeIndex) -> dict[str, tuple[Fact, ...]]:
    return {code: index.profile(code).symptoms for code in index.codes}


def _check(values: object) -> list[str]:
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise InvalidCodeError(values, "symptoms are given as a list of labels or HPO ids", "list of symptoms")
    if len(values) > MAX_SYMPTOMS:
        raise InvalidCodeError(f"<{len(values)} symptoms>", f"at most {MAX_SYMPTOMS} symptoms", "list of symptoms")
    out = []
    for value in values:
        if not isinstance(value, str) or not value.strip() or len(value) > 300:
            raise InvalidCodeError(value, "a non-empty label or HPO id of at most 300 characters", "symptom")
        out.append(str.__getitem__(value, slice(None)))  # a plain str: a subclass's __eq__ is not trusted
    return out


def differential(
    kb: Classification, knowledge: KnowledgeIndex, symptoms: object, limit: int = 10
) -> tuple[Candidate, ...]:
    """Rank the codes that have knowledge by how well they explain *symptoms*.

    Examples
    --------
    >>> best = differential(kb, kb.knowledge_index, ["HP:0001482", "Skin ulcer", "fever"])[0]
    >>> best.code, [(m.symptom, m.by) for m in best.matches], best.unexplained
    ('L94.2', [('hard, firm or bumpy skin nodules', 'identifier'), ('skin ulceration', 'label')], ('fever',))
    """
    given = list(dict.fromkeys(_check(symptoms)))  # the same symptom twice counts once
    check_limit(limit)
    table = _symptoms(knowledge)
    total = max(len(table), 1)
    having: dict[str, int] = {}
    for item in given:
        having[item] = sum(1 for facts in table.values() if any(_match(item, f) for f in facts))
    weight = {item: math.log(1 + total / max(having[item], 1)) for item in given}
    whole = sum(weight.values()) or 1.0
    candidates = []
    for code, facts in table.items():
        matches = []
        explained = set()
        for item in given:
            for fact in facts:
                how = _match(item, fact)
                if how:
                    matches.append(
                        SymptomMatch(
                            given=item,
                            symptom=fact.label,
                            identifier=fact.identifier("HPO"),
                            by=how,
                            weight=round(weight[item], 4),
                        )
                    )
                    explained.add(item)
                    break
        if not matches:
            continue
        covered = {m.symptom for m in matches}
        candidates.append(
            Candidate(
                code=code,
                title=kb.title(code),
                score=round(sum(weight[i] for i in explained) / whole, 4),
                coverage=round(len(covered) / max(len(facts), 1), 4),
                matches=tuple(matches),
                unexplained=tuple(i for i in given if i not in explained),
            )
        )
    candidates.sort(key=lambda c: (-c.score, -c.coverage, kb.ref(c.code)))
    return tuple(candidates[:limit])


def shared_symptoms(
    kb: Classification, knowledge: KnowledgeIndex, code: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Other codes that share symptoms with *code*, with the shared symptom labels, most shared first."""
    code = kb.normalize(code)
    table = _symptoms(knowledge)
    own = table.get(code, ())
    out = []
    for other, facts in table.items():
        if other == code:
            continue
        shared = tuple(f.label for f in own if any(_match(g.identifier("HPO") or g.label, f) for g in facts))
        if shared:
            out.append((other, shared))
    out.sort(key=lambda item: (-len(item[1]), kb.ref(item[0])))
    return tuple(out)
