"""Frozen pydantic models of the phenotype answers: facts, profiles, codes with a phenotype, synonyms."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CodeCandidate",
    "CodeWithPhenotype",
    "DiseaseCandidate",
    "DiseaseScore",
    "Frequency",
    "LinkedDisease",
    "Mapping",
    "PhenotypeFact",
    "PhenotypeProfile",
    "QueryTerm",
    "SynonymEntry",
    "TermMatch",
]

SOURCE = "HPO annotations (phenotype.hpoa), release 2025-01-16"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Frequency(_Frozen):
    """How often a phenotype occurs in a disease, as the annotation states it."""

    raw: str = Field(description="The frequency cell as written: an HPO frequency term, 'n/m' or 'x%'.")
    kind: Literal["hpo_term", "ratio", "percent"] = Field(description="Which of the three forms it has.")
    label: str | None = Field(default=None, description="The HPO frequency term's label (e.g. 'Frequent'), if one.")
    share: float | None = Field(
        description="The share of patients it stands for (0 to 1; the middle of an HPO term's range)."
    )
    n: int | None = Field(default=None, description="For 'n/m': patients with the phenotype.")
    m: int | None = Field(default=None, description="For 'n/m': patients studied.")


class Mapping(_Frozen):
    """A stated link from an HPO disease to an ICD-10-CM code, with its path and predicates."""

    disease: str = Field(description="The HPO disease id (OMIM:…, ORPHA:…, DECIPHER:…).")
    code: str = Field(description="The ICD-10-CM code it links to.")
    link_class: Literal["exact", "broader"] = Field(
        description="'exact', or 'broader' when the code is broader than the disease."
    )
    path: Literal["MONDO", "ORDO", "MONDO>ORDO"] = Field(description="The chain of mapping sets followed.")
    via: tuple[str, ...] = Field(description="The intermediate ids (Mondo, Orphanet).")
    disease_predicate: str = Field(description="Predicate of the step from the disease into Mondo (empty for ORDO).")
    code_predicate: str = Field(description="Predicate of the step to the code (skos:exactMatch or skos:broadMatch).")
    source_file: str = Field(description="The mapping file that states the last step.")
    source: str = Field(description="The mapping sources, with their releases.")


class PhenotypeFact(_Frozen):
    """One annotation row of ``phenotype.hpoa``, as a fact about a disease linked to a code."""

    term: str = Field(description="The HPO term id.")
    label: str = Field(description="The HPO term's label.")
    aspect: Literal["P", "I", "C", "M", "H"] = Field(
        description="P phenotypic abnormality, I inheritance, C onset/clinical course, M modifier, H past history."
    )
    negated: bool = Field(description="True for a NOT annotation: the disease does NOT have this phenotype.")
    frequency: Frequency | None = Field(description="How often it occurs, if stated.")
    onset: str | None = Field(description="HPO onset term, if stated.")
    onset_label: str | None = Field(description="Its label.")
    sex: Literal["MALE", "FEMALE"] | None = Field(description="The sex it is limited to, if stated.")
    modifiers: tuple[str, ...] = Field(description="HPO modifier terms, if stated.")
    evidence: Literal["IEA", "PCS", "TAS"] = Field(
        description="IEA inferred electronically, PCS published clinical study, TAS traceable author statement."
    )
    references: tuple[str, ...] = Field(description="The references (PMID:…, OMIM:…, ORPHA:…, ISBN…, URLs).")
    disease: str = Field(description="The disease it is annotated to.")
    disease_name: str | None = Field(description="The disease's name (Orphanet or Mondo label).")
    mappings: tuple[Mapping, ...] = Field(
        description="The links by which the disease reaches the code (empty outside a profile)."
    )
    source: str = Field(default=SOURCE, description="Where the fact comes from.")


class LinkedDisease(_Frozen):
    """A disease linked to a code, with the links used."""

    id: str = Field(description="The HPO disease id.")
    name: str | None = Field(description="Its name (Orphanet or Mondo label).")
    name_source: Literal["Orphanet", "Mondo"] | None = Field(description="Where the name comes from.")
    mappings: tuple[Mapping, ...] = Field(description="The links from the disease to the code.")


class PhenotypeProfile(_Frozen):
    """The HPO facts of the diseases linked to one ICD-10-CM code."""

    code: str = Field(description="The ICD-10-CM code.")
    title: str = Field(description="Its title in the release.")
    broader: bool = Field(description="Whether broader links were admitted (else exact links only).")
    diseases: tuple[LinkedDisease, ...] = Field(description="The linked diseases.")
    phenotypes: tuple[PhenotypeFact, ...] = Field(description="Phenotypes the diseases have (aspect P, no NOT).")
    clinical: tuple[PhenotypeFact, ...] = Field(
        description="Inheritance, onset/course, modifiers, history (aspects I, C, M, H; no NOT)."
    )
    absent: tuple[PhenotypeFact, ...] = Field(
        description="NOT annotations: phenotypes the diseases explicitly do not have."
    )
    source: str = Field(default=SOURCE, description="Where the facts come from.")


class CodeWithPhenotype(_Frozen):
    """A code whose linked diseases are annotated with a phenotype or a more specific one."""

    code: str = Field(description="The ICD-10-CM code.")
    title: str = Field(description="Its title.")
    link_class: Literal["exact", "broader"] = Field(description="'exact' if an exact link reaches it, else 'broader'.")
    diseases: tuple[str, ...] = Field(description="The linked diseases with such an annotation.")
    terms: tuple[str, ...] = Field(description="The annotated terms (the one asked for or its descendants).")


class SynonymEntry(_Frozen):
    """An HPO synonym (layperson or exact) that leads to an ICD-10-CM code, for search."""

    text: str = Field(description="The synonym, as HPO writes it.")
    synonym_type: str = Field(description="'layperson', 'exact' (an EXACT synonym without a type), 'abbreviation', ...")
    scope: Literal["EXACT", "RELATED"] = Field(description="The synonym's scope in HPO.")
    term: str = Field(description="The HPO term it is a synonym of.")
    term_label: str = Field(description="That term's label.")
    code: str = Field(description="The ICD-10-CM code it leads to.")
    through: Literal["title", "exact_link"] = Field(
        description=(
            "'title': the code's title names the term; "
            "'exact_link': a disease exactly linked to the code bears the term's name."
        )
    )
    detail: str = Field(description="What matched: the phrase in the title, or the disease id and name.")


class QueryTerm(_Frozen):
    """A query term as given and the HPO term it resolved to."""

    given: str = Field(description="The term as given (an HPO id or words).")
    term: str = Field(description="The HPO term it resolved to.")
    label: str = Field(description="That term's label.")


class TermMatch(_Frozen):
    """How one query term matched one annotation of a disease: through their most informative common ancestor."""

    given: str = Field(description="The query term as given.")
    term: str = Field(description="The HPO term it resolved to.")
    annotation: str | None = Field(description="The disease's annotated term it matched best (None: no match).")
    annotation_label: str | None = Field(description="Its label.")
    via: str | None = Field(description="Their most informative common ancestor (the term itself for an exact match).")
    via_label: str | None = Field(description="Its label.")
    information_content: float = Field(description="Information content of the common ancestor.")
    frequency: str | None = Field(description="The annotation's frequency as stated (HPO term, n/m or x%), if any.")
    negated: bool = Field(
        default=False, description="True when the disease is annotated NOT with 'annotation' (a conflict)."
    )


class DiseaseCandidate(_Frozen):
    """A disease ranked by a differential, with the reasons for its score."""

    rank: int = Field(description="1 for the best.")
    disease: str = Field(description="The HPO disease id.")
    name: str | None = Field(description="Its name (Orphanet or Mondo label).")
    score: float = Field(
        description="Similarity score: the share of the query and of the disease's features explained (1 at most)."
    )
    matches: tuple[TermMatch, ...] = Field(
        description="For each query term, its best match among the disease's annotations."
    )
    conflicts: tuple[TermMatch, ...] = Field(
        description="Query terms the disease is annotated NOT to have (they lower the score)."
    )


class DiseaseScore(_Frozen):
    """A disease behind a code candidate, with its score and link class."""

    disease: str = Field(description="The HPO disease id.")
    name: str | None = Field(description="Its name.")
    score: float = Field(description="Its similarity score.")
    link_class: Literal["exact", "broader"] = Field(description="The class of its link to the code.")


class CodeCandidate(_Frozen):
    """An ICD-10-CM code ranked by a differential: the score of its best-matching linked disease."""

    rank: int = Field(description="1 for the best.")
    code: str = Field(description="The ICD-10-CM code.")
    title: str = Field(description="Its title.")
    score: float = Field(description="The best score among its linked diseases.")
    link_class: Literal["exact", "broader"] = Field(description="The class of the best disease's link.")
    best: DiseaseCandidate = Field(description="The best-matching disease, with why it matched.")
    diseases: tuple[DiseaseScore, ...] = Field(description="Every linked disease, best first.")
