"""Models of clinical knowledge: the pack file format and the profiles built from it.

A **knowledge pack** is a JSON (or, with the ``yaml`` extra, YAML) file of
disease knowledge keyed by ICD-10-CM code; :class:`KnowledgePack` is its
schema, published as ``docs/schema/knowledge-pack.schema.json``. Packs are
validated whole; :mod:`icd10kb.knowledge` turns them into the frozen
:class:`KnowledgeProfile` values that ``kb.knowledge(code)`` returns.
"""

from __future__ import annotations

import datetime
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..classification.models import Frozen
from ..phenotypes.models import PhenotypeProfile

__all__ = [
    "SCHEMES",
    "DiseaseEntry",
    "Fact",
    "FactEntry",
    "FactKind",
    "Gap",
    "Identifier",
    "KnowledgePack",
    "KnowledgeProfile",
    "PackSource",
    "Qualifiers",
    "Source",
]


FactKind = Literal["cause", "symptom", "test", "treatment"]

#: Identifier schemes a pack may use, with the shape each identifier must have (ASCII digits only).
SCHEMES: dict[str, str] = {
    "ICD10CM": r"[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?",
    "HPO": r"HP:[0-9]{7}",
    "LOINC": r"[0-9]{1,8}-[0-9]",
    "SNOMEDCT": r"[0-9]{6,18}",
    "UMLS": r"C[0-9]{7}",
    "MONDO": r"MONDO:[0-9]{7}",
    "ORPHA": r"ORPHA:[0-9]{1,7}",
    "OMIM": r"[0-9]{6}",
    "MESH": r"[A-Z][0-9]{6,9}",
}
_SHAPES = {scheme: re.compile(shape) for scheme, shape in SCHEMES.items()}
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _icd_code(value: object) -> object:
    """Normalise an ICD-10-CM code written in a pack (any case, with or without the dot)."""
    if not isinstance(value, str):
        return value
    from ..classification.codes import normalize
    from ..errors import InvalidCodeError

    try:
        code = normalize(value)
    except InvalidCodeError as exc:
        raise ValueError(f"{value!r} is not an ICD-10-CM code: {exc.reason}") from None
    if "-" in code or code.isdigit():
        raise ValueError(f"{value!r} is a block or chapter, not an ICD-10-CM code")
    return code


def _check_identifiers(value: dict[str, str]) -> dict[str, str]:
    checked = {}
    for scheme, identifier in value.items():
        shape = _SHAPES.get(scheme)
        if shape is None:
            raise ValueError(f"unknown identifier scheme {scheme!r}; known: {', '.join(SCHEMES)}")
        if scheme == "ICD10CM":
            identifier = _icd_code(identifier)  # type: ignore[assignment]
        if not isinstance(identifier, str) or not shape.fullmatch(identifier):
            raise ValueError(f"{scheme} identifier {identifier!r} does not have the form {SCHEMES[scheme]}")
        checked[scheme] = identifier
    return checked


# --- the pack file format -------------------------------------------------


class PackSource(Frozen):
    """A source that facts of the pack cite."""

    title: str = Field(min_length=1, max_length=300, description="Title of the work or page.")
    url: str | None = Field(
        default=None, pattern=r"^https?://\S+$", max_length=2000, description="Where it can be read."
    )
    publisher: str | None = Field(default=None, max_length=200, description="Who publishes it.")
    accessed: datetime.date | None = Field(default=None, description="When it was read (ISO date).")


class Qualifiers(Frozen):
    """When or how strongly a fact holds."""

    condition: str | None = Field(
        default=None,
        max_length=200,
        description="A condition under which the fact holds, e.g. 'deposits near a joint'.",
    )
    severity: str | None = Field(
        default=None, max_length=100, description="The severity it is tied to, e.g. 'severe cases'."
    )
    frequency: str | None = Field(
        default=None, max_length=100, description="How often it holds, e.g. 'common', 'rare'."
    )
    purpose: str | None = Field(default=None, max_length=200, description="For a test or treatment: what it is for.")

    def is_empty(self) -> bool:
        """Whether no qualifier is set."""
        return not any((self.condition, self.severity, self.frequency, self.purpose))


class FactEntry(Frozen):
    """One cause, symptom, test or treatment of a disease, as written in a pack."""

    label: str = Field(min_length=1, max_length=200, description="A short factual label.")
    synonyms: tuple[str, ...] = Field(
        default=(),
        max_length=20,
        description="Other names for it, such as the name of its term in the vocabulary of its identifier.",
    )
    identifiers: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Identifiers by scheme (ICD10CM, HPO, LOINC, SNOMEDCT, UMLS, MONDO, ORPHA, OMIM, MESH). Only verified ones."
        ),
    )
    group: str | None = Field(
        default=None, max_length=100, description="A grouping label, e.g. 'connective tissue disorder'."
    )
    qualifiers: Qualifiers = Field(default_factory=Qualifiers, description="When or how strongly the fact holds.")
    sources: tuple[str, ...] = Field(
        default=(), description="Ids of the pack's sources; default: the disease's sources."
    )
    remark: str | None = Field(
        default=None, max_length=300, description="A short remark, e.g. on how an identifier was checked."
    )

    _identifiers_valid = field_validator("identifiers")(_check_identifiers)


class DiseaseEntry(Frozen):
    """Knowledge about one ICD-10-CM code."""

    code: str = Field(pattern=f"^{SCHEMES['ICD10CM']}$", description="The ICD-10-CM code, dotted (e.g. 'L94.2').")
    label: str = Field(min_length=1, max_length=200, description="The disease's name.")
    identifiers: dict[str, str] = Field(
        default_factory=dict, description="The disease's identifiers in other vocabularies."
    )
    about: tuple[str, ...] = Field(default=(), description="Short factual labels describing the disease.")
    sources: tuple[str, ...] = Field(min_length=1, description="Ids of the pack's sources behind this entry's facts.")
    causes: tuple[FactEntry, ...] = Field(default=(), description="Causes and risk factors.")
    symptoms: tuple[FactEntry, ...] = Field(default=(), description="Symptoms and signs.")
    tests: tuple[FactEntry, ...] = Field(default=(), description="Diagnostic tests and examinations.")
    treatments: tuple[FactEntry, ...] = Field(default=(), description="Treatments.")
    not_covered: dict[Literal["causes", "symptoms", "tests", "treatments"], str] = Field(
        default_factory=dict,
        description=(
            "Kinds of knowledge the sources do not give, with the reason: an explicit 'unknown', not an omission."
        ),
    )

    _identifiers_valid = field_validator("identifiers")(_check_identifiers)
    _code_normal = field_validator("code", mode="before")(_icd_code)

    @model_validator(mode="after")
    def _gaps_are_empty(self) -> DiseaseEntry:
        for kind in self.not_covered:
            if getattr(self, kind):
                raise ValueError(f"{kind!r} is listed in not_covered but has entries")
        return self


class KnowledgePack(Frozen):
    """A knowledge pack: the top level of the file."""

    format: Literal["icd10kb-knowledge/1"] = Field(description="The pack format and its version.")
    id: str = Field(pattern=f"^{_SLUG.pattern}$", description="A short id for the pack, e.g. 'calcinosis-cutis'.")
    title: str = Field(min_length=1, max_length=300, description="What the pack is about.")
    sources: dict[str, PackSource] = Field(min_length=1, description="The sources the facts cite, by id.")
    diseases: tuple[DiseaseEntry, ...] = Field(min_length=1, description="The diseases the pack describes.")

    @model_validator(mode="after")
    def _sources_exist(self) -> KnowledgePack:
        problems = []
        for i, disease in enumerate(self.diseases):
            cited = [(f"diseases[{i}].sources", s) for s in disease.sources]
            for kind in ("causes", "symptoms", "tests", "treatments"):
                for j, fact in enumerate(getattr(disease, kind)):
                    cited += [(f"diseases[{i}].{kind}[{j}].sources", s) for s in fact.sources]
            problems += [f"{where}: unknown source {s!r}" for where, s in cited if s not in self.sources]
        seen: dict[str, int] = {}
        for i, disease in enumerate(self.diseases):
            if disease.code in seen:
                problems.append(
                    f"diseases[{i}].code: {disease.code} is described twice (also at diseases[{seen[disease.code]}])"
                )
            seen.setdefault(disease.code, i)
        if problems:
            raise ValueError("; ".join(problems))
        return self


# --- what users receive ----------------------------------------------------


class Identifier(Frozen):
    """An identifier in another vocabulary."""

    scheme: str = Field(description="The vocabulary: HPO, LOINC, ICD10CM, SNOMEDCT …")
    id: str = Field(description="The identifier within the vocabulary, e.g. 'HP:0001482'.")

    @property
    def curie(self) -> str:
        """The compact form: the id itself where it carries a prefix, else ``SCHEME:id``."""
        return self.id if ":" in self.id else f"{self.scheme}:{self.id}"


class Source(Frozen):
    """Where a fact comes from."""

    id: str = Field(description="The source's id within its pack.")
    pack: str = Field(description="The id of the pack that cites it.")
    title: str = Field(description="Title of the work or page.")
    url: str | None = Field(default=None, description="Where it can be read.")
    publisher: str | None = Field(default=None, description="Who publishes it.")
    accessed: datetime.date | None = Field(default=None, description="When it was read.")


class Fact(Frozen):
    """One cause, symptom, test or treatment of a disease, with its sources."""

    kind: FactKind = Field(description="cause, symptom, test or treatment.")
    label: str = Field(description="A short factual label.")
    synonyms: tuple[str, ...] = Field(default=(), description="Other names for it (e.g. the HPO or LOINC term's name).")
    code: str | None = Field(
        default=None, description="For a cause that is itself a disease: its ICD-10-CM code in the loaded release."
    )
    identifiers: tuple[Identifier, ...] = Field(default=(), description="Verified identifiers (HPO, LOINC …).")
    group: str | None = Field(default=None, description="A grouping label.")
    qualifiers: Qualifiers = Field(default_factory=Qualifiers, description="When or how strongly the fact holds.")
    sources: tuple[Source, ...] = Field(description="Where the fact comes from (several when packs agree).")
    remark: str | None = Field(default=None, description="A short remark.")

    def identifier(self, scheme: str) -> str | None:
        """The identifier in *scheme*, or None.

        Examples
        --------
        >>> kb.knowledge("L94.2").symptoms[0].identifier("HPO")
        'HP:0001482'
        """
        for item in self.identifiers:
            if item.scheme == scheme:
                return item.id
        return None


class Gap(Frozen):
    """A kind of knowledge that the sources do not give."""

    kind: FactKind = Field(description="What is missing.")
    reason: str = Field(description="Why it is missing.")
    sources: tuple[Source, ...] = Field(description="The sources that were consulted.")


class KnowledgeProfile(Frozen):
    """Everything known about one code's clinical picture. Empty when nothing is known.

    Examples
    --------
    >>> profile = kb.knowledge("L94.2")
    >>> [c.code for c in profile.causes if c.code]
    ['M34', 'M33', 'M32', 'E83.824']
    >>> kb.knowledge("A00.0").is_empty
    True
    """

    code: str = Field(description="The ICD-10-CM code described.")
    label: str | None = Field(default=None, description="The disease's name as given by the packs.")
    identifiers: tuple[Identifier, ...] = Field(
        default=(), description="The disease's identifiers in other vocabularies."
    )
    about: tuple[str, ...] = Field(default=(), description="Short factual labels describing the disease.")
    causes: tuple[Fact, ...] = Field(default=(), description="Causes and risk factors.")
    symptoms: tuple[Fact, ...] = Field(default=(), description="Symptoms and signs.")
    tests: tuple[Fact, ...] = Field(default=(), description="Diagnostic tests and examinations.")
    treatments: tuple[Fact, ...] = Field(default=(), description="Treatments.")
    gaps: tuple[Gap, ...] = Field(default=(), description="Kinds of knowledge the sources do not give.")
    sources: tuple[Source, ...] = Field(default=(), description="Every source behind this profile.")
    phenotypes: PhenotypeProfile | None = Field(
        default=None,
        description="HPO phenotypes of the diseases linked to the code through MONDO and Orphanet (exact links, "
        "unless broader ones were asked for), each with its frequency, evidence, references, disease and mapping; "
        "None when no disease is linked.",
    )

    @property
    def is_empty(self) -> bool:
        """Whether nothing at all is known about the code."""
        return not (
            self.label or self.causes or self.symptoms or self.tests or self.treatments or self.gaps or self.phenotypes
        )

    @property
    def facts(self) -> tuple[Fact, ...]:
        """All facts: causes, symptoms, tests, then treatments."""
        return self.causes + self.symptoms + self.tests + self.treatments
