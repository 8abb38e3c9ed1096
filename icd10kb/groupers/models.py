"""The frozen result models of the groupers (pydantic, imported only when a result is built).

Examples
--------
>>> from icd10kb.groupers import gems
>>> entry = gems.backward("I50.9")[0]
>>> entry.target, entry.approximate, entry.no_map
('428.0', True, False)
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CCSRAssignment", "CCSRCategory", "Comorbidities", "GemEntry", "HCCAssignment"]


class CCSRCategory(BaseModel):
    """A CCSR category with its body system."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="The category id, e.g. 'CIR019'")
    label: str = Field(description="The category description from the source")
    body_system: str | None = Field(
        description="The 3-letter body-system abbreviation (CCSR chapter), e.g. 'CIR'; None for the "
        "pseudo-categories (XXX000, XXX111, NoDX1, InvlDX)"
    )
    body_system_label: str | None = Field(description="The body system's name, None for pseudo-categories")
    version: str = Field(description="The CCSR version, e.g. 'v2025.1'")


class CCSRAssignment(BaseModel):
    """Every CCSR category of one code, with its default categories where the source has them."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="The ICD-10-CM code, dotted")
    version: str = Field(description="The CCSR version")
    categories: tuple[CCSRCategory, ...] = Field(description="The code's categories (one to six), in source order")
    inpatient_default: str | None = Field(
        description="The inpatient default category (principal diagnosis); None when the code cannot be principal "
        "(flag X) or the version has no default flags (v2025.1)"
    )
    outpatient_default: str | None = Field(
        description="The outpatient default category (first-listed diagnosis); None as for the inpatient default"
    )
    has_default_flags: bool = Field(description="Whether this version's source carries default flags at all")


class Comorbidities(BaseModel):
    """The comorbidity groups of one record or patient under one index."""

    model_config = ConfigDict(frozen=True)

    index: str = Field(description="The index, e.g. 'charlson-quan2005'")
    groups: tuple[str, ...] = Field(description="The groups present after the hierarchy, sorted")
    removed: tuple[str, ...] = Field(description="Groups found but dropped by the hierarchy, sorted")
    unassessed: tuple[str, ...] = Field(
        description="Groups that need POA indicators which were not given (CMR), sorted; they are absent from groups"
    )
    matches: tuple[tuple[str, str], ...] = Field(
        description="(code, group) pairs that were found, before the hierarchy"
    )

    def has(self, group: str) -> bool:
        """Whether *group* is present after the hierarchy."""
        return group in self.groups


class HCCAssignment(BaseModel):
    """The HCCs of one patient under one CMS-HCC model and payment year."""

    model_config = ConfigDict(frozen=True)

    model: str = Field(description="'V24' or 'V28'")
    year: int = Field(description="The payment year")
    hccs: tuple[str, ...] = Field(description="HCCs after the hierarchies, e.g. ('HCC226',), in numeric order")
    removed: tuple[str, ...] = Field(description="HCCs found but dropped by a hierarchy, in numeric order")
    matches: tuple[tuple[str, str], ...] = Field(description="(code, HCC) pairs found, before the hierarchies")
    unmapped: tuple[str, ...] = Field(description="Codes that map to no HCC in this model and year")


class GemEntry(BaseModel):
    """One line of a General Equivalence Mapping, its flags kept."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="The code mapped from (ICD-9-CM or ICD-10-CM, dotted)")
    target: str | None = Field(description="The code mapped to, dotted; None when the line says no map (NoDx)")
    flags: str = Field(description="The five flag digits as in the file, e.g. '10000'")
    approximate: bool = Field(description="Flag 1: the target is not an exact equivalent")
    no_map: bool = Field(description="Flag 2: there is no target")
    combination: bool = Field(description="Flag 3: the source needs several targets together (see scenario)")
    scenario: int = Field(description="Flag 4: which combination scenario this line belongs to (0 = none)")
    choice_list: int = Field(description="Flag 5: which choice list of the scenario this target comes from (0 = none)")
