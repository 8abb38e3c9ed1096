"""Answers over the annotations: the phenotypes of a code, and the codes with a phenotype.

:func:`profile` gives every HPO fact of the diseases linked to a code, each
with its frequency, evidence, references, disease and the mapping used.
Phenotypes (aspect P), other clinical facts (inheritance, onset, ...) and
``NOT`` annotations are three separate tuples: a ``NOT`` annotation is never
listed as a phenotype. Only exact links are followed unless ``broader=True``.

:func:`codes_with_phenotype` asks the reverse question through the ontology:
a code qualifies when a linked disease has a positive annotation to the term
or to any term below it.

Examples
--------
>>> p = profile("Q87.4")
>>> p.title, sorted({d.id for d in p.diseases})
('Marfan syndrome', ['OMIM:154700', 'ORPHA:558'])
>>> fact = next(f for f in p.phenotypes if f.term == "HP:0001166")
>>> fact.label, fact.mappings[0].link_class
('Arachnodactyly', 'exact')
>>> hits = codes_with_phenotype("Abnormality of the skin")
>>> "Q87.4" in {h.code for h in hits}
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..kbargument import resolve_kb
from .annotations import FREQUENCY_TERMS, disease_annotations
from .links import Link, check_broader, link_index
from .ontology import ontology

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase
    from .models import CodeWithPhenotype, Frequency, Mapping, PhenotypeFact, PhenotypeProfile

__all__ = ["codes_with_phenotype", "disease_facts", "mapping_model", "profile"]


def _frequency(raw: str) -> Frequency | None:
    from .annotations import frequency_value
    from .models import Frequency

    if not raw:
        return None
    share = frequency_value(raw)
    if raw in FREQUENCY_TERMS:
        return Frequency(raw=raw, kind="hpo_term", label=FREQUENCY_TERMS[raw][0], share=share)
    if raw.endswith("%"):
        return Frequency(raw=raw, kind="percent", share=share)
    n, _, m = raw.partition("/")
    return Frequency(raw=raw, kind="ratio", share=share, n=int(n), m=int(m))


def mapping_model(link: Link) -> Mapping:
    """The public model of a link."""
    from ..errors import InvalidArgumentError
    from .models import Mapping

    if not isinstance(link, Link):
        raise InvalidArgumentError(link, f"expected a phenotypes.links.Link, got {type(link).__name__}", "link")

    return Mapping(
        disease=link.disease,
        code=link.code,
        link_class=link.link_class,
        path=link.path,
        via=link.via,
        disease_predicate=link.disease_predicate,
        code_predicate=link.code_predicate,
        source_file=link.source_file,
        source=link.source,
    )


def disease_facts(disease: str, mappings: tuple[Mapping, ...] = ()) -> tuple[PhenotypeFact, ...]:
    """Every annotation row of one disease as facts, in file order (``NOT`` rows marked ``negated``).

    Examples
    --------
    >>> facts = disease_facts("ORPHA:558")
    >>> len(facts) > 50, all(f.disease == "ORPHA:558" for f in facts)
    (True, True)
    """
    from .models import PhenotypeFact

    store = disease_annotations()
    hpo = ontology()
    name = store.name(disease)
    facts = []
    for row in store.rows(disease):
        onset = store.onset[row] or None
        facts.append(
            PhenotypeFact(
                term=store.term[row],
                label=hpo.label(store.term[row]),
                aspect=store.aspect[row],
                negated=store.negated[row],
                frequency=_frequency(store.frequency[row]),
                onset=onset,
                onset_label=hpo.label(onset) if onset else None,
                sex=store.sex[row] or None,
                modifiers=tuple(m for m in store.modifier[row].split(";") if m),
                evidence=store.evidence[row],
                references=store.references[row],
                disease=store.diseases[store.disease[row]],
                disease_name=name,
                mappings=mappings,
            )
        )
    return tuple(facts)


def profile(code: str, kb: KnowledgeBase | None = None, broader: bool = False) -> PhenotypeProfile:
    """The HPO phenotypes of the diseases linked to *code*.

    Parameters
    ----------
    code:
        An ICD-10-CM code of *kb*'s release (any case, with or without the dot).
    kb:
        The knowledge base; ``None`` means ``icd10kb.load()``.
    broader:
        Also follow links where the code is broader than the disease (a rare
        disease filed under a catch-all code). Off by default.

    Raises
    ------
    CodeNotFoundError, InvalidCodeError
        If *code* is not a code of the release.
    InvalidArgumentError
        If *broader* is not a bool.

    Examples
    --------
    >>> p = profile("E83.01")
    >>> p.diseases[0].mappings[0].path in {"MONDO", "ORDO", "MONDO>ORDO"}
    True
    >>> all(not f.negated for f in p.phenotypes) and all(f.negated for f in p.absent)
    True
    >>> profile("J45.909").diseases
    ()
    """
    from .models import LinkedDisease, PhenotypeProfile

    kb = resolve_kb(kb)
    broader = check_broader(broader)
    code = kb.normalize(code)
    links = link_index(kb).for_code(code, broader)
    by_disease: dict[str, list[Link]] = {}
    for link in links:
        by_disease.setdefault(link.disease, []).append(link)
    store = disease_annotations()
    diseases: list[LinkedDisease] = []
    phenotypes: list[PhenotypeFact] = []
    clinical: list[PhenotypeFact] = []
    absent: list[PhenotypeFact] = []
    for disease in sorted(by_disease):
        mappings = tuple(mapping_model(k) for k in by_disease[disease])
        diseases.append(
            LinkedDisease(
                id=disease, name=store.name(disease), name_source=store.name_source(disease), mappings=mappings
            )
        )
        for fact in disease_facts(disease, mappings):
            (absent if fact.negated else phenotypes if fact.aspect == "P" else clinical).append(fact)
    return PhenotypeProfile(
        code=code,
        title=kb.title(code),
        broader=broader,
        diseases=tuple(diseases),
        phenotypes=tuple(phenotypes),
        clinical=tuple(clinical),
        absent=tuple(absent),
    )


def codes_with_phenotype(
    term: str, kb: KnowledgeBase | None = None, broader: bool = False, descendants: bool = True
) -> tuple[CodeWithPhenotype, ...]:
    """The codes whose linked diseases have *term* (or, by default, any term below it), sorted by code.

    Parameters
    ----------
    term:
        An HPO id or words naming a term (see :meth:`Ontology.resolve`).
    broader:
        Also follow broader links; each hit says which class reached it.
    descendants:
        Count annotations to more specific terms (default) or only to *term* itself.

    Raises
    ------
    TermNotFoundError, ObsoleteTermError, UnknownPhenotypeError
        If *term* names no live HPO term.

    Examples
    --------
    >>> [h.code for h in codes_with_phenotype("HP:0001166", descendants=False)][:3]
    ['D82.1', 'G71.220', 'Q87.4']
    """
    from .models import CodeWithPhenotype

    kb = resolve_kb(kb)
    broader = check_broader(broader)
    if not isinstance(descendants, bool):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(descendants, "descendants is True or False", "descendants")
    hpo = ontology()
    start = hpo.resolve(term).id
    terms = hpo.descendants(start, include_self=True) if descendants else frozenset({start})
    store = disease_annotations()
    found: dict[str, set[str]] = {}
    for t in terms:
        for row in store.rows_with_term(t):
            if not store.negated[row]:
                found.setdefault(store.diseases[store.disease[row]], set()).add(t)
    index = link_index(kb)
    hits: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for disease, annotated in found.items():
        for link in index.for_disease(disease, broader):
            diseases, classes, matched = hits.setdefault(link.code, (set(), set(), set()))
            diseases.add(disease)
            classes.add(link.link_class)
            matched |= annotated
    return tuple(
        CodeWithPhenotype(
            code=code,
            title=kb.title(code),
            link_class="exact" if "exact" in classes else "broader",
            diseases=tuple(sorted(diseases)),
            terms=tuple(sorted(matched)),
        )
        for code, (diseases, classes, matched) in sorted(hits.items())
    )
