"""Every grouper map shipped, by name: :func:`available` and :func:`mapping`.

The maps themselves are built by their modules (:mod:`~icd10kb.groupers.ccsr`,
:mod:`~icd10kb.groupers.comorbidity`, :mod:`~icd10kb.groupers.hcc`,
:mod:`~icd10kb.groupers.gems`); this module only names them and dispatches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import GrouperMap, check_choice

if TYPE_CHECKING:
    from ..classification.core import Classification as KnowledgeBase

__all__ = ["available", "mapping"]


_HCC = tuple(
    f"cms-hcc-{model.lower()}-py{year}"
    for model, years in (("V24", (2025, 2026)), ("V28", (2025, 2026, 2027)))
    for year in years
)
_NAMES = (
    "ccsr-v2023.1",
    "ccsr-v2025.1",
    "charlson-quan2005",
    "cmr-v2026.1",
    "elixhauser-quan2005",
    *_HCC,
    "gems-2018-i10-to-i9",
    "gems-2018-i9-to-i10",
)


def available() -> tuple[str, ...]:
    """The names of every grouper map shipped, sorted.

    Examples
    --------
    >>> "cms-hcc-v28-py2026" in available()
    True
    """
    return tuple(sorted(_NAMES))


def mapping(name: str, kb: KnowledgeBase | None = None) -> GrouperMap:
    """The grouper map *name* as plain data.

    Parameters
    ----------
    name:
        One of :func:`available`.
    kb:
        The release the prefix-defined Quan maps are expanded over (default: ``icd10kb.load()``);
        the other maps list their codes as the source does and ignore it.

    Raises
    ------
    InvalidArgumentError
        If no grouper of that name is shipped.

    Examples
    --------
    >>> cmr = mapping("cmr-v2026.1")
    >>> len(cmr.labels), "HF" in cmr.poa_required
    (38, True)
    """
    name = check_choice(name, _NAMES, "grouper name")
    if name.startswith("ccsr-"):
        from .ccsr import grouper_map as ccsr_map

        return ccsr_map(name[len("ccsr-") :])
    if name in ("charlson-quan2005", "elixhauser-quan2005", "cmr-v2026.1"):
        from .comorbidity import grouper_map as comorbidity_map

        return comorbidity_map(name, kb)
    if name.startswith("cms-hcc-"):
        from .hcc import grouper_map as hcc_map

        _, _, model, year = name.split("-")
        return hcc_map(model.upper(), int(year[2:]))
    from .gems import grouper_map as gems_map

    return gems_map(name[len("gems-2018-") :])
