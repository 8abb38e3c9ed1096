"""The claims layers served over FHIR: grouper ValueSets and ConceptMaps, GEM ConceptMaps, dates from the history.

:func:`grouper_resources` turns the shipped groupers (:func:`icd10kb.groupers.mapping`) into
FHIR resources — for each grouper a ``CodeSystem`` of its groups, a ``ValueSet`` per group and
a ``ConceptMap`` from ICD-10-CM (so ``$translate`` answers "which CCSR category") — and the
FY2018 GEMs into ``ConceptMap`` s both ways, every line kept with its flags.
:func:`history_date_check` answers ``$validate-code``'s ``date`` from the code history.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..arguments import check_bool
from . import checks
from .gems import gem_concept_map
from .groupings import grouping_resources

if TYPE_CHECKING:
    from ..classification.core import Classification

__all__ = ["GROUPERS", "grouper_resources", "history_date_check"]

#: The groupers served by default: CCSR and the comorbidity indices.
GROUPERS = ("ccsr-v2025.1", "ccsr-v2023.1", "charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1")
_GEMS = (("9to10", "gems-2018-i9-to-i10"), ("10to9", "gems-2018-i10-to-i9"))


def grouper_resources(kb: Classification, names: Sequence[str] = GROUPERS, gems: bool = True) -> list[dict[str, Any]]:
    """FHIR resources for the groupers *names* (and the GEMs), over the release of *kb*.

    Examples
    --------
    >>> found = grouper_resources(kb, ["ccsr-v2025.1"], gems=False)
    >>> [r["resourceType"] for r in found][:2], found[-1]["id"]
    (['CodeSystem', 'ValueSet'], 'icd-10-cm-to-ccsr-v2025.1')
    """
    from ..groupers import mapping

    names = checks.names(names, "names", 100)
    gems = check_bool(gems, "gems")
    out: list[dict[str, Any]] = []
    for name in names:
        grouper = mapping(name, kb)  # type: ignore[arg-type]
        out += grouping_resources(
            name,
            grouper.rows,
            grouper.labels,
            title=f"{name} groups",
            version=grouper.version,
            publisher=grouper.citation.split(".")[0] if grouper.citation else "icd10kb",
            system_version=kb.release.name,
        )
    if gems:
        for direction, name in _GEMS:
            grouper = mapping(name)
            rows = [(source, target, flags) for (source, target), flags in zip(grouper.rows, grouper.row_flags)]
            out.append(gem_concept_map(kb, rows, direction=direction))  # type: ignore[arg-type]
    return out


def history_date_check(code: str, date: datetime.date) -> bool | None:
    """Whether *code* was valid on *date* under the release then in force (None when the history cannot say).

    Examples
    --------
    >>> history_date_check("Z68.1", datetime.date(2026, 9, 30)), history_date_check("Z68.1", datetime.date(2026, 10, 1))
    (True, True)
    """
    from ..history import valid_on

    return valid_on(code, date)
